// Entry of the intake parser thread: the sources are TypeScript, run through tsx as in the main thread.
import { register } from 'tsx/esm/api';
register();
await import('./intake-worker.ts');
