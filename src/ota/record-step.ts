// Records a required step done outside a filing package built here (e.g. filed directly in the MIIT
// system): the receipt or permit reference, and the content digest that was filed (default: the
// campaign's digest now). The matching obligation gets the submission (and, for a permit, its grant).
import type { Actor } from '../platform/audit.ts';
import { AppError, msg, notFound } from '../platform/errors.ts';
import { unitOfWork, type Deps } from '../platform/usecase.ts';
import { obligationsFor, recordDecision, recordSubmission } from '../obligations/index.ts';
import type { RequiredStep, StepId } from '../regimes/cn-2025/ota.ts';
import type { StepRecord } from './model.ts';
import { presentCampaign, type CampaignView } from './present.ts';
import * as store from './store.ts';

export async function recordStep(deps: Deps, actor: Actor, campaignId: string, stepId: string, input: StepRecord): Promise<CampaignView> {
  return unitOfWork(deps, actor, async (u) => {
    const row = await store.getCampaign(u.sql, u.tenantId, campaignId, true);
    if (!row) throw notFound('campaign', campaignId);
    const step = ((row.steps ?? []) as RequiredStep[]).find((s) => s.id === stepId);
    if (!step) throw new AppError('not_found', msg('ota.stepNotRequired', { stepId, required: (row.steps ?? []).map((s: RequiredStep) => s.id).join(', ') || msg('ota.none') }));
    const filedDigest = step.filesContent ? (input.filedDigest ?? row.content_digest) : null;
    await store.upsertStep(u.sql, u.tenantId, row.id, { stepId, reference: input.reference, filedDigest, decisionDate: input.decisionDate ?? null,
      evidence: input.evidence, note: input.note ?? null, by: { id: actor.id, name: actor.name }, at: u.now });
    const obligation = (await obligationsFor(u.sql, u.tenantId, { type: 'campaign', id: row.id }, u.now)).find((o: any) => o.part === stepId && !['withdrawn'].includes(o.status));
    if (obligation) {
      const o = obligation as any;
      if (['open', 'rejected'].includes(o.status)) {
        await recordSubmission(u, o.id, { channel: 'other', reference: input.reference, note: input.note ?? `recorded on campaign ${row.id}` } as any);
      }
      if (step.records === 'approval' && o.status !== 'accepted') {
        await recordDecision(u, o.id, { decision: 'accepted', reference: input.reference } as any);
      }
    }
    await u.audit({ action: 'campaign.step_recorded', subjectType: 'campaign', subjectId: row.id,
      data: { step: stepId as StepId, reference: input.reference, filedDigest, currentDigest: row.content_digest, obligationId: (obligation as any)?.id ?? null } });
    return presentCampaign(row);
  });
}
