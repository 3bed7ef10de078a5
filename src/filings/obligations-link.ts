import { obligationsFor, recordDecision, recordSubmission, reopenObligation } from '../obligations/index.ts';
import type { UnitOfWork } from '../platform/usecase.ts';
import { DECISION_EFFECT, obligationsToSubmit } from './rules.ts';
import type { DecisionKind } from './model.ts';
import type { FilingRow } from './store.ts';

/** Marks the obligations this package discharges as submitted, in the caller's transaction; returns their ids. */
export async function submitObligations(u: UnitOfWork, f: FilingRow, s: { channel: string; submittedOn: string; reference: string | null; note: string | null }): Promise<string[]> {
  const obligations = await obligationsFor(u.sql, u.tenantId, { type: f.subjectType, id: f.subjectId }, u.now);
  const ids = obligationsToSubmit(f.kind, f.addressee, f.document.content, obligations);
  // The submission date is a Shanghai calendar date; the obligation keeps an instant: noon of that day, never after now.
  const at = new Date(Math.min(new Date(`${s.submittedOn}T12:00:00+08:00`).getTime(), u.now.getTime())).toISOString();
  for (const id of ids) {
    await recordSubmission(u, id, {
      channel: s.channel, submittedAt: at, reference: s.reference ?? undefined, packageSha256: f.packageSha256, filingId: f.id,
      note: s.note ?? undefined,
    });
  }
  return ids;
}

/**
 * Carries a regulator's decision to the obligations the filing's submissions discharged: accepted and
 * permit granted accept them, rejected rejects them, more information requested reopens them with the
 * question (which keeps a dependent campaign from clearing until the answer is filed).
 */
export async function decideObligations(u: UnitOfWork, f: FilingRow, obligationIds: string[], d: { decision: DecisionKind; reason: string | null; reference: string | null }): Promise<string[]> {
  const effect = DECISION_EFFECT[d.decision].obligation;
  const statuses = new Map((await obligationsFor(u.sql, u.tenantId, { type: f.subjectType, id: f.subjectId }, u.now)).map((o) => [o.id, o.status as string]));
  const touched: string[] = [];
  for (const id of new Set(obligationIds)) {
    const status = statuses.get(id);
    if (effect === 'reopen') {
      if (status !== 'submitted' && status !== 'accepted') continue;
      await reopenObligation(u, id, { question: d.reason ?? 'more information requested' });
    } else {
      if (status !== 'submitted') continue;
      await recordDecision(u, id, { decision: effect === 'accept' ? 'accepted' : 'rejected', reason: d.reason ?? undefined, reference: d.reference ?? undefined });
    }
    touched.push(id);
  }
  return touched;
}
