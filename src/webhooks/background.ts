/**
 * Background work of one instance: the delivery worker (woken after commits that enqueued events,
 * and polling for retries) and the reminder scheduler (once a minute; runs once across instances
 * through the advisory lock inside sweepReminders).
 */
import type { Deps } from '../platform/usecase.ts';
import { sweepReminders } from '../obligations/index.ts';
import { drain } from './delivery.ts';

export type BackgroundOptions = { deliveryPollMs?: number; reminderEveryMs?: number };

export function startWebhookBackground(deps: Deps, opts: BackgroundOptions = {}): () => Promise<void> {
  let stopped = false;
  let running: Promise<unknown> | null = null;
  let again = false;
  const deliver = () => {
    if (stopped) return;
    if (running) { again = true; return; }
    running = drain({ db: deps.db, clock: deps.clock })
      .catch((err) => deps.log.error({ err }, 'webhook delivery pass failed'))
      .finally(() => { running = null; if (again && !stopped) { again = false; deliver(); } });
  };
  const sweep = () => {
    if (stopped) return;
    sweepReminders(deps.db, deps.clock)
      .then((r) => { if (r.ran && (r.dueSoon || r.overdue || r.backfilled)) deps.log.info(r, 'obligation reminders swept'); deliver(); })
      .catch((err) => deps.log.error({ err }, 'reminder sweep failed'));
  };
  const previous = deps.onCommit;
  deps.onCommit = () => { previous?.(); deliver(); };
  const poll = setInterval(deliver, opts.deliveryPollMs ?? 5_000);
  const remind = setInterval(sweep, opts.reminderEveryMs ?? 60_000);
  poll.unref(); remind.unref();
  setImmediate(sweep);
  return async () => {
    stopped = true;
    clearInterval(poll); clearInterval(remind);
    deps.onCommit = previous;
    await running;
  };
}
