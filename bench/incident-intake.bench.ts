// Intake of 1,000,000 telematics events (NDJSON through the real use case: parse, validate, VIN check,
// severity, dedupe, cases, signals, escalation, audit) beside a plain COPY of the same rows into a
// table of the same columns without indexes, in the same run and database. Then the same million is
// re-sent twice: under the same Idempotency-Key (replayed) and without one (every event a duplicate).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pino from 'pino';
import { from as copyFrom } from 'pg-copy-streams';
import { makeDeps } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { intakeEvents, toRow } from '../src/incidents/intake-events.ts';
import { warmParsers } from '../src/incidents/intake-parser.ts';
import { IncidentEvent } from '../src/incidents/model.ts';
import { SYNTHETIC_NOW, syntheticEventLine } from '../src/incidents/synthetic-events.ts';
import type { Actor } from '../src/platform/audit.ts';
import { openPglite, openPostgres, type Db } from '../src/platform/db.ts';
import { migrate } from '../src/platform/migrate.ts';
import { fixedClock } from '../src/platform/time.ts';
import { INCIDENT_POLICY_DEFAULTS } from '../src/regimes/cn-2025/incidents.ts';
import { cpuSpan, cpuText } from './lib/cpu.ts';
import type { BenchContext, BenchResult } from './lib/run-one.ts';
import { freshDatabaseUrl, rssSampler } from './ota-fixtures.ts';

const NOW = SYNTHETIC_NOW;
const eventLine = syntheticEventLine;

/** The NDJSON body as the telematics client would send it, built before any timer starts. */
function ndjson(count: number): Buffer[] {
  const out: Buffer[] = [];
  const per = 2000;
  for (let i = 0; i < count; i += per) {
    let s = '';
    for (let n = i; n < Math.min(count, i + per); n++) s += eventLine(n) + '\n';
    out.push(Buffer.from(s));
  }
  return out;
}

const COPY_COLS = ['dedupe', 'event_id', 'type', 'vin', 'vin_status', 'occurred_at', 'aware_at', 'cdas_function', 'engagement', 'seconds_before_impact',
  'fault_code', 'signature', 'severity', 'case_key', 'province', 'city', 'body'];
const esc = (v: unknown) => (v === null || v === undefined ? '\\N' : String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r'));

/** The same rows the intake writes, as COPY text, built before the timer starts. */
function copyText(count: number, tenantId: string): Buffer[] {
  const out: Buffer[] = [];
  let s = '';
  for (let n = 0; n < count; n++) {
    const r = toRow(IncidentEvent.parse(JSON.parse(eventLine(n))), tenantId, NOW, INCIDENT_POLICY_DEFAULTS).row!;
    s += [r.dedupe, r.eventId, r.type, r.vin, r.vinStatus, r.occurredAt, r.awareAt, r.cdasFunction, r.engagement, r.secondsBeforeImpact,
      r.faultCode, r.signature, r.severity, r.caseKey, r.province, r.city, r.body].map(esc).join('\t') + '\n';
    if (s.length > 1 << 20) { out.push(Buffer.from(s)); s = ''; }
  }
  if (s) out.push(Buffer.from(s));
  return out;
}

/**
 * The baseline table: the events' columns without indexes (`indexed`: false), or a table like
 * incident_events with its primary key and case index (for the second, informative baseline: what
 * writing the rows where the intake writes them costs, without any of the intake's work).
 */
async function plainCopy(db: Db, chunks: Buffer[], indexed = false): Promise<void> {
  await db.exec(indexed
    ? `DROP TABLE IF EXISTS bench_plain_copy; CREATE TABLE bench_plain_copy (LIKE incident_events INCLUDING INDEXES);
       ALTER TABLE bench_plain_copy ALTER COLUMN tenant_id SET DEFAULT 'ten_bench', ALTER COLUMN batch_id SET DEFAULT 'evb_bench'`
    : `DROP TABLE IF EXISTS bench_plain_copy; CREATE TABLE bench_plain_copy (tenant_id text, batch_id text,
    dedupe uuid, event_id text, type text, vin text, vin_status text, occurred_at timestamptz, aware_at timestamptz, cdas_function text,
    engagement text, seconds_before_impact real, fault_code text, signature text, severity text, case_key text, province text, city text, body jsonb)`);
  const sql = `COPY bench_plain_copy (${COPY_COLS.join(', ')}) FROM STDIN`;
  const raw = db.raw();
  if (raw.pool) {
    const client = await raw.pool.connect();
    try { await pipeline(Readable.from(chunks), client.query(copyFrom(sql))); } finally { client.release(); }
  } else {
    await raw.pglite!.query(`COPY bench_plain_copy (${COPY_COLS.join(', ')}) FROM '/dev/blob'`, [], { blob: new Blob(chunks as unknown as BlobPart[]) });
  }
}

export default async function run(ctx: BenchContext): Promise<BenchResult> {
  const count = Math.round(1_000_000 * ctx.scale);
  const dataDir = join(ctx.tmpDir, `icvgate-bench-incidents-${process.pid}`);
  // A database of its own, dropped afterwards: earlier runs' millions of rows must not slow this one.
  const fresh = ctx.databaseUrl ? await freshDatabaseUrl(ctx.databaseUrl, 'incidents') : undefined;
  const db = fresh ? await openPostgres(fresh.url) : await openPglite(dataDir);
  try {
    await migrate(db);
    const config = loadConfig({ ICVGATE_LOG_LEVEL: 'silent' }, { dataDir, blobDir: join(dataDir, 'blobs') });
    const deps = await makeDeps(db, config, fixedClock(NOW), pino({ level: 'silent' }));
    // A started server has its parser threads running (slices.ts); the baselines below give them time to load.
    if (db.bulkCopy) warmParsers();
    const tenantId = `ten_bench_incidents_${process.pid}`;
    await db.tx('owner', (sql) => sql.query(`INSERT INTO tenants (id, kind, name_zh, name_en, overseas, country) VALUES ($1, 'manufacturer', '基准', 'Bench GmbH', true, 'DE')`, [tenantId]));
    const actor: Actor = { type: 'token', id: 'tok_bench', name: 'bench telematics', tenantId, role: 'engineer' };

    const body = ndjson(count);
    ctx.log(`preparing COPY text for ${count.toLocaleString('en-US')} rows`);
    const copyChunks = copyText(count, tenantId);
    // Each measured write starts after a checkpoint, so none pays for the WAL of the one before.
    await db.exec('CHECKPOINT');
    let cpu = cpuSpan();
    let t = performance.now();
    await plainCopy(db, copyChunks);
    const copySeconds = (performance.now() - t) / 1000;
    const copyRate = count / copySeconds;
    const copyCpu = cpu.stop();
    ctx.log(`plain COPY: ${copySeconds.toFixed(1)} s, ${Math.round(copyRate)} rows/s; ${cpuText(copyCpu, db.kind === 'pglite')}`);
    await db.exec('CHECKPOINT');
    t = performance.now();
    await plainCopy(db, copyChunks, true);
    const likeSeconds = (performance.now() - t) / 1000;
    const likeRate = count / likeSeconds;
    ctx.log(`plain COPY into a table like incident_events (its primary key and case index): ${likeSeconds.toFixed(1)} s, ${Math.round(likeRate)} rows/s`);
    await db.exec('DROP TABLE bench_plain_copy; CHECKPOINT');

    const before = process.memoryUsage().rss / 1048576;
    const rss = rssSampler();
    cpu = cpuSpan();
    t = performance.now();
    const first = await intakeEvents(deps, actor, { body, ndjson: true, idempotencyKey: 'bench-batch-1' });
    const intakeSeconds = (performance.now() - t) / 1000;
    const intakeCpu = cpu.stop();
    const peakMB = rss.stop();
    ctx.log(`process memory: ${Math.round(before)} MB before the intake (the prebuilt body and COPY text included), peak ${Math.round(peakMB)} MB during it`);
    const rate = count / intakeSeconds;
    ctx.log(`ratio to the COPY into a table like incident_events: ${(rate / likeRate).toFixed(2)}`);
    ctx.log(`intake: ${intakeSeconds.toFixed(1)} s, ${Math.round(rate)} events/s, ${first.inserted} inserted, ${first.casesOpened} cases, ${first.assessmentsOpened} assessments; ${cpuText(intakeCpu, db.kind === 'pglite')}`);
    if (first.inserted !== count) throw new Error(`expected ${count} inserted, got ${first.inserted}`);

    const countRows = () => db.tx({ tenantId }, async (sql) => (await sql.one<{ n: number }>('SELECT count(*)::int AS n FROM incident_events WHERE tenant_id = $1', [tenantId])).n);
    t = performance.now();
    const replay = await intakeEvents(deps, actor, { body, ndjson: true, idempotencyKey: 'bench-batch-1' });
    const replaySeconds = (performance.now() - t) / 1000;
    t = performance.now();
    const noKey = await intakeEvents(deps, actor, { body, ndjson: true });
    const noKeySeconds = (performance.now() - t) / 1000;
    const rows = await countRows();
    if (!replay.replayed || noKey.inserted !== 0 || rows !== count) {
      throw new Error(`re-send added rows: replayed=${replay.replayed}, inserted without key=${noKey.inserted}, rows=${rows}`);
    }
    ctx.log(`re-send with the same key: ${replaySeconds.toFixed(1)} s (replayed); without a key: ${noKeySeconds.toFixed(1)} s, ${noKey.duplicates} duplicates, 0 added`);
    return {
      name: 'incident-intake',
      value: rate, unit: 'events/s',
      baseline: { name: 'plain COPY of the same rows into an unindexed table', value: copyRate, unit: 'rows/s' },
      ratio: rate / copyRate,
      target: '>= 0.50 and >= 20,000 events/s',
      note: `${count.toLocaleString('en-US')} events on ${db.kind}; re-send added 0 rows`,
      extra: {
        events: count, database: db.kind, intakeSeconds, copySeconds, copyLikeEventsSeconds: likeSeconds, ratioToCopyLikeEvents: rate / likeRate, intakeCpu, copyCpu, rssBeforeMB: before, rssPeakMB: peakMB, meetsAbsolute: rate >= 20_000, casesOpened: first.casesOpened,
        assessmentsOpened: first.assessmentsOpened, resendSameKeySeconds: replaySeconds, resendNoKeySeconds: noKeySeconds, rowsAfterResend: rows,
      },
    };
  } finally {
    await db.close();
    await fresh?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
