// Lowering a class: one user writes the justification, a second user approves; both are recorded.
import type { Actor } from '../platform/audit.ts';
import { AppError, fieldError, label, msg, notFound, validationFailed, type Msg } from '../platform/errors.ts';
import { unitOfWork, type Deps } from '../platform/usecase.ts';
import { overrideProblems, type OtaClass } from '../regimes/cn-2025/ota.ts';
import { deriveSteps } from './classify-campaign.ts';
import { presentCampaign, type CampaignView } from './present.ts';
import * as store from './store.ts';

const OPEN = ['classified', 'awaiting_prerequisites'];

/** The rule pack's override problems (English) as message keys, so the API answers in the caller's language. */
function overrideMsg(text: string, computed: string): Msg {
  if (text.startsWith('override must lower')) return msg('ota.overrideLower', { computed });
  if (text.startsWith('a written justification')) return msg('ota.overrideJustification');
  if (text.startsWith('the approver')) return msg('ota.overrideApprover');
  return msg('platform.text', { text });
}

export async function requestOverride(deps: Deps, actor: Actor, campaignId: string, input: { to: OtaClass; justification: string }): Promise<CampaignView> {
  return unitOfWork(deps, actor, async (u) => {
    const row = await store.getCampaign(u.sql, u.tenantId, campaignId, true);
    if (!row) throw notFound('campaign', campaignId);
    if (!OPEN.includes(row.state) || !row.computed_class) throw new AppError('invalid_transition', msg('ota.overrideOnlyOpen', { state: label('ota:state', row.state) }));
    const problems = overrideProblems(row.computed_class as OtaClass, { to: input.to, justification: input.justification, requestedBy: actor.id });
    if (problems.length) throw validationFailed(problems.map((m) => fieldError(m.includes('justification') ? 'justification' : 'to', overrideMsg(m, row.computed_class!))));
    const override = { from: row.computed_class, to: input.to, justification: input.justification.trim(), requestedBy: { id: actor.id, name: actor.name },
      requestedAt: u.now.toISOString(), approvedBy: null, approvedAt: null };
    const updated = await store.updateCampaign(u.sql, u.tenantId, row.id, [row.state], { override }, u.now);
    await u.audit({ action: 'campaign.class_override_requested', subjectType: 'campaign', subjectId: row.id, data: override });
    return presentCampaign(updated!);
  });
}

export async function approveOverride(deps: Deps, actor: Actor, campaignId: string): Promise<CampaignView> {
  return unitOfWork(deps, actor, async (u) => {
    const row = await store.getCampaign(u.sql, u.tenantId, campaignId, true);
    if (!row) throw notFound('campaign', campaignId);
    const o = row.override;
    if (!o || o.approvedBy) throw new AppError('conflict', msg('ota.noOverridePending'));
    if (o.from !== row.computed_class) throw new AppError('conflict', msg('ota.overrideClassChanged', { from: o.from, to: row.computed_class }));
    const problems = overrideProblems(row.computed_class as OtaClass, { to: o.to, justification: o.justification, requestedBy: o.requestedBy.id, approvedBy: actor.id });
    if (problems.length) throw new AppError('forbidden', msg('ota.overrideRefused', { reasons: problems.map((m) => overrideMsg(m, row.computed_class!)) }));
    const approved = { ...o, approvedBy: { id: actor.id, name: actor.name }, approvedAt: u.now.toISOString() };
    const steps = await deriveSteps(u, row, o.to);
    const updated = await store.updateCampaign(u.sql, u.tenantId, row.id, [row.state], { override: approved, class: o.to, steps }, u.now);
    await u.audit({ action: 'campaign.class_override_approved', subjectType: 'campaign', subjectId: row.id, data: approved });
    return presentCampaign(updated!);
  });
}
