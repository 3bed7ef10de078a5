import { getCampaign } from '../ota/queries.ts';
import { reconciliation } from '../ota/reconciliation.ts';
import { AppError, fieldError, msg, validationFailed } from '../platform/errors.ts';
import { shanghaiDate } from '../platform/time.ts';
import { readScope } from '../platform/usecase.ts';
import { getProductWithBaseline } from '../products/index.ts';
import type { FilingKind } from './kinds.ts';
import type { GatherContext, Gathered } from './loaders.ts';
import { changePermit, otaActivity, otaSamr, recallFiling, type CampaignForFiling, type ProductForFiling } from './ota-content.ts';
import type { EvidenceRef } from './schemas/common.ts';
import * as store from './store.ts';

/**
 * Campaign packages are built from the campaign the OTA slice stores (its content, classification and
 * content digest) and the products' approved baselines; `input` adds only what a campaign does not
 * record (impact rationale, safety texts, recall details). A campaign that is not managed in icvgate
 * can still be filed with the whole content in `input.content`.
 */
export async function loadCampaign(ctx: GatherContext, kind: FilingKind, manual: (ctx: GatherContext) => Promise<Gathered>): Promise<Gathered> {
  const { deps, actor, tenantId, subjectId, input } = ctx;
  let campaign: Awaited<ReturnType<typeof getCampaign>>;
  try {
    campaign = await getCampaign(deps, actor, subjectId);
  } catch (e) {
    if (e instanceof AppError && e.code === 'not_found' && input.content) return manual(ctx);
    throw e;
  }
  if (input.content) {
    throw validationFailed([fieldError('input.content', msg('filings.campaignManaged', { id: subjectId }))]);
  }
  if (!campaign.classification) throw validationFailed([fieldError('subject', msg('filings.campaignNotClassified', { id: subjectId }))]);

  const products: ProductForFiling[] = await readScope(deps, actor, async (sql) => {
    const out: ProductForFiling[] = [];
    for (const id of campaign.products) {
      const p = await getProductWithBaseline(sql, tenantId, id);
      if (!p) throw new AppError('not_found', msg('filings.campaignProductNotFound', { id, campaign: subjectId }));
      const catalog = new Map((p.baseline?.catalog.parameters ?? []).map((d: any) => [d.key, { label: d.label, unit: d.type === 'number' ? d.unit.symbol : null, main: !!d.main }]));
      out.push({
        ref: { id: p.product.id, model: p.product.model, name: p.product.name, category: p.product.category, cdas: p.product.cdas, ota: p.product.ota, automationLevel: p.product.automationLevel },
        baseline: (p.baseline?.values ?? {}) as Record<string, unknown>, catalog,
      });
    }
    return out;
  });

  const source: CampaignForFiling = {
    id: campaign.id, filingDigest: campaign.digests.content, releaseLabel: typeof input.releaseLabel === 'string' ? input.releaseLabel : null,
    content: {
      products: campaign.products, purpose: campaign.purpose, requirementSource: campaign.requirementSource ?? undefined, otaType: campaign.otaType,
      recall: campaign.recall, recallNumber: campaign.recallNumber ?? undefined, software: campaign.software, swin: campaign.swin, functions: campaign.functions,
      parameters: campaign.parameters, window: campaign.window ?? undefined, scope: campaign.scope as CampaignForFiling['content']['scope'],
      notices: campaign.notices, safety: campaign.safety ?? undefined,
    },
    classification: { ...(campaign.classification as any), class: campaign.class as 'A' | 'B' | 'C' },
  };
  const evidence = await campaignEvidence(ctx, campaign.evidence ?? []);
  const activity = otaActivity(source, products, {
    affects: input.affects, safety: input.safety, evidence,
    vehicleCount: typeof campaign.scope.vinCount === 'number' && campaign.scope.vinCount > 0 ? campaign.scope.vinCount : input.vehicleCount,
  });
  const subjectDigest = campaign.digests.content;
  switch (kind) {
    case 'ota-filing-miit': return { content: activity, subjectDigest };
    case 'ota-filing-samr': return { content: otaSamr(activity, ctx.manufacturer, input.earliestRelease ?? null), subjectDigest };
    case 'change-permit': return { content: changePermit(activity, input.rationale), subjectDigest };
    case 'recall-filing': return { content: recallFiling(activity, input.recall), subjectDigest };
    case 'implementation-report': return { content: await implementationReport(ctx, campaign, activity), subjectDigest };
    default: throw new AppError('bad_request', msg('filings.notCampaignPackage', { kind }));
  }
}

/** The campaign's evidence files (by hash, in the blob store) as package evidence. */
async function campaignEvidence(ctx: GatherContext, list: Array<{ sha256: string; title: string }>): Promise<EvidenceRef[]> {
  const out: EvidenceRef[] = [];
  for (const e of list) {
    if (!ctx.deps.blobs) throw new AppError('unavailable', msg('filings.noEvidenceStore'));
    const v = await ctx.deps.blobs.verify(e.sha256);
    if (v.size === undefined) throw validationFailed([fieldError('subject', msg('filings.campaignEvidenceMissing', { sha256: e.sha256, title: e.title }))]);
    out.push({ sha256: e.sha256, filename: `${e.sha256.slice(0, 12)}.bin`, mediaType: 'application/octet-stream', size: v.size, title: e.title });
  }
  return out;
}

/** M22-3: counts from the OTA slice's reconciliation (actual vs filed), against the filed activity digest. */
async function implementationReport(ctx: GatherContext, campaign: Awaited<ReturnType<typeof getCampaign>>, a: ReturnType<typeof otaActivity>) {
  if (!campaign.startedAt) throw validationFailed([fieldError('subject', msg('filings.campaignNotStarted', { id: campaign.id }))]);
  const rec = await reconciliation(ctx.deps, ctx.actor, campaign.id);
  const filed = await readScope(ctx.deps, ctx.actor, async (sql) => (await store.filingsOfSubject(sql, ctx.tenantId, 'campaign', campaign.id))
    .filter((f) => f.kind === 'ota-filing-miit' && f.supersededBy === null && f.state !== 'built'));
  const end = campaign.completedAt ?? ctx.now.toISOString();
  const c = rec.counts;
  const deviations = [
    { kind: 'outside-scope', count: rec.outsideScope.vehicles, note: 'vehicles outside the filed scope reported an install' },
    { kind: 'server-claimed-only', count: rec.serverClaimedOnly.vehicles, note: 'successes the server reports but the vehicle never confirmed' },
    { kind: 'version-not-filed', count: rec.versionsNotFiled.reports, note: 'reports of versions that were not filed' },
    { kind: 'before-clearance', count: rec.installsBeforeClearance.reports, note: 'installs without a valid authorization' },
    { kind: 'outside-window', count: rec.installsOutsideWindow.reports, note: 'installs outside the filed window' },
  ].filter((d) => d.count > 0);
  return {
    campaign: a.campaign, products: a.products,
    filedContentDigest: filed[0]?.subjectDigest ?? campaign.digests.content,
    period: { from: shanghaiDate(new Date(campaign.startedAt)), to: shanghaiDate(new Date(end)) },
    final: campaign.state === 'completed', completedAt: campaign.completedAt,
    counts: { targeted: c.targeted, succeeded: c.succeeded, failed: c.failed, notReached: c.notReached, unconfirmed: c.serverClaimedOnly, outsideScope: c.outsideScope },
    deviations,
  };
}
