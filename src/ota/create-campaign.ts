import type { Actor } from '../platform/audit.ts';
import { newId } from '../platform/ids.ts';
import { unitOfWork, type Deps } from '../platform/usecase.ts';
import { prepareContent } from './content.ts';
import type { CampaignContent } from './model.ts';
import { presentCampaign, type CampaignView } from './present.ts';
import * as store from './store.ts';

export async function createCampaign(deps: Deps, actor: Actor, input: CampaignContent): Promise<CampaignView> {
  return unitOfWork(deps, actor, async (u) => {
    const p = await prepareContent(u.sql, u.tenantId, input);
    const id = newId('cmp', u.now.getTime());
    const row = await store.insertCampaign(u.sql, u.tenantId, {
      id, content: p.stored, productIds: p.stored.products, vinCount: p.vins?.length ?? 0,
      payloadDigest: p.payloadDigest, scopeDigest: p.scopeDigest, contentDigest: p.contentDigest, recall: p.stored.recall,
      createdBy: { type: actor.type, id: actor.id, name: actor.name }, at: u.now,
    });
    if (p.vins) await store.replaceScopeVins(u.sql, u.tenantId, id, p.vins);
    await u.audit({ action: 'campaign.created', subjectType: 'campaign', subjectId: id, after: p.stored,
      data: { contentDigest: p.contentDigest, scopeDigest: p.scopeDigest, vins: p.vins?.length ?? 0 } });
    await u.emit({ type: 'campaign.created', subjectType: 'campaign', subjectId: id, payload: { id, contentDigest: p.contentDigest }, idempotencyKey: `campaign.created:${id}` });
    return presentCampaign(row);
  });
}
