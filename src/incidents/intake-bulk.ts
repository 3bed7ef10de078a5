/**
 * Bulk intake on PostgreSQL: the batch is parsed, validated and COPYed straight into incident_events
 * inside ONE transaction while the body is still being read (Sql.copyRows; parsing in the threads of
 * intake-parser.ts), so a million events are written once, not staged and moved. A COPY cannot skip
 * conflicts, so each block of new rows is first
 * checked against the events the tenant already has (a read on another connection) and against the
 * batch itself; a concurrent batch that commits the same event in between makes the COPY fail with a
 * unique violation, and the request is refused as a retryable conflict with nothing written. A bad line
 * anywhere aborts the COPY: nothing of the batch is written, and every bad line (up to 100) is named.
 */
import { createHash } from 'node:crypto';
import { AppError, fieldError, msg, validationFailed, type FieldError } from '../platform/errors.ts';
import type { Deps, UnitOfWork } from '../platform/usecase.ts';
import type { IncidentPolicy } from '../regimes/cn-2025/incidents.ts';
import { batchInvalid, fieldErrorOf, MAX_ERRORS } from './event-rows.ts';
import { ParseSession } from './intake-parser.ts';
import type { ParsedChunk, ParsedRows } from './intake-worker.ts';
import { NewEvents, signalDayKey, type RowFacts } from './new-events.ts';
import * as store from './store.ts';

const BLOCK = 5000;

type Pending = { c: ParsedRows; i: number };
export type BulkOutcome = { digest: string; received: number; events: NewEvents };

/** At most this many pieces of the body wait in the parser threads: memory stays flat whatever the batch size. */
const WINDOW = 8;

const factsAt = (c: ParsedRows, i: number): RowFacts => ({
  dedupe: c.dedupe[i], personal: c.personal[i], signature: c.signature[i], sigFunction: c.sigFunction[i], faultCode: c.faultCode[i],
  sigVersion: c.sigVersion[i], sigEcu: c.sigEcu[i], sigDay: c.sigDay[i], vin: c.vin[i], caseKey: c.caseKey[i], severity: c.severity[i],
  awareAt: c.awareAt[i], type: c.type[i], vinStatus: c.vinStatus[i], occurredAt: c.occurredAt[i],
});

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
    for (const { c, i } of rows) {
      const signature = c.signature[i];
      if (signature) days.set(signalDayKey({ signature, sigDay: c.sigDay[i], vin: c.vin[i] }), { signature, day: c.sigDay[i]!, vin: c.vin[i] });
    }
    const known = deps.db.read({ tenantId: u.tenantId }, async (sql) => ({
      dedupes: await store.existingDedupes(sql, u.tenantId, rows.map(({ c, i }) => c.dedupe[i])),
      days: await store.existingSignalDays(sql, u.tenantId, [...days.values()]),
    }));
    known.catch(() => {});
    return async () => {
      const k = await known;
      let text = '';
      for (const { c, i } of rows) {
        if (k.dedupes.has(c.dedupe[i])) continue;
        text += c.line[i];
        events.add(factsAt(c, i), () => JSON.parse(c.caseBody[i]!), k.days);
      }
      return text;
    };
  };

  const parser = new ParseSession({ batchId, receivedAt, policy: p });
  /** Takes one parsed chunk into the batch: its errors, or its rows not seen before in the batch. */
  const take = (r: ParsedChunk) => {
    received += r.received;
    if (r.errors.length) errors.push(...r.errors.slice(0, MAX_ERRORS - errors.length).map(fieldErrorOf));
    if (errors.length) return;
    const c = r.rows;
    for (let i = 0; i < c.dedupe.length; i++) {
      if (seen.has(c.dedupe[i])) continue;
      seen.add(c.dedupe[i]);
      pending.push({ c, i });
    }
  };

  async function* copyText(): AsyncGenerator<string> {
    let checking: (() => Promise<string>) | null = null;
    const block = async function* (): AsyncGenerator<string> {
      if (errors.length || pending.length < BLOCK) return;
      const next = check(pending);
      pending = [];
      if (checking) yield await checking();
      checking = next;
    };
    for await (const chunk of body as AsyncIterable<string | Buffer>) {
      hash.update(chunk);
      parser.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      while (parser.inFlight >= WINDOW) { take(await parser.take()); yield* block(); }
      if (errors.length >= MAX_ERRORS) break;
    }
    parser.end();
    while (parser.inFlight > 0) { take(await parser.take()); yield* block(); }
    if (errors.length) throw batchInvalid(errors);
    if (received === 0) throw validationFailed([fieldError('', msg('incidents.noEvents'))]);
    if (checking) yield await (checking as () => Promise<string>)();
    if (pending.length) yield await check(pending)();
  }

  try {
    await store.copyEvents(u.sql, copyText());
  } catch (e) {
    if ((e as { code?: string }).code === '23505') {
      throw new AppError('conflict', msg('incidents.concurrentBatch'));
    }
    throw e;
  } finally {
    parser.close();
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
