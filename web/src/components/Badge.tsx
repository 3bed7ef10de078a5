import type { ReactNode } from 'react';

/** overdue red · dueSoon amber · done green · info blue · neutral grey */
export type Tone = 'overdue' | 'dueSoon' | 'done' | 'info' | 'neutral';

const TONE_OF_STATUS: Record<string, Tone> = {
  overdue: 'overdue',
  refused: 'overdue',
  rejected: 'overdue',
  failed: 'overdue',
  halted: 'overdue',
  broken: 'overdue',
  due_soon: 'dueSoon',
  dueSoon: 'dueSoon',
  awaiting: 'dueSoon',
  pending: 'dueSoon',
  open: 'info',
  submitted: 'info',
  draft: 'neutral',
  done: 'done',
  ok: 'done',
  completed: 'done',
  cleared: 'done',
  approved: 'done',
  accepted: 'done',
  waived: 'neutral',
  cancelled: 'neutral',
};

/** The conventional colour for a status word; unknown statuses are neutral. */
export const toneFor = (status: string): Tone => TONE_OF_STATUS[status] ?? 'neutral';

export function Badge({ tone = 'neutral', children, title }: { tone?: Tone; children: ReactNode; title?: string }) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}
