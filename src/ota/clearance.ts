// What clearance still misses, gathered from the obligation register, the filings, the step
// records and the incidents' blocked versions, then judged by the pure rules.
import { filingsFor, currentFiled, type FilingKind, type Authority } from '../filings/index.ts';
import { blockedVersions } from '../incidents/index.ts';
import { campaignObligationStatus } from '../obligations/index.ts';
import type { Sql } from '../platform/db.ts';
import type { RequiredStep, StepId } from '../regimes/cn-2025/ota.ts';
import type { CampaignContent } from './model.ts';
import { clearanceMissing, type FiledDigest, type Missing } from './rules.ts';
import * as store from './store.ts';

/** Which filing package carries a step's content (docs/filings.md). */
export const STEP_FILING: Partial<Record<StepId, [FilingKind, Authority]>> = {
  'miit-filing': ['ota-filing-miit', 'MIIT'],
  'samr-filing': ['ota-filing-samr', 'SAMR'],
  'samr-ota-info-sheet': ['ota-filing-samr', 'SAMR'],
  'samr-recall-filing': ['recall-filing', 'SAMR'],
};

export async function filedDigests(sql: Sql, tenantId: string, campaignId: string, steps: RequiredStep[]): Promise<FiledDigest[]> {
  const records = await filingsFor(sql, tenantId, 'campaign', campaignId);
  const recorded = new Map((await store.stepsOf(sql, tenantId, campaignId)).map((s) => [s.step_id, s]));
  const out: FiledDigest[] = [];
  for (const s of steps) {
    if (!s.filesContent) continue;
    const kind = STEP_FILING[s.id];
    const filed = kind ? currentFiled(records, kind[0], kind[1]) : undefined;
    if (filed?.subjectDigest) { out.push({ stepId: s.id, digest: filed.subjectDigest, source: `filing ${filed.id} v${filed.version}` }); continue; }
    const r = recorded.get(s.id);
    if (r) out.push({ stepId: s.id, digest: r.filed_digest, source: `recorded by ${r.recorded_by?.name ?? 'a user'} (${r.reference})` });
  }
  return out;
}

export async function missingForClearance(sql: Sql, tenantId: string, row: store.CampaignRow, now: Date): Promise<Missing[]> {
  const steps = (row.steps ?? []) as RequiredStep[];
  const status = await campaignObligationStatus(sql, tenantId, { campaignId: row.id, productIds: row.product_ids });
  return clearanceMissing({
    content: row.content as CampaignContent,
    classification: row.classification ? { class: row.class as any, recall: row.recall, needsEvidence: row.classification.needsEvidence } : null,
    override: row.override ? { to: row.override.to, approvedBy: row.override.approvedBy?.id ?? null } : null,
    steps,
    open: status.missing,
    filed: await filedDigests(sql, tenantId, row.id, steps),
    currentContentDigest: row.content_digest,
    blocked: await blockedVersions(sql, tenantId),
    now,
    scopeVinCount: row.scope_vin_count,
  });
}
