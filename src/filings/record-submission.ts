import type { Actor } from '../platform/audit.ts';
import { AppError, fieldError, msg, notFound } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { shanghaiDate } from '../platform/time.ts';
import { unitOfWork, type Deps } from '../platform/usecase.ts';
import { loadFiling } from './create-filing.ts';
import type { Filing, RecordSubmissionInput } from './model.ts';
import { submitObligations } from './obligations-link.ts';
import { SUBMIT_FROM } from './rules.ts';
import * as store from './store.ts';

/**
 * Records that the package went to its addressee. The obligations it discharges turn submitted in the
 * same transaction. Re-sending the same receipt number changes nothing.
 */
export async function recordFilingSubmission(deps: Deps, actor: Actor, filingId: string, input: RecordSubmissionInput): Promise<{ filing: Filing; created: boolean }> {
  const created = await unitOfWork(deps, actor, async (u) => {
    const f = await store.getFiling(u.sql, u.tenantId, filingId);
    if (!f) throw notFound('filing', filingId);
    if (input.reference) {
      const same = await store.submissionByReference(u.sql, u.tenantId, filingId, input.reference);
      if (same) return false;
    }
    if (input.submittedOn > shanghaiDate(u.now)) {
      throw new AppError('validation_failed', msg('filings.submittedOnFuture'), { errors: [fieldError('submittedOn', msg('obligations.submissionFuture'))] });
    }
    if (f.supersededBy) throw new AppError('invalid_transition', msg('filings.correctedSubmit', { id: f.id, by: f.supersededBy }), { details: { supersededBy: f.supersededBy } });
    if (!SUBMIT_FROM.includes(f.state)) {
      throw new AppError('invalid_transition', msg('filings.noNewSubmission', { state: f.state }), { details: { state: f.state, allowed: SUBMIT_FROM } });
    }
    if (f.state !== 'submitted') {
      const moved = await store.transition(u.sql, u.tenantId, f.id, [f.state], 'submitted', u.now);
      if (!moved) throw new AppError('conflict', msg('filings.changedMeanwhile', { id: f.id }));
    }
    const obligationIds = await submitObligations(u, f, { channel: input.channel, submittedOn: input.submittedOn, reference: input.reference ?? null, note: input.note ?? null });
    const sub = {
      id: newId('fsb', u.now.getTime()), filingId: f.id, addressee: f.addressee, channel: input.channel, submittedOn: input.submittedOn,
      reference: input.reference ?? null, note: input.note ?? null, packageSha256: f.packageSha256, obligationIds,
      recordedBy: { id: actor.id, name: actor.name }, recordedAt: u.now,
    };
    await store.insertSubmission(u.sql, u.tenantId, sub);
    const data = { filingId: f.id, kind: f.kind, addressee: f.addressee, channel: sub.channel, submittedOn: sub.submittedOn, reference: sub.reference,
      packageSha256: f.packageSha256, contentDigest: f.contentDigest, obligationIds };
    await u.audit({ action: 'filing.submitted', subjectType: 'filing', subjectId: f.id, data });
    await u.emit({ type: 'filing.submitted', subjectType: 'filing', subjectId: f.id, payload: data, idempotencyKey: `filing.submitted:${sub.id}` });
    return true;
  });
  return { filing: await loadFiling(deps, actor, filingId), created };
}
