/**
 * Bulk intake on PostgreSQL: the batch is parsed, validated and COPYed straight into incident_events
 * inside ONE transaction while the body is still being read (Sql.copyRows), so a million events are
 * written once, not staged and moved. A COPY cannot skip conflicts, so each block of new rows is first
 * checked against the events the tenant already has (a read on another connection) and against the
 * batch itself; a concurrent batch that commits the same event in between makes the COPY fail with a
 * unique violation, and the request is refused as a retryable conflict with nothing written. A bad line
 * anywhere aborts the COPY: nothing of the batch is written, and every bad line (up to 100) is named.
 */
import { createHash } from 'node:crypto';
import { AppError, validationFailed, type FieldError } from '../platform/errors.ts';
import type { Deps, UnitOfWork } from '../platform/usecase.ts';
import type { IncidentPolicy } from '../regimes/cn-2025/incidents.ts';
import { lineBlocks, MAX_ERRORS, parseLine, rowOf } from './event-rows.ts';
import type { IncidentEvent } from './model.ts';
import { NewEvents, signalDayKey } from './new-events.ts';
import * as store from './store.ts';

const BLOCK = 5000;

type Pending = { row: store.EventRow; event: IncidentEvent };
export type BulkOutcome = { digest: string; received: number; events: NewEvents };

export async function copyBatch(deps: Deps, u: UnitOfWork, body: AsyncIterable<string | Buffer> | Iterable<string | Buffer>, batchId: string, receivedAt: Date, p: IncidentPolicy): Promise<BulkOutcome> {
  const hash = createHash('sha256');
  const events = new NewEvents();
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  let received = 0;
  let pending: Pending[] = [];

  /**
   * Starts the check of a block against what the tenant has (one read, on another connection) and
   * returns, when awaited, the COPY text of its new rows. The check of one block runs while the next
   * block is parsed.
   */
  const check = (rows: Pending[]): (() => Promise<string>) => {
    const days = new Map<string, { signature: string; day: string; vin: string }>();
    for (const { row } of rows) if (row.signature) days.set(signalDayKey(row), { signature: row.signature, day: row.sigDay!, vin: row.vin });
    const known = deps.db.read({ tenantId: u.tenantId }, async (sql) => ({
      dedupes: await store.existingDedupes(sql, u.tenantId, rows.map((r) => r.row.dedupe)),
      days: await store.existingSignalDays(sql, u.tenantId, [...days.values()]),
    }));
    known.catch(() => {});
    return async () => {
      const k = await known;
      let text = '';
      for (const { row, event } of rows) {
        if (k.dedupes.has(row.dedupe)) continue;
        text += store.copyLine(batchId, row);
        events.add(row, event, k.days);
      }
      return text;
    };
  };

  async function* copyText(): AsyncGenerator<string> {
    let checking: (() => Promise<string>) | null = null;
    outer: for await (const block of lineBlocks(body, hash)) {
      for (let i = 0; i < block.lines.length; i++) {
        const line = block.first + i;
        const parsed = parseLine(block.lines[i], line);
        if (!parsed) continue;
        if ('error' in parsed) errors.push(parsed.error);
        else {
          const r = rowOf(parsed.value, receivedAt, p, line);
          if ('errors' in r) errors.push(...r.errors);
          else {
            received++;
            if (errors.length === 0 && !seen.has(r.row.dedupe)) { seen.add(r.row.dedupe); pending.push(r); }
          }
        }
        if (errors.length >= MAX_ERRORS) break outer;
      }
      if (errors.length === 0 && pending.length >= BLOCK) {
        const next = check(pending);
        pending = [];
        if (checking) yield await checking();
        checking = next;
      }
    }
    if (errors.length) {
      throw validationFailed(errors, errors.length >= MAX_ERRORS ? `the batch has at least ${MAX_ERRORS} bad lines; nothing was written` : 'the batch is not valid; nothing was written');
    }
    if (received === 0) throw validationFailed([{ path: '', message: 'no events in the body' }]);
    if (checking) yield await checking();
    if (pending.length) yield await check(pending)();
  }

  try {
    await store.copyEvents(u.sql, copyText());
  } catch (e) {
    if ((e as { code?: string }).code === '23505') {
      throw new AppError('conflict', 'another batch wrote some of these events at the same time; nothing of this batch was written: send it again (events already stored are recognised)');
    }
    throw e;
  }
  return { digest: hash.digest('hex'), received, events };
}

/** Signal days of the new events, as one COPY of the set gathered while the batch streamed by. */
export async function copySignalDays(u: UnitOfWork, events: NewEvents): Promise<void> {
  if (events.signalDays.size === 0) return;
  async function* text(): AsyncGenerator<string> {
    let s = '';
    for (const line of events.signalDays) {
      s += line + '\n';
      if (s.length > 1 << 16) { yield s; s = ''; }
    }
    if (s) yield s;
  }
  await store.addSignalDaysBulk(u.sql, u.tenantId, text);
}
