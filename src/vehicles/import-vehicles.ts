import { createHash } from 'node:crypto';
import type { Actor } from '../platform/audit.ts';
import { appendAudit } from '../platform/audit.ts';
import { AppError, fieldError, msg, renderMessage, withMsg, withMsgOf, type FieldError, type Msg } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { shanghaiDate } from '../platform/time.ts';
import type { Deps } from '../platform/usecase.ts';
import { listTenantProducts } from '../products/index.ts';
import type { ImportReport, LineIssue } from './model.ts';
import { csvHeader, lineBatches, parseCsvLine, parseNdjsonLine, type ParsedLine } from './parse.ts';
import * as store from './store.ts';

export const MAX_REPORTED_ERRORS = 1000;
export const MAX_REPORTED_WARNINGS = 100;

export type ImportInput = {
  format: 'csv' | 'ndjson';
  body: AsyncIterable<Buffer | string>;
  skipInvalid: boolean;
  /** Called every 10,000 lines and at the end with the lines and bytes read so far. */
  onProgress?: (p: { lines: number; bytes: number }) => void;
};

/**
 * Streams a VIN list into the registry in one transaction. Every bad line is reported with its
 * number; nothing is written when any line is bad unless skipInvalid; re-importing the same file
 * changes nothing. Memory stays flat: rows stream into a staging table, only the first
 * MAX_REPORTED_ERRORS problems are kept (the count is exact).
 */
export async function importVehicles(deps: Deps, actor: Actor, input: ImportInput): Promise<ImportReport> {
  const tenantId = actor.tenantId;
  if (!tenantId) throw new AppError('bad_request', msg('vehicles.importNeedsTenant'));
  const now = deps.clock();
  const today = shanghaiDate(now);
  return store.bulkTx(deps.db, tenantId, async (sql, openStage) => {
    const products = await listTenantProducts(sql, tenantId);
    const productOf = new Map<string, string>();
    for (const p of products) { productOf.set(p.id, p.id); productOf.set(p.model, p.id); }
    const stage = await openStage();
    const hash = createHash('sha256');
    let bytes = 0, lineCount = 0, errorCount = 0, warningCount = 0;
    const errors: LineIssue[] = [], warnings: LineIssue[] = [];
    const fail = (line: number, vin: string, message: string | Msg, source?: object) => {
      errorCount++;
      if (errors.length >= MAX_REPORTED_ERRORS) return;
      if (typeof message === 'string') errors.push(source ? withMsgOf({ line, vin, message }, source) : { line, vin, message });
      else errors.push(withMsg({ line, vin, message: renderMessage('en', message) }, message));
    };
    async function* hashed() {
      for await (const chunk of input.body) {
        const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        hash.update(b);
        bytes += b.length;
        yield b;
      }
    }
    let cols: Record<string, number> | null = null;
    for await (const batch of lineBatches(hashed())) for (const l of batch) {
      lineCount = l.line;
      if (l.line % 10_000 === 0) input.onProgress?.({ lines: l.line, bytes });
      let parsed: ParsedLine;
      if (input.format === 'csv') {
        if (!cols) {
          const h = csvHeader(l.text);
          if (!h.ok) throw new AppError('validation_failed', msg('vehicles.line1', { reason: h }), { errors: [withMsgOf({ path: 'header', line: 1, message: h.message }, h)] });
          cols = h.cols;
          continue;
        }
        parsed = parseCsvLine(l, cols);
      } else parsed = parseNdjsonLine(l);
      if (parsed.ok === 'skip') continue;
      if (parsed.ok === false) { fail(parsed.line, parsed.vin, parsed.message, parsed); continue; }
      const row = parsed.row;
      const productId = productOf.get(row.product);
      if (!productId) { fail(row.line, row.vin, msg('vehicles.productUnknown', { product: row.product })); continue; }
      if (row.productionDate > today) { fail(row.line, row.vin, msg('vehicles.productionFuture', { date: row.productionDate })); continue; }
      for (const w of parsed.warnings) {
        warningCount++;
        if (warnings.length < MAX_REPORTED_WARNINGS) warnings.push({ line: row.line, vin: row.vin, message: w });
      }
      if (errorCount > 0 && !input.skipInvalid) continue; // the import will fail: keep validating, stop staging
      const pending = stage.add({ line: row.line, vin: row.vin, productId, productionDate: row.productionDate, plant: row.plant, software: row.software, swin: row.swin });
      if (pending) await pending;
    }
    await stage.finish();
    input.onProgress?.({ lines: lineCount, bytes });
    if (input.format === 'csv' && !cols) throw new AppError('validation_failed', msg('vehicles.fileEmpty'), { errors: [fieldError('header', msg('vehicles.missingHeader'), 1)] });

    const fail422 = () => {
      errors.sort((a, b) => a.line - b.line);
      const fieldErrors = errors.map((e) => withMsgOf({ path: `line ${e.line}`, line: e.line, vin: e.vin, message: e.message }, e)) as (FieldError & { vin: string })[];
      return new AppError('validation_failed', msg('vehicles.badLines', { n: errorCount, line: errors[0].line, first: errors[0] }),
        { errors: fieldErrors, details: { errorCount, reported: errors.length, lines: lineCount } });
    };
    if (errorCount > 0 && !input.skipInvalid) throw fail422();
    const importId = newId('vim', now.getTime());
    let merged = await store.mergeStaged(sql, tenantId, importId, now);
    if (!merged) {
      // A VIN listed twice: identical lines count once; different data on a later line is a bad line.
      const conflicts = await store.stagedConflicts(sql, MAX_REPORTED_ERRORS);
      if (conflicts.total > 0) {
        errorCount += conflicts.total;
        for (const c of conflicts.sample) if (errors.length < MAX_REPORTED_ERRORS) { const m = msg('vehicles.vinRepeats', { line: c.firstLine }); errors.push(withMsg({ line: c.line, vin: c.vin, message: renderMessage('en', m) }, m)); }
        if (!input.skipInvalid) throw fail422();
        await store.dropConflictingDuplicates(sql);
      }
      merged = await store.mergeDeduplicated(sql, tenantId, importId, now);
    }
    errors.sort((a, b) => a.line - b.line);
    const digest = hash.digest('hex');
    const report: ImportReport = {
      importId, digest, lines: lineCount, imported: merged.inserted + merged.updated, inserted: merged.inserted, updated: merged.updated,
      unchanged: merged.staged - merged.inserted - merged.updated, skipped: errorCount, errorCount, errors, warningCount, warnings,
    };
    await store.insertImport(sql, tenantId, { id: importId, digest, format: input.format, lines: lineCount, inserted: merged.inserted, updated: merged.updated,
      unchanged: report.unchanged, skipped: errorCount, warnings: warningCount, actor: { type: actor.type, id: actor.id, name: actor.name }, at: now });
    await appendAudit(sql, { tenantId, actor, at: now, action: 'vehicles.imported', subjectType: 'vehicle_import', subjectId: importId,
      data: { digest, format: input.format, lines: lineCount, inserted: merged.inserted, updated: merged.updated, unchanged: report.unchanged, skipped: errorCount } });
    return report;
  });
}
