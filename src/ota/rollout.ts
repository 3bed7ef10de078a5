// Per-vehicle results from OTA back ends (NDJSON with an Idempotency-Key): all-or-nothing per batch,
// a repeated batch (same key) is answered from the record, a re-sent line is never counted twice.
import { createHash } from 'node:crypto';
import type { Actor } from '../platform/audit.ts';
import { checkVin } from '../identifiers/vin.ts';
import { AppError, fieldError, msg, notFound, validationFailed, type FieldError } from '../platform/errors.ts';
import { findIdempotent, saveIdempotent } from '../platform/idempotency.ts';
import { newId } from '../platform/ids.ts';
import { unitOfWork, type Deps } from '../platform/usecase.ts';
import { recordInstalledSoftware } from '../vehicles/index.ts';
import { lines } from '../vehicles/parse.ts';
import { RolloutReport } from './model.ts';
import * as store from './store.ts';

export const MAX_BATCH_LINES = 100_000;
const CHUNK = 5_000;

export type RolloutResult = { batchId: string; lines: number; inserted: number; duplicates: number; replayed: boolean };

export async function postRolloutReports(deps: Deps, actor: Actor, campaignId: string, key: string | undefined, body: AsyncIterable<Buffer | string>): Promise<RolloutResult> {
  if (!key || !key.trim() || key.length > 200) throw new AppError('bad_request', msg('ota.idempotencyKeyRequired'));
  // Parse and validate before the transaction: a batch is small enough to hold (MAX_BATCH_LINES).
  const hash = createHash('sha256');
  const rows: store.ReportInput[] = [];
  const errors: FieldError[] = [];
  let count = 0;
  async function* hashed() { for await (const c of body) { const b = typeof c === 'string' ? Buffer.from(c) : c; hash.update(b); yield b; } }
  const now = deps.clock();
  for await (const l of lines(hashed())) {
    if (!l.text.trim()) continue;
    if (++count > MAX_BATCH_LINES) throw new AppError('payload_too_large', msg('ota.batchTooLong', { max: MAX_BATCH_LINES }));
    let o: unknown;
    try { o = JSON.parse(l.text); } catch (e) { errors.push(fieldError(`line ${l.line}`, msg('ota.lineNotJson', { reason: (e as Error).message }), l.line)); continue; }
    const r = RolloutReport.safeParse(o);
    if (!r.success) { errors.push({ path: `line ${l.line}`, line: l.line, message: r.error.issues.map((i) => `${i.path.join('.') || '(line)'}: ${i.message}`).join('; ') }); continue; }
    const v = checkVin(r.data.vin);
    if (!v.ok) { errors.push(fieldError(`line ${l.line}`, msg('ota.lineVin', { reason: v }), l.line)); continue; }
    if (r.data.campaign && r.data.campaign !== campaignId) { errors.push(fieldError(`line ${l.line}`, msg('ota.lineOtherCampaign', { campaign: r.data.campaign, campaignId }), l.line)); continue; }
    const at = new Date(r.data.at);
    if (at.getTime() > now.getTime() + 5 * 60_000) { errors.push(fieldError(`line ${l.line}`, msg('ota.lineInFuture', { at: r.data.at }), l.line)); continue; }
    rows.push({ vin: v.vin, at, result: r.data.result, source: r.data.source, version: r.data.version, ecu: r.data.ecu ?? '' });
  }
  if (errors.length) throw validationFailed(errors.slice(0, 1000), msg('ota.badLines', { n: errors.length }));
  if (!rows.length) throw validationFailed([fieldError('body', msg('ota.batchEmpty'))]);
  const digest = hash.digest('hex');

  return unitOfWork(deps, actor, async (u) => {
    const scope = `rollout:${campaignId}`;
    const prior = await findIdempotent<RolloutResult>(u.sql, u.tenantId, scope, key, digest);
    if (prior) return { ...prior, replayed: true };
    const c = await store.getCampaign(u.sql, u.tenantId, campaignId);
    if (!c) throw notFound('campaign', campaignId);
    // Reports for an uncleared campaign are recorded too: such installs are what reconciliation must show.
    const batchId = newId('rob', u.now.getTime());
    let inserted = 0;
    for (let i = 0; i < rows.length; i += CHUNK) inserted += await store.insertReports(u.sql, u.tenantId, campaignId, batchId, u.now, rows.slice(i, i + CHUNK));
    const software = rows.filter((r) => r.result === 'success' && r.ecu).map((r) => ({ vin: r.vin, ecu: r.ecu, version: r.version, at: r.at, source: r.source as 'vehicle' | 'server' }));
    for (let i = 0; i < software.length; i += CHUNK) await recordInstalledSoftware(u.sql, u.tenantId, software.slice(i, i + CHUNK));
    const result: RolloutResult = { batchId, lines: rows.length, inserted, duplicates: rows.length - inserted, replayed: false };
    await store.insertBatch(u.sql, u.tenantId, { id: batchId, campaignId, key, digest, lines: rows.length, inserted, duplicates: result.duplicates, at: u.now });
    await saveIdempotent(u.sql, u.tenantId, scope, key, digest, result);
    await u.audit({ action: 'campaign.rollout_reported', subjectType: 'campaign', subjectId: campaignId, data: { batchId, digest, lines: rows.length, inserted, duplicates: result.duplicates, idempotencyKey: key } });
    return result;
  });
}
