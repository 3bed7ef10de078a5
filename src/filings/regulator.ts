import type { Actor } from '../platform/audit.ts';
import type { Sql } from '../platform/db.ts';
import { AppError, fieldError, msg, notFound, renderMessage, validationFailed } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { shanghaiDate } from '../platform/time.ts';
import { unitIn, type Deps } from '../platform/usecase.ts';
import type { Authority } from './kinds.ts';
import type { Filing, RecordDecisionInput } from './model.ts';
import { decideObligations } from './obligations-link.ts';
import { presentFiling } from './present.ts';
import { rebuildRecorded } from './queries.ts';
import { DECIDE_FROM, DECISION_EFFECT, decisionAllowed } from './rules.ts';
import * as store from './store.ts';

/**
 * The regulator's side. A regulator reads across manufacturers, so its transactions run with operator
 * scope; every read of a filing goes through `store.addressedTo(sql, authority, …)`, which keeps only
 * packages submitted to the regulator's own authority. `inRegulatorScope` is the one entry point.
 */
async function inRegulatorScope<T>(deps: Deps, actor: Actor, fn: (sql: Sql, authority: Authority, regulatorTenantId: string) => Promise<T>): Promise<T> {
  if (!actor.tenantId) throw new AppError('forbidden', msg('filings.regulatorOnly'));
  const regulatorTenantId = actor.tenantId;
  return deps.db.tx('operator', async (sql) => {
    const t = await store.tenantFacts(sql, regulatorTenantId);
    if (!t || t.kind !== 'regulator' || !t.regulator) throw new AppError('forbidden', msg('filings.regulatorOnly'));
    return fn(sql, t.regulator, regulatorTenantId);
  });
}

async function withRecords(sql: Sql, rows: store.FilingRow[]): Promise<Filing[]> {
  const out: Filing[] = [];
  for (const f of rows) {
    out.push(presentFiling(f, await store.submissionsOf(sql, f.tenantId, [f.id]), await store.decisionsOf(sql, f.tenantId, [f.id])));
  }
  return out;
}

async function addressedOne(sql: Sql, authority: Authority, id: string): Promise<store.FilingRow> {
  const { items } = await store.addressedTo(sql, authority, { filingId: id, limit: 1 });
  if (!items[0]) throw notFound('filing', id);
  return items[0];
}

export function listAddressed(deps: Deps, actor: Actor, q: store.AddressedQuery) {
  return inRegulatorScope(deps, actor, async (sql, authority) => {
    const { items, total } = await store.addressedTo(sql, authority, q);
    return { authority, items: (await withRecords(sql, items)).map(({ manifest: _m, ...rest }) => rest), total };
  });
}

export function getAddressed(deps: Deps, actor: Actor, id: string): Promise<Filing> {
  return inRegulatorScope(deps, actor, async (sql, authority) => (await withRecords(sql, [await addressedOne(sql, authority, id)]))[0]);
}

export async function addressedPackage(deps: Deps, actor: Actor, id: string) {
  const f = await inRegulatorScope(deps, actor, (sql, authority) => addressedOne(sql, authority, id));
  return { filing: f, pkg: await rebuildRecorded(deps, f) };
}

/**
 * Records the authority's decision on a package addressed to it. The decision is part of the
 * manufacturer's record (its tenant, its audit chain, its obligations) and also of the regulator's chain.
 */
export async function recordRegulatorDecision(deps: Deps, actor: Actor, filingId: string, input: RecordDecisionInput): Promise<Filing> {
  let emitted = false;
  const result = await inRegulatorScope(deps, actor, async (sql, authority, regulatorTenantId) => {
    const f = await addressedOne(sql, authority, filingId);
    const refused = decisionAllowed(f.kind, input.decision);
    if (refused) {
      const known = msg('filings.permitOnlyChangePermit');
      throw validationFailed([fieldError('decision', refused === renderMessage('en', known) ? known : msg('platform.text', { text: refused }))]);
    }
    if (f.supersededBy) throw new AppError('invalid_transition', msg('filings.correctedDecide', { id: f.id, by: f.supersededBy }), { details: { supersededBy: f.supersededBy } });
    const now = deps.clock();
    const decidedOn = input.decidedOn ?? shanghaiDate(now);
    if (decidedOn > shanghaiDate(now)) throw validationFailed([fieldError('decidedOn', msg('filings.decisionFuture'))]);
    const effect = DECISION_EFFECT[input.decision];
    const moved = await store.transition(sql, f.tenantId, f.id, DECIDE_FROM, effect.state, now);
    if (!moved) throw new AppError('invalid_transition', msg('filings.noDecision', { state: f.state, allowed: DECIDE_FROM.join(', ') }), { details: { state: f.state } });

    // A unit of work in the manufacturer's tenant, inside this transaction, for the obligations slice.
    const u = unitIn(sql, now, actor, f.tenantId, () => { emitted = true; });
    const subs = await store.submissionsOf(sql, f.tenantId, [f.id]);
    const obligationIds = await decideObligations(u, f, subs.flatMap((s) => s.obligationIds), {
      decision: input.decision, reason: input.reason ?? null, reference: input.reference ?? null,
    });
    const decision = {
      id: newId('fdc', now.getTime()), filingId: f.id, authority, regulatorTenantId, decision: input.decision, reason: input.reason ?? null,
      reference: input.reference ?? null, decidedOn, decidedBy: { id: actor.id, name: actor.name }, obligationIds, recordedAt: now,
    };
    await store.insertDecision(sql, f.tenantId, decision);
    const data = { filingId: f.id, kind: f.kind, authority, decision: decision.decision, reason: decision.reason, reference: decision.reference,
      decidedOn, contentDigest: f.contentDigest, packageSha256: f.packageSha256, obligationIds };
    await u.audit({ action: `filing.${input.decision}`, subjectType: 'filing', subjectId: f.id, data });
    await u.audit({ tenantId: regulatorTenantId, action: `filing.${input.decision}`, subjectType: 'filing', subjectId: f.id, data: { ...data, manufacturer: f.tenantId } });
    await u.emit({ type: 'filing.decided', subjectType: 'filing', subjectId: f.id, payload: data, idempotencyKey: `filing.decided:${decision.id}` });
    return (await withRecords(sql, [(await store.getFiling(sql, f.tenantId, f.id))!]))[0];
  });
  if (emitted) deps.onCommit?.();
  return result;
}
