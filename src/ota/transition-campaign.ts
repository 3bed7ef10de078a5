import type { Actor } from '../platform/audit.ts';
import { AppError, label, msg, notFound } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { unitOfWork, type Deps, type UnitOfWork } from '../platform/usecase.ts';
import type { RequiredStep } from '../regimes/cn-2025/ota.ts';
import { classifyInUnit, deriveSteps } from './classify-campaign.ts';
import { filedDigests, missingForClearance } from './clearance.ts';
import { activeSigningKey } from './keys.ts';
import type { CampaignContent, CampaignState } from './model.ts';
import { presentCampaign, type CampaignView } from './present.ts';
import { transitionMissing, type Missing } from './rules.ts';
import { signAuthorization, type AuthorizationClaims } from './signing.ts';
import * as store from './store.ts';

export function gateRefused(from: string, to: string, missing: Missing[]): AppError {
  return new AppError('gate_refused', msg('ota.gate.refused', { from: label('ota:state', from), to: label('ota:state', to), reasons: missing.slice(0, 3), more: missing.length > 3 ? msg('ota.gate.more', { n: missing.length - 3 }) : '' }),
    { details: { from, to, missing } });
}

async function issueAuthorization(u: UnitOfWork, row: store.CampaignRow): Promise<store.AuthzRow> {
  const c = row.content as CampaignContent;
  const key = await activeSigningKey(u);
  const steps = (row.steps ?? []) as RequiredStep[];
  const recorded = await store.stepsOf(u.sql, u.tenantId, row.id);
  const filed = await filedDigests(u.sql, u.tenantId, row.id, steps);
  const filings = steps.filter((s) => s.phase === 'before-release').map((s) => ({
    step: s.id, addressee: s.addressee,
    reference: recorded.find((r) => r.step_id === s.id)?.reference ?? filed.find((f) => f.stepId === s.id)?.source ?? 'obligation fulfilled',
  }));
  const claims: AuthorizationClaims = {
    campaignId: row.id, campaignVersion: row.revision, tenantId: u.tenantId, class: row.class!, recall: row.recall,
    contentDigest: row.content_digest, scopeDigest: row.scope_digest, filingDigest: row.content_digest,
    filings, software: c.software.map((s) => ({ ecu: s.ecu, to: s.to, sha256: s.sha256 })), window: c.window!,
  };
  const id = newId('az', u.now.getTime());
  const token = await signAuthorization(key, id, claims, u.now);
  await store.insertAuthorization(u.sql, u.tenantId, { id, campaignId: row.id, revision: row.revision, kid: key.kid, token, claims,
    issuedAt: u.now, validFrom: new Date(c.window!.start), validTo: new Date(c.window!.end) });
  await u.audit({ action: 'campaign.authorization_issued', subjectType: 'campaign', subjectId: row.id, data: { authorizationId: id, kid: key.kid, contentDigest: row.content_digest, scopeDigest: row.scope_digest } });
  return (await store.authorizationsOf(u.sql, u.tenantId, row.id)).find((a) => a.id === id)!;
}

export async function transitionCampaign(deps: Deps, actor: Actor, campaignId: string, to: CampaignState): Promise<CampaignView> {
  return unitOfWork(deps, actor, async (u) => {
    const row = await store.getCampaign(u.sql, u.tenantId, campaignId, true);
    if (!row) throw notFound('campaign', campaignId);
    const from = row.state as CampaignState;
    const authz = (await store.authorizationsOf(u.sql, u.tenantId, row.id)).find((a) => !a.revoked_at) ?? null;
    const clearance = to === 'cleared' && from === 'awaiting_prerequisites' ? await missingForClearance(u.sql, u.tenantId, row, u.now) : undefined;
    const missing = transitionMissing(from, to, { now: u.now, window: row.content.window, authorizationActive: !!authz, clearance });
    if (missing.length) throw gateRefused(from, to, missing);

    if (to === 'classified') return presentCampaign(await classifyInUnit(u, row));

    const set: Parameters<typeof store.updateCampaign>[4] = { state: to };
    let issued: store.AuthzRow | null = authz;
    if (to === 'cleared') set.clearedAt = u.now;
    if (to === 'rolling_out' && !row.started_at) {
      set.startedAt = u.now;
      set.steps = await deriveSteps(u, row, row.class as any, { startedAt: u.now });
    }
    if (to === 'completed') {
      set.completedAt = u.now;
      set.steps = await deriveSteps(u, row, row.class as any, { startedAt: row.started_at ?? u.now, completedAt: u.now });
    }
    const updated = await store.updateCampaign(u.sql, u.tenantId, row.id, [from], set, u.now);
    if (!updated) throw new AppError('conflict', msg('ota.movedMeanwhile', { id: row.id }));
    if (to === 'cleared') issued = await issueAuthorization(u, updated);
    if (to === 'cancelled' || to === 'completed') {
      const revoked = await store.revokeAuthorization(u.sql, u.tenantId, row.id, to, u.now);
      if (revoked) issued = revoked;
    }
    await u.audit({ action: `campaign.${to}`, subjectType: 'campaign', subjectId: row.id, data: { from, to, contentDigest: row.content_digest } });
    await u.emit({ type: `campaign.${to}`, subjectType: 'campaign', subjectId: row.id, payload: { id: row.id, from, to, contentDigest: row.content_digest },
      idempotencyKey: `campaign.${to}:${row.id}:${u.now.getTime()}` });
    return presentCampaign(updated, { authorization: issued });
  });
}
