import type { Actor } from '../platform/audit.ts';
import { AppError, label, msg, notFound, renderMessage, type Msg } from '../platform/errors.ts';
import { shanghaiDate } from '../platform/time.ts';
import { unitOfWork, type Deps, type UnitOfWork } from '../platform/usecase.ts';
import { loadCalendar, syncCampaignObligations } from '../obligations/index.ts';
import { catalogFor, getProductWithBaseline } from '../products/index.ts';
import { classifyCampaign, effectiveClass, officialWorkingDays, requiredSteps, CLASS_RANK, type Classification, type OtaClass } from '../regimes/cn-2025/ota.ts';
import { REGIME } from '../regimes/cn-2025/index.ts';
import { canonicalJson } from '../platform/canonical.ts';
import type { CampaignContent } from './model.ts';
import { presentCampaign, type CampaignView } from './present.ts';
import * as store from './store.ts';

export type CampaignClassification = Omit<Classification, 'baselineRef'> & {
  perProduct: { productId: string; model: string; baselineVersion: number; baselineReference: string | null; class: OtaClass }[];
};

/** Classifies against every product's approved baseline; the campaign's class is the highest. Pure rules, stored with their versions. */
export async function computeClassification(u: UnitOfWork, content: CampaignContent): Promise<CampaignClassification> {
  const catalog = await catalogFor(u.sql, u.tenantId);
  const perProduct: CampaignClassification['perProduct'] = [];
  const missing: string[] = [];
  const missingMsgs: Msg[] = [];
  let overall: Classification | null = null;
  const reasons: Classification['reasons'] = [];
  for (const productId of content.products) {
    const p = await getProductWithBaseline(u.sql, u.tenantId, productId);
    if (!p) throw notFound('product', productId);
    if (!p.baseline) { const m = msg('ota.noBaseline', { model: p.product.model }); missing.push(renderMessage('en', m)); missingMsgs.push(m); continue; }
    const r = classifyCampaign({
      baseline: p.baseline.values as Record<string, unknown>, baselineRef: `${p.product.model} v${p.baseline.version}`,
      resulting: content.parameters, catalog: { version: catalog.version, params: catalog.parameters.map((d) => ({ key: d.key, main: d.main })) },
      functions: content.functions, recall: content.recall, recallNumber: content.recallNumber,
    });
    perProduct.push({ productId, model: p.product.model, baselineVersion: p.baseline.version!, baselineReference: p.baseline.approval?.reference ?? null, class: r.class });
    for (const reason of r.reasons) {
      const key = canonicalJson({ ...reason, message: undefined });
      if (!reasons.some((x) => canonicalJson({ ...x, message: undefined }) === key)) reasons.push(reason);
    }
    if (!overall || CLASS_RANK[r.class] > CLASS_RANK[overall.class]) overall = r;
  }
  if (missing.length) {
    throw new AppError('conflict', msg('ota.classifyNeedsBaseline', { missing: missingMsgs }), { details: { missing } });
  }
  const cls = overall!.class;
  // A-level filing reason only when the overall class is A.
  const final = cls === 'A' ? reasons : reasons.filter((r) => r.effect !== 'A');
  return { class: cls, recall: content.recall, reasons: final, needsEvidence: final.some((r) => r.effect === 'evidence'),
    regime: REGIME.id, regimeVersion: REGIME.version, catalogVersion: catalog.version, perProduct };
}

/** Required steps (with due dates on the official calendar) and their obligations for the effective class. */
export async function deriveSteps(u: UnitOfWork, row: store.CampaignRow, cls: OtaClass, extra: { startedAt?: Date | null; completedAt?: Date | null } = {}) {
  const content = row.content as CampaignContent;
  const cal = await loadCalendar(u.sql);
  const steps = requiredSteps(cls, content.recall, {
    today: shanghaiDate(u.now), releaseDate: content.window ? shanghaiDate(new Date(content.window.start)) : null,
    completedDate: (extra.completedAt ?? row.completed_at) ? shanghaiDate((extra.completedAt ?? row.completed_at)!) : null,
  }, officialWorkingDays(cal));
  await syncCampaignObligations(u, {
    id: row.id, productIds: row.product_ids, class: cls, recall: content.recall, plannedReleaseAt: content.window?.start ?? null,
    startedAt: extra.startedAt ?? row.started_at, completedAt: extra.completedAt ?? row.completed_at,
  });
  return steps;
}

export const CLASSIFIABLE = ['draft', 'classified', 'awaiting_prerequisites'];

export async function classifyInUnit(u: UnitOfWork, row: store.CampaignRow): Promise<store.CampaignRow> {
  const result = await computeClassification(u, row.content);
  // A downgrade stays only while the computed class it lowered is unchanged.
  const override = row.override && row.override.from === result.class ? row.override : null;
  const cls = effectiveClass(result.class, override ? { ...override, requestedBy: override.requestedBy?.id, approvedBy: override.approvedBy?.id } : null);
  const steps = await deriveSteps(u, row, cls);
  const next = row.state === 'draft' ? 'classified' : row.state;
  const updated = await store.updateCampaign(u.sql, u.tenantId, row.id, [row.state], {
    state: next, classification: result, computedClass: result.class, class: cls, override, steps,
  }, u.now);
  if (!updated) throw new AppError('conflict', msg('ota.changedMeanwhile', { id: row.id }));
  if (canonicalJson(row.classification) !== canonicalJson(result) || row.state !== next) {
    await u.audit({ action: 'campaign.classified', subjectType: 'campaign', subjectId: row.id, before: row.classification ?? undefined, after: result,
      data: { class: cls, computedClass: result.class, recall: result.recall, rules: result.reasons.map((r) => r.rule), regime: result.regime, regimeVersion: result.regimeVersion, contentDigest: row.content_digest } });
  }
  return updated;
}

export async function classifyCampaignUseCase(deps: Deps, actor: Actor, campaignId: string): Promise<CampaignView> {
  return unitOfWork(deps, actor, async (u) => {
    const row = await store.getCampaign(u.sql, u.tenantId, campaignId, true);
    if (!row) throw notFound('campaign', campaignId);
    if (!CLASSIFIABLE.includes(row.state)) {
      throw new AppError('invalid_transition', msg('ota.notClassifiedAgain', { state: label('ota:state', row.state) }), { details: { state: row.state } });
    }
    return presentCampaign(await classifyInUnit(u, row));
  });
}
