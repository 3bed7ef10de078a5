/**
 * Event intake: one JSON event or an NDJSON batch. Pass 1 validates every line (nothing is written
 * if one is bad, and every bad line is named); pass 2 writes in chunks of CHUNK events, each its own
 * short transaction, so PGlite is never held for a whole million. A failure half-way is resumable:
 * re-sending adds only what is missing, because each event has a dedupe key. The same
 * Idempotency-Key with the same body replays the first answer; with another body it is a 409.
 */
import { createHash } from 'node:crypto';
import type { Actor } from '../platform/audit.ts';
import { AppError, validationFailed, type FieldError } from '../platform/errors.ts';
import { findIdempotent, saveIdempotent } from '../platform/idempotency.ts';
import { newId } from '../platform/ids.ts';
import { shanghaiDate } from '../platform/time.ts';
import { readScope, unitOfWork, type Deps, type UnitOfWork } from '../platform/usecase.ts';
import { incidentPolicy, severityOf, type IncidentPolicy } from '../regimes/cn-2025/incidents.ts';
import { openCasesForChunk } from './cases.ts';
import { escalateSignatures } from './escalation.ts';
import { IncidentEvent, type IntakeResult } from './model.ts';
import { caseKeyOf, dedupeKey, factsOf, signatureOf, vinStatus } from './rules.ts';
import * as store from './store.ts';

export const CHUNK = 5000;
const MAX_ERRORS = 100;
const SCOPE = 'incidents.events';

export type IntakeInput = {
  /** NDJSON text chunks, or one parsed JSON value (a single event). */
  body: AsyncIterable<string | Buffer> | Iterable<string | Buffer> | unknown;
  ndjson: boolean;
  idempotencyKey?: string;
};

type SignalDay = { signature: string; day: string; vin: string };
type Prepared = { rows: store.EventRow[]; personal: { dedupe: string; data: string }[]; sigs: Map<string, { signature: string; fn: string; fault: string; version: string; ecu: string | null }>; signalDays: Map<string, SignalDay> };

/** Turns one valid event into its row; the VIN check is part of validation. */
export function toRow(e: IncidentEvent, receivedAt: Date, p: IncidentPolicy): { row: store.EventRow; error?: undefined } | { error: FieldError; row?: undefined } {
  const vin = vinStatus(e.vin);
  if (!vin.ok) return { error: { path: 'vin', message: vin.reason } };
  const aware = e.awareAt ? new Date(e.awareAt) : receivedAt;
  const occurred = new Date(e.occurredAt);
  if (!e.awareAt && occurred.getTime() > receivedAt.getTime()) return { error: { path: 'occurredAt', message: 'is in the future' } };
  if (aware.getTime() < occurred.getTime()) return { error: { path: 'awareAt', message: 'is before occurredAt' } };
  const severity = severityOf(factsOf(e), p);
  const sig = signatureOf(e);
  const dedupe = dedupeKey(e);
  const caseKey = caseKeyOf(e, severity, aware);
  const awareAt = aware.toISOString();
  // The stored body is the event without its personal data, VIN normalised, awareness filled in.
  // The parsed event is ours: changing it in place spares two copies per event on the bulk path.
  const personal = e.personal;
  e.personal = undefined;
  e.vin = vin.vin;
  e.awareAt = awareAt;
  return {
    row: {
      dedupe, eventId: e.eventId ?? null, type: e.type, vin: vin.vin, vinStatus: vin.status, occurredAt: occurred.toISOString(), awareAt,
      cdasFunction: e.cdas.function, engagement: e.cdas.engagement, secondsBeforeImpact: e.cdas.secondsBeforeImpact ?? null,
      faultCode: e.faultCode ?? null, signature: sig?.key ?? null, severity, caseKey,
      province: e.location?.province ?? null, city: e.location?.city ?? null, body: JSON.stringify(e),
      personal: personal ? JSON.stringify(personal) : null,
      sigFunction: sig?.function ?? null, sigVersion: sig?.softwareVersion ?? null, sigEcu: sig?.ecu ?? null,
      sigDay: sig ? shanghaiDate(occurred) : null,
    },
  };
}

/** Splits NDJSON chunks into lines and hands each chunk's lines over at once (no await per line). */
async function* lineBlocks(chunks: AsyncIterable<string | Buffer> | Iterable<string | Buffer>, hash: ReturnType<typeof createHash>): AsyncGenerator<{ first: number; lines: string[] }> {
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let rest = '', n = 0;
  for await (const c of chunks as AsyncIterable<string | Buffer>) {
    hash.update(c);
    const text = rest + (typeof c === 'string' ? c : decoder.decode(c, { stream: true }));
    const parts = text.split('\n');
    rest = parts.pop()!;
    yield { first: n + 1, lines: parts };
    n += parts.length;
  }
  rest += decoder.decode();
  if (rest.length) yield { first: n + 1, lines: [rest] };
}

type Sink = (((rows: store.EventRow[]) => Promise<void>) & { used(): boolean }) | null;

async function prepare(input: IntakeInput, receivedAt: Date, p: IncidentPolicy, sink: Sink): Promise<Prepared & { digest: string; received: number }> {
  const out: Prepared = { rows: [], personal: [], sigs: new Map(), signalDays: new Map() };
  const errors: FieldError[] = [];
  const hash = createHash('sha256');
  let received = 0;
  const accept = (value: unknown, line?: number) => {
    const parsed = IncidentEvent.safeParse(value);
    if (!parsed.success) {
      for (const i of parsed.error.issues.slice(0, 5)) errors.push({ path: i.path.join('.'), message: i.message, ...(line ? { line } : {}) });
      return;
    }
    const r = toRow(parsed.data, receivedAt, p);
    if (r.error) { errors.push({ ...r.error, ...(line ? { line } : {}) }); return; }
    received++;
    if (errors.length === 0) out.rows.push(r.row);
    if (r.row.personal) out.personal.push({ dedupe: r.row.dedupe, data: r.row.personal });
    if (r.row.signature) {
      if (!out.sigs.has(r.row.signature)) {
        out.sigs.set(r.row.signature, { signature: r.row.signature, fn: r.row.sigFunction!, fault: r.row.faultCode!, version: r.row.sigVersion!, ecu: r.row.sigEcu });
      }
      const day = r.row.sigDay!;
      const k = `${r.row.signature}\u0000${day}\u0000${r.row.vin}`;
      if (!out.signalDays.has(k)) out.signalDays.set(k, { signature: r.row.signature, day, vin: r.row.vin });
    }
  };
  if (!input.ndjson) {
    hash.update(JSON.stringify(input.body ?? null));
    accept(input.body);
  } else {
    outer: for await (const block of lineBlocks(input.body as AsyncIterable<string | Buffer>, hash)) {
      for (let i = 0; i < block.lines.length; i++) {
        const text = block.lines[i];
        const line = block.first + i;
        if (text.trim() === '') continue;
        let value: unknown;
        try { value = JSON.parse(text); } catch (e) { errors.push({ line, path: '', message: `not JSON: ${(e as Error).message}` }); }
        if (value !== undefined) accept(value, line);
        if (errors.length >= MAX_ERRORS) break outer;
      }
      // Small batches stay in memory; from CHUNK rows on, they stream to the sink (COPY on PostgreSQL).
      if (sink && out.rows.length >= CHUNK && errors.length === 0) { const rows = out.rows; out.rows = []; await sink(rows); }
    }
  }
  if (sink && out.rows.length && errors.length === 0 && sink.used()) { const rows = out.rows; out.rows = []; await sink(rows); }
  if (errors.length) throw validationFailed(errors, errors.length >= MAX_ERRORS ? `the batch has at least ${MAX_ERRORS} bad lines; nothing was written` : 'the batch is not valid; nothing was written');
  if (received === 0) throw validationFailed([{ path: '', message: 'no events in the body' }]);
  return { ...out, digest: hash.digest('hex'), received };
}

/** The digest `prepare` computes, without validating: the same bytes give the same digest. */
async function digestOnly(input: IntakeInput): Promise<string> {
  const hash = createHash('sha256');
  if (!input.ndjson) hash.update(JSON.stringify(input.body ?? null));
  else for await (const c of input.body as AsyncIterable<string | Buffer>) hash.update(c);
  return hash.digest('hex');
}

type Totals = { inserted: number; cases: number; assessments: number };

/** What one set of new rows means: personal data apart, signatures, cases, escalation. */
async function settle(u: UnitOfWork, outcome: store.ChunkOutcome, prepared: Prepared, dedupes: Set<string> | null, p: IncidentPolicy, signalDays: SignalDay[]): Promise<Totals> {
  if (outcome.inserted === 0) return { inserted: 0, cases: 0, assessments: 0 };
  await store.addSignalDays(u.sql, u.tenantId, signalDays);
  await store.insertEventPersonal(u.sql, u.tenantId, dedupes ? prepared.personal.filter((x) => dedupes.has(x.dedupe)) : prepared.personal);
  await store.upsertSignatures(u.sql, u.tenantId, outcome.signatures.map((s) => prepared.sigs.get(s)!).filter(Boolean), u.now);
  const cases = await openCasesForChunk(u, outcome, p);
  const assessments = await escalateSignatures(u, outcome.signatures, p);
  return { inserted: outcome.inserted, cases, assessments };
}

export async function intakeEvents(deps: Deps, actor: Actor, input: IntakeInput): Promise<IntakeResult> {
  const tenantId = actor.tenantId;
  if (!tenantId) throw new AppError('bad_request', 'events belong to a manufacturer tenant: use a token of that tenant');
  const receivedAt = deps.clock();
  const p = incidentPolicy(await readScope(deps, actor, (sql) => store.tenantPolicy(sql, tenantId)));
  const batchId = newId('evb', receivedAt.getTime());
  const key = input.idempotencyKey;
  if (key && (await readScope(deps, actor, (sql) => store.idempotencyKeyUsed(sql, tenantId, SCOPE, key)))) {
    // A re-sent batch: hashing the body is enough to replay the answer (or refuse another body).
    const digest = await digestOnly(input);
    const seen = await readScope(deps, actor, (sql) => findIdempotent<IntakeResult>(sql, tenantId, SCOPE, key, digest));
    if (seen) return { ...seen, replayed: true };
    throw new AppError('conflict', `Idempotency-Key ${key} changed while this request was read: send it again`);
  }
  // On PostgreSQL a batch of more than CHUNK events streams into a scratch table (COPY) while the body
  // is still being read; smaller batches stay in memory.
  const stage: { copy: store.StageCopy | null } = { copy: null };
  const sink = input.ndjson && deps.db.kind === 'postgres'
    ? Object.assign(async (rows: store.EventRow[]) => {
      stage.copy ??= await store.openStageCopy(deps.db, batchId);
      await stage.copy!.write(rows.map((r) => store.copyLine(tenantId, batchId, r)).join(''));
    }, { used: () => stage.copy !== null })
    : null;
  let prepared: Awaited<ReturnType<typeof prepare>>;
  try {
    prepared = await prepare(input, receivedAt, p, sink);
    if (stage.copy) await stage.copy.end();
  } catch (e) {
    // The COPY never completed: nothing of the batch is anywhere.
    if (stage.copy) { await stage.copy.abort(); await stage.copy.drop().catch(() => {}); }
    throw e;
  }
  try {
    if (key) {
      const seen = await readScope(deps, actor, (sql) => findIdempotent<IntakeResult>(sql, tenantId, SCOPE, key, prepared.digest));
      if (seen) return { ...seen, replayed: true };
    }
    const finish = async (u: UnitOfWork, t: Totals): Promise<IntakeResult> => {
      const result: IntakeResult = {
        batchId, received: prepared.received, inserted: t.inserted, duplicates: prepared.received - t.inserted, casesOpened: t.cases, assessmentsOpened: t.assessments, replayed: false,
      };
      if (key) {
        const seen = await findIdempotent<IntakeResult>(u.sql, tenantId, SCOPE, key, prepared.digest);
        if (seen) return { ...seen, replayed: true };
        await saveIdempotent(u.sql, tenantId, SCOPE, key, prepared.digest, result);
      }
      await store.insertBatch(u.sql, tenantId, { id: batchId, idempotencyKey: key ?? null, digest: prepared.digest, received: result.received, inserted: t.inserted, duplicates: result.duplicates, now: u.now });
      await u.audit({ action: 'incident.events_received', subjectType: 'incident_batch', subjectId: batchId, after: { digest: prepared.digest, ...result }, data: { digest: prepared.digest, received: result.received, inserted: t.inserted, duplicates: result.duplicates } });
      if (t.inserted > 0) {
        await u.emit({ type: 'incident.events_received', subjectType: 'incident_batch', subjectId: batchId, payload: { ...result }, idempotencyKey: `incident.events_received:${batchId}` });
      }
      return result;
    };
    const staged = stage.copy;
    if (staged) {
      // PostgreSQL: the whole batch moves in one transaction (all-or-nothing).
      return await unitOfWork(deps, actor, async (u) => finish(u, await settle(u, await store.moveStagedEvents(u.sql, tenantId, batchId, staged.table), prepared, null, p, [...prepared.signalDays.values()])));
    }
    // PGlite: short transactions of CHUNK events, so one session is never held for a whole batch;
    // a failure half-way is resumable by re-sending (dedupe keys).
    const total: Totals = { inserted: 0, cases: 0, assessments: 0 };
    for (let i = 0; i < prepared.rows.length; i += CHUNK) {
      const rows = prepared.rows.slice(i, i + CHUNK);
      const days = new Map<string, SignalDay>();
      for (const r of rows) {
        if (!r.signature) continue;
        const day = r.sigDay!;
        days.set(`${r.signature}\u0000${day}\u0000${r.vin}`, { signature: r.signature, day, vin: r.vin });
      }
      const t = await unitOfWork(deps, actor, async (u) => settle(u, await store.insertEventChunk(u.sql, tenantId, batchId, rows), prepared, new Set(rows.map((r) => r.dedupe)), p, [...days.values()]));
      total.inserted += t.inserted; total.cases += t.cases; total.assessments += t.assessments;
    }
    return await unitOfWork(deps, actor, (u) => finish(u, total));
  } finally {
    if (stage.copy) await stage.copy.drop().catch((e) => deps.log.warn({ err: e, batchId }, 'scratch table of an intake batch not dropped'));
  }
}
