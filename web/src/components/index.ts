export { Badge, toneFor, type Tone } from './Badge.tsx';
export { Countdown } from './Countdown.tsx';
export { ErrorBox } from './ErrorBox.tsx';
export { Field } from './Field.tsx';
export { KeyValues, Loading, PageHeader, Panel, Stat } from './Panel.tsx';
export { Table, type Column } from './Table.tsx';
