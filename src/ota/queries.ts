import type { Actor } from '../platform/audit.ts';
import { AppError, label, msg, notFound } from '../platform/errors.ts';
import { readScope, type Deps } from '../platform/usecase.ts';
import { missingForClearance } from './clearance.ts';
import { presentAuthorization, presentCampaign } from './present.ts';
import * as store from './store.ts';

function tenantOf(actor: Actor): string {
  if (!actor.tenantId) throw new AppError('bad_request', msg('ota.campaignsNeedTenant'));
  return actor.tenantId;
}

export async function getCampaign(deps: Deps, actor: Actor, id: string) {
  const tenantId = tenantOf(actor);
  const now = deps.clock();
  return readScope(deps, actor, async (sql) => {
    const row = await store.getCampaign(sql, tenantId, id);
    if (!row) throw notFound('campaign', id);
    const authz = await store.authorizationsOf(sql, tenantId, id);
    const missing = row.state === 'awaiting_prerequisites' || row.state === 'classified' ? await missingForClearance(sql, tenantId, row, now) : [];
    const steps = await store.stepsOf(sql, tenantId, id);
    return {
      ...presentCampaign(row, { authorization: authz.find((a) => !a.revoked_at) ?? authz.at(-1) ?? null, missing }),
      stepRecords: steps.map((s) => ({ step: s.step_id, reference: s.reference, filedDigest: s.filed_digest, decisionDate: s.decision_date, evidence: s.evidence, note: s.note, recordedBy: s.recorded_by, recordedAt: s.recorded_at.toISOString() })),
      authorizations: authz.map(presentAuthorization),
    };
  });
}

export async function listCampaigns(deps: Deps, actor: Actor, q: { state?: string; product?: string; limit: number; offset: number }) {
  const tenantId = tenantOf(actor);
  return readScope(deps, actor, async (sql) => {
    const { rows, total } = await store.listCampaigns(sql, tenantId, q);
    return { items: rows.map((r) => presentCampaign(r)), total };
  });
}

export async function getAuthorization(deps: Deps, actor: Actor, id: string) {
  const tenantId = tenantOf(actor);
  return readScope(deps, actor, async (sql) => {
    const row = await store.getCampaign(sql, tenantId, id);
    if (!row) throw notFound('campaign', id);
    const a = (await store.authorizationsOf(sql, tenantId, id)).find((x) => !x.revoked_at);
    if (!a) throw new AppError('not_found', msg('ota.noAuthorization', { id, state: label('ota:state', row.state) }), { details: { state: row.state } });
    return { ...presentAuthorization(a), token: a.token, claims: a.claims, jwks: `/api/v1/tenants/${tenantId}/jwks.json` };
  });
}
