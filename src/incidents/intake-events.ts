/**
 * Event intake: one JSON event or an NDJSON batch. Nothing is written if one line is bad, and every
 * bad line is named. On PostgreSQL (with bulk COPY) the batch streams into incident_events in one
 * transaction (intake-bulk.ts); elsewhere (PGlite) it is validated first, then written in short
 * transactions of CHUNK events, so the one session is never held for a whole million; a failure
 * half-way is resumable by re-sending. Either way each event has a dedupe key, so a re-sent event adds
 * nothing. The same Idempotency-Key with the same body replays the first answer; another body is a 409.
 */
import { createHash } from 'node:crypto';
import type { Actor } from '../platform/audit.ts';
import { AppError, fieldError, msg, validationFailed, type FieldError } from '../platform/errors.ts';
import { findIdempotent, saveIdempotent } from '../platform/idempotency.ts';
import { newId } from '../platform/ids.ts';
import { readScope, unitOfWork, type Deps, type UnitOfWork } from '../platform/usecase.ts';
import { incidentPolicy, type IncidentPolicy } from '../regimes/cn-2025/incidents.ts';
import { openCasesForChunk } from './cases.ts';
import { escalateSignatures } from './escalation.ts';
import { batchInvalid, fieldErrorOf, lineBlocks, MAX_ERRORS, parseLine, rowOf } from './event-rows.ts';
import { copyBatch } from './intake-bulk.ts';
import { refreshEventStatistics } from './intake-store.ts';
import type { IncidentEvent, IntakeResult } from './model.ts';
import { NewEvents, type SignatureParts } from './new-events.ts';
import { SignalDaySets } from './signal-day-sets.ts';
import * as store from './store.ts';

export { toRow } from './event-rows.ts';

export const CHUNK = 5000;
/** A batch that adds this many events refreshes the planner's statistics before it answers. */
const REFRESH_STATISTICS_AFTER = 50_000;
const SCOPE = 'incidents.events';

export type IntakeInput = {
  /** NDJSON text chunks, or one parsed JSON value (a single event). */
  body: AsyncIterable<string | Buffer> | Iterable<string | Buffer> | unknown;
  ndjson: boolean;
  idempotencyKey?: string;
};

type Totals = { inserted: number; cases: number; assessments: number };

/** What new events mean once they are stored: personal data apart, signatures, cases, escalation. */
async function settle(u: UnitOfWork, outcome: store.ChunkOutcome, personal: { dedupe: string; data: string }[], sigs: Map<string, SignatureParts>, p: IncidentPolicy): Promise<Totals> {
  if (outcome.inserted === 0) return { inserted: 0, cases: 0, assessments: 0 };
  await store.insertEventPersonal(u.sql, u.tenantId, personal);
  await store.upsertSignatures(u.sql, u.tenantId, outcome.signatures.map((s) => sigs.get(s)!).filter(Boolean), u.now);
  const cases = await openCasesForChunk(u, outcome, p);
  const assessments = await escalateSignatures(u, outcome.signatures, p);
  return { inserted: outcome.inserted, cases, assessments };
}

/** A valid row of a batch waiting to be written, with its event where a case needs it. */
type HeldRow = { row: store.EventRow; event?: IncidentEvent };

/** A batch known to be valid (the path without bulk COPY): its rows come again, CHUNK at a time, when they are written. */
type Validated = { digest: string; received: number; rows: () => AsyncGenerator<HeldRow[]> };

/**
 * Validates the whole batch first (the path without bulk COPY), keeping only its raw text: a 422 names
 * every bad line before anything is written. The rows are then parsed again, chunk by chunk, as they
 * are written: holding a million parsed rows took 1.5 KB of heap each (2 GB for the bench's batch),
 * the raw text takes its own size.
 */
async function validateAll(input: IntakeInput, tenantId: string, receivedAt: Date, p: IncidentPolicy): Promise<Validated> {
  const errors: FieldError[] = [];
  const hash = createHash('sha256');
  if (!input.ndjson) {
    hash.update(JSON.stringify(input.body ?? null));
    const r = rowOf(input.body, tenantId, receivedAt, p);
    if ('errors' in r) throw batchInvalid(r.errors.map(fieldErrorOf));
    return { digest: hash.digest('hex'), received: 1, rows: async function* () { yield [r]; } };
  }
  const kept: (string | Buffer)[] = [];
  async function* keeping() { for await (const c of input.body as AsyncIterable<string | Buffer>) { kept.push(c); yield c; } }
  let received = 0;
  outer: for await (const block of lineBlocks(keeping(), hash)) {
    for (let i = 0; i < block.lines.length; i++) {
      const parsed = parseLine(block.lines[i], block.first + i);
      if (!parsed) continue;
      if ('error' in parsed) errors.push(fieldErrorOf(parsed.error));
      else {
        const r = rowOf(parsed.value, tenantId, receivedAt, p, block.first + i);
        if ('errors' in r) errors.push(...r.errors.map(fieldErrorOf));
        received++;
      }
      if (errors.length >= MAX_ERRORS) break outer;
    }
  }
  if (errors.length) throw batchInvalid(errors);
  if (received === 0) throw validationFailed([fieldError('', msg('incidents.noEvents'))]);
  return { digest: hash.digest('hex'), received, rows: () => heldRows(kept, tenantId, receivedAt, p) };
}

/** The rows of a validated batch's text, CHUNK at a time; the parsed event only where a case needs it (S1-S3). */
async function* heldRows(text: (string | Buffer)[], tenantId: string, receivedAt: Date, p: IncidentPolicy): AsyncGenerator<HeldRow[]> {
  let part: HeldRow[] = [];
  for await (const block of lineBlocks(text)) {
    for (const line of block.lines) {
      const parsed = parseLine(line, 0);
      if (!parsed || 'error' in parsed) continue; // blank (a bad line was refused before)
      const r = rowOf(parsed.value, tenantId, receivedAt, p);
      if ('errors' in r) throw new Error('intake: a line valid a moment ago is not any more');
      part.push(r.row.severity && r.row.severity !== 'S4' ? r : { row: r.row });
      if (part.length === CHUNK) { yield part; part = []; }
    }
  }
  if (part.length) yield part;
}

/** The digest the intake computes, without validating: the same bytes give the same digest. */
async function digestOnly(input: IntakeInput): Promise<string> {
  const hash = createHash('sha256');
  if (!input.ndjson) hash.update(JSON.stringify(input.body ?? null));
  else for await (const c of input.body as AsyncIterable<string | Buffer>) hash.update(c);
  return hash.digest('hex');
}

export async function intakeEvents(deps: Deps, actor: Actor, input: IntakeInput): Promise<IntakeResult> {
  const tenantId = actor.tenantId;
  if (!tenantId) throw new AppError('bad_request', msg('incidents.tenantRequired'));
  const receivedAt = deps.clock();
  const p = incidentPolicy(await readScope(deps, actor, (sql) => store.tenantPolicy(sql, tenantId)));
  const batchId = newId('evb', receivedAt.getTime());
  const key = input.idempotencyKey;
  if (key && (await readScope(deps, actor, (sql) => store.idempotencyKeyUsed(sql, tenantId, SCOPE, key)))) {
    // A re-sent batch: hashing the body is enough to replay the answer (or refuse another body).
    const digest = await digestOnly(input);
    const seen = await readScope(deps, actor, (sql) => findIdempotent<IntakeResult>(sql, tenantId, SCOPE, key, digest));
    if (seen) return { ...seen, replayed: true };
    throw new AppError('conflict', msg('incidents.idempotencyChanged', { key }));
  }

  /** Records the batch, its audit entry and event, and the answer an Idempotency-Key replays. */
  const finish = async (u: UnitOfWork, digest: string, received: number, t: Totals): Promise<IntakeResult> => {
    const result: IntakeResult = {
      batchId, received, inserted: t.inserted, duplicates: received - t.inserted, casesOpened: t.cases, assessmentsOpened: t.assessments, replayed: false,
    };
    if (key) {
      const seen = await findIdempotent<IntakeResult>(u.sql, tenantId, SCOPE, key, digest);
      if (seen) return { ...seen, replayed: true };
      await saveIdempotent(u.sql, tenantId, SCOPE, key, digest, result);
    }
    await store.insertBatch(u.sql, tenantId, { id: batchId, idempotencyKey: key ?? null, digest, received, inserted: t.inserted, duplicates: result.duplicates, now: u.now });
    await u.audit({ action: 'incident.events_received', subjectType: 'incident_batch', subjectId: batchId, after: { digest, ...result }, data: { digest, received, inserted: t.inserted, duplicates: result.duplicates } });
    if (t.inserted > 0) {
      await u.emit({ type: 'incident.events_received', subjectType: 'incident_batch', subjectId: batchId, payload: { ...result }, idempotencyKey: `incident.events_received:${batchId}` });
    }
    return result;
  };

  if (input.ndjson && deps.db.bulkCopy) {
    const result = await unitOfWork(deps, actor, async (u) => {
      const b = await copyBatch(deps, u, input.body as AsyncIterable<string | Buffer>, batchId, receivedAt, p);
      // A replay that raced this request: its answer stands and this transaction writes nothing.
      if (key) {
        const seen = await findIdempotent<IntakeResult>(u.sql, tenantId, SCOPE, key, b.digest);
        if (seen) throw Object.assign(new AppError('conflict', msg('incidents.idempotencyRaced', { key })), { replay: seen });
      }
      return finish(u, b.digest, b.received, await settle(u, b.events.outcome(), b.events.personal, b.events.signatures, p));
    }).catch((e) => { if (e?.replay) return { ...e.replay, replayed: true } as IntakeResult; throw e; });
    if (result.inserted >= REFRESH_STATISTICS_AFTER && !result.replayed) await refreshEventStatistics(deps.db);
    return result;
  }

  const v = await validateAll(input, tenantId, receivedAt, p);
  if (key) {
    const seen = await readScope(deps, actor, (sql) => findIdempotent<IntakeResult>(sql, tenantId, SCOPE, key, v.digest));
    if (seen) return { ...seen, replayed: true };
  }
  const total: Totals = { inserted: 0, cases: 0, assessments: 0 };
  for await (const part of v.rows()) {
    const rows = part.map((r) => r.row);
    const events = new NewEvents();
    for (const r of part) events.add(r.row, () => r.event);
    const t = await unitOfWork(deps, actor, async (u) => {
      const outcome = await store.insertEventChunk(u.sql, tenantId, batchId, rows);
      if (outcome.inserted === 0) return { inserted: 0, cases: 0, assessments: 0 };
      // Sets both: rows of re-sent events add nothing.
      await store.mergeSignalDays(u.sql, tenantId, signalDaysOf(rows));
      return settle(u, outcome, events.personal, events.signatures, p);
    });
    total.inserted += t.inserted; total.cases += t.cases; total.assessments += t.assessments;
  }
  return unitOfWork(deps, actor, (u) => finish(u, v.digest, v.received, total));
}

/** Vehicles seen per signature and day in the rows of a chunk. */
function signalDaysOf(rows: store.EventRow[]): store.SignalDaySet[] {
  const days = new SignalDaySets();
  for (const r of rows) if (r.signature) days.add(r.signature, r.sigDay!, r.vin);
  return days.sets();
}
