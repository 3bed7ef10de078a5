import type { Actor } from '../platform/audit.ts';
import { AppError, label, msg, notFound } from '../platform/errors.ts';
import { unitOfWork, type Deps } from '../platform/usecase.ts';
import { classifyInUnit } from './classify-campaign.ts';
import { prepareContent } from './content.ts';
import type { CampaignContent, CampaignPatch } from './model.ts';
import { presentCampaign, type CampaignView } from './present.ts';
import { EDITABLE } from './rules.ts';
import * as store from './store.ts';

/**
 * Changes content or scope. A change after classification re-classifies; after clearance it revokes
 * the authorization and sends the campaign back to awaiting prerequisites: what was filed no longer
 * matches, so the gate asks for a new filing of the new content digest.
 */
export async function updateCampaign(deps: Deps, actor: Actor, campaignId: string, patch: CampaignPatch): Promise<CampaignView> {
  return unitOfWork(deps, actor, async (u) => {
    const row = await store.getCampaign(u.sql, u.tenantId, campaignId, true);
    if (!row) throw notFound('campaign', campaignId);
    if (!EDITABLE.includes(row.state as any)) {
      throw new AppError('gate_refused', msg(row.state === 'rolling_out' ? 'ota.cannotChangeRolling' : 'ota.cannotChange', { state: label('ota:state', row.state) }),
        { details: { missing: [{ code: 'not_editable', message: row.state === 'rolling_out' ? 'halt the rollout before changing the campaign' : `the campaign is ${row.state}` }] } });
    }
    const current = row.content as CampaignContent;
    const scope = patch.scope ?? { ...current.scope, ...(row.scope_vin_count ? { vins: await store.scopeVins(u.sql, u.tenantId, row.id) } : {}) };
    delete (scope as any).vinCount;
    const merged: CampaignContent = { ...current, ...patch, scope } as CampaignContent;
    const p = await prepareContent(u.sql, u.tenantId, merged);
    if (p.contentDigest === row.content_digest && JSON.stringify(p.stored) === JSON.stringify(row.content)) return presentCampaign(row);

    const digestChanged = p.contentDigest !== row.content_digest;
    const wasCleared = ['cleared', 'halted'].includes(row.state);
    const next = wasCleared ? 'awaiting_prerequisites' : row.state;
    let updated = await store.updateCampaign(u.sql, u.tenantId, row.id, [row.state], {
      state: next, revision: row.revision + (digestChanged ? 1 : 0), content: p.stored, productIds: p.stored.products, vinCount: p.vins?.length ?? 0,
      payloadDigest: p.payloadDigest, scopeDigest: p.scopeDigest, contentDigest: p.contentDigest, recall: p.stored.recall,
      ...(wasCleared ? { clearedAt: null } : {}),
    }, u.now);
    if (!updated) throw new AppError('conflict', msg('ota.changedMeanwhile', { id: row.id }));
    if (patch.scope) await store.replaceScopeVins(u.sql, u.tenantId, row.id, p.vins ?? []);
    await u.audit({ action: 'campaign.updated', subjectType: 'campaign', subjectId: row.id, before: row.content, after: p.stored,
      data: { fields: Object.keys(patch), contentDigest: { before: row.content_digest, after: p.contentDigest }, scopeDigest: { before: row.scope_digest, after: p.scopeDigest } } });
    if (digestChanged) {
      const revoked = await store.revokeAuthorization(u.sql, u.tenantId, row.id, `content changed (${row.content_digest.slice(0, 12)} -> ${p.contentDigest.slice(0, 12)})`, u.now);
      if (revoked || wasCleared) {
        await u.audit({ action: 'campaign.clearance_revoked', subjectType: 'campaign', subjectId: row.id,
          data: { authorizationId: revoked?.id ?? null, from: row.state, to: next, reason: 'content or scope changed after clearance' } });
        await u.emit({ type: 'campaign.clearance_revoked', subjectType: 'campaign', subjectId: row.id, payload: { id: row.id, authorizationId: revoked?.id ?? null },
          idempotencyKey: `campaign.clearance_revoked:${row.id}:${row.revision}` });
      }
    }
    if (updated.state !== 'draft') updated = await classifyInUnit(u, updated);
    return presentCampaign(updated);
  });
}
