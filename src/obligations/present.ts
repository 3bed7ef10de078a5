import type { ObligationPolicy } from '../regimes/cn-2025/obligations.ts';
import type { Obligation, Submission } from './model.ts';
import type { ObligationRow } from './store.ts';

const DAY = 86_400_000;

export function dueSoonUntil(now: Date, policy: ObligationPolicy): Date {
  return new Date(now.getTime() + policy.dueSoonDays * DAY);
}

/** Overdue and due soon are derived from the clock at read time, never stored. */
export function isActive(status: string): boolean {
  return status === 'open' || status === 'rejected';
}

export function isFulfilled(r: Pick<ObligationRow, 'status' | 'fulfilled_by' | 'has_reference'>): boolean {
  if (r.status === 'accepted' || r.status === 'waived') return true;
  return r.status === 'submitted' && r.fulfilled_by === 'submission' && !!r.has_reference;
}

export function present(r: ObligationRow, now: Date, policy: ObligationPolicy, submissions?: Submission[]): Obligation {
  const active = isActive(r.status);
  const due = r.due_at ? new Date(r.due_at) : null;
  return {
    id: r.id, key: r.key, rule: r.rule, part: r.part, source: r.source, regime: r.regime, regimeVersion: r.regime_version,
    subjectType: r.subject_type, subjectId: r.subject_id, addressee: r.addressee, actingParty: r.acting_party,
    title: r.title, documents: r.documents,
    due: { at: due ? due.toISOString() : null, date: r.due_date, provisional: r.due_provisional, basis: r.due_basis, condition: r.due_condition, explain: r.due_explain },
    gate: r.gate, fulfilledBy: r.fulfilled_by, after: r.after_keys,
    status: r.status, statusReason: r.status_reason, waiverRequest: r.waiver_request, decisionReference: r.decision_reference,
    overdue: active && !!due && due < now,
    dueSoon: active && !!due && due >= now && due <= dueSoonUntil(now, policy),
    fulfilled: isFulfilled(r),
    createdAt: new Date(r.created_at).toISOString(), updatedAt: new Date(r.updated_at).toISOString(),
    ...(submissions ? { submissions } : {}),
  };
}
