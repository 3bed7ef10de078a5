/**
 * The reminder sweep: back-fills manufacturer-level obligations of every tenant and emits due-soon
 * and overdue events into the outbox. Runs once across instances (a transaction-scoped advisory
 * lock: a second instance skips), and is idempotent: event keys carry the due instant, so a re-run
 * emits nothing new and a rescheduled obligation is reminded again.
 */
import { SYSTEM_ACTOR } from '../platform/audit.ts';
import type { Db } from '../platform/db.ts';
import { enqueueEvent } from '../platform/outbox.ts';
import type { Clock } from '../platform/time.ts';
import { unitIn } from '../platform/usecase.ts';
import { resolvePolicy } from '../regimes/cn-2025/obligations.ts';
import { backfillManufacturerObligations } from './generate.ts';
import * as store from './store.ts';

export const REMINDER_LOCK = 7340030;
const DAY = 86_400_000;

export type SweepResult = { ran: boolean; backfilled: number; dueSoon: number; overdue: number };

export async function sweepReminders(db: Db, clock: Clock): Promise<SweepResult> {
  return db.tx('operator', async (sql) => {
    if (!(await store.tryAdvisoryXactLock(sql, REMINDER_LOCK))) return { ran: false, backfilled: 0, dueSoon: 0, overdue: 0 };
    const now = clock();
    let backfilled = 0, dueSoon = 0, overdue = 0;
    for (const t of await store.manufacturerTenants(sql)) {
      const u = unitIn(sql, now, SYSTEM_ACTOR, t.id);
      backfilled += (await backfillManufacturerObligations(u)).created.length;
    }
    const rows = await store.activeDueBefore(sql, new Date(now.getTime() + 90 * DAY));
    const policies = await store.tenantPolicies(sql, [...new Set(rows.map((r) => r.tenant_id))]);
    for (const r of rows) {
      const due = new Date(r.due_at);
      const { policy } = resolvePolicy(policies.get(r.tenant_id));
      const kind = due < now ? 'overdue' : due.getTime() <= now.getTime() + policy.dueSoonDays * DAY ? 'due_soon' : null;
      if (!kind) continue;
      const inserted = await enqueueEvent(sql, {
        tenantId: r.tenant_id, type: `obligation.${kind}`, subjectType: 'obligation', subjectId: r.id,
        idempotencyKey: `obligation.${kind}:${r.id}:${due.getTime()}`,
        payload: {
          obligation: { id: r.id, key: r.key, rule: r.rule, addressee: r.addressee, subjectType: r.subject_type, subjectId: r.subject_id,
            title: r.title, status: r.status, dueAt: due.toISOString(), dueDate: r.due_date, provisional: r.due_provisional },
          sweptAt: now.toISOString(),
        },
      });
      if (inserted) kind === 'overdue' ? overdue++ : dueSoon++;
    }
    return { ran: true, backfilled, dueSoon, overdue };
  });
}
