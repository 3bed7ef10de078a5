// The SQL of bulk intake on PostgreSQL (intake-bulk.ts): blocks of new events and signal days
// COPYed into the intake transaction. The tenant id is the first parameter where one is needed.
import type { CopyText, Db, Sql } from '../platform/db.ts';
import { copyField } from './copy-text.ts';
import { EVENT_COLUMNS } from './store.ts';

const SIGNAL_DAY_COLUMNS = ['signature', 'day', 'vin'] as const;

/** A unique violation: a row of the block is stored already (or was, by a batch that committed meanwhile). */
export const isUniqueViolation = (e: unknown): boolean => (e as { code?: string }).code === '23505';

/**
 * Runs `write` under a savepoint: if it hits a unique violation, the transaction is taken back to
 * where it was before `write` and false is returned; other errors propagate.
 */
export async function unlessDuplicate(sql: Sql, write: () => Promise<void>): Promise<boolean> {
  await sql.exec('SAVEPOINT intake_block');
  try {
    await write();
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    await sql.exec('ROLLBACK TO SAVEPOINT intake_block');
    return false;
  }
  await sql.exec('RELEASE SAVEPOINT intake_block');
  return true;
}

/** New events as COPY lines (columns COPY_COLUMNS), straight into incident_events. */
export async function copyEventLines(sql: Sql, text: CopyText): Promise<void> {
  await sql.copyRows!('incident_events', COPY_COLUMNS, text);
}

/** Signal days as COPY lines (`signature \t day \t vin`), all expected to be new. */
export async function copySignalDayLines(sql: Sql, lines: string[]): Promise<void> {
  await sql.copyRows!('incident_signal_days', SIGNAL_DAY_COLUMNS, linesText(lines));
}

/**
 * Signal days as COPY lines, some of which the tenant may have already: through a scratch table of
 * the transaction, with ON CONFLICT DO NOTHING.
 */
export async function upsertSignalDayLines(sql: Sql, tenantId: string, lines: string[]): Promise<void> {
  await sql.exec('CREATE TEMP TABLE IF NOT EXISTS incident_signal_stage (signature text, day date, vin text) ON COMMIT DROP; TRUNCATE incident_signal_stage');
  await sql.copyRows!('incident_signal_stage', SIGNAL_DAY_COLUMNS, linesText(lines));
  await sql.query(
    `INSERT INTO incident_signal_days (tenant_id, signature, day, vin)
     SELECT $1, signature, day, vin FROM incident_signal_stage ON CONFLICT DO NOTHING`, [tenantId]);
}

function* linesText(lines: string[]): Generator<string> {
  let s = '';
  for (const line of lines) {
    s += line + '\n';
    if (s.length > 1 << 16) { yield s; s = ''; }
  }
  if (s) yield s;
}

/**
 * Which of these (signature, day) pairs the tenant has signal days of, as `copyField(signature) \t day`
 * (the start of their COPY lines). One probe of the primary key per pair.
 */
export async function storedSignalPairs(sql: Sql, tenantId: string, pairs: { signature: string; day: string }[]): Promise<Set<string>> {
  if (pairs.length === 0) return new Set();
  const rows = await sql.query<{ signature: string; day: string }>(
    `SELECT p.signature, p.day::text AS day FROM unnest($2::text[], $3::date[]) AS p(signature, day)
      WHERE EXISTS (SELECT 1 FROM incident_signal_days d WHERE d.tenant_id = $1 AND d.signature = p.signature AND d.day = p.day)`,
    [tenantId, pairs.map((p) => p.signature), pairs.map((p) => p.day)]);
  return new Set(rows.map((r) => `${copyField(r.signature)}\t${r.day}`));
}

/** Which of these dedupe keys the tenant already has: a block that met stored events leaves them out. */
export async function existingDedupes(sql: Sql, tenantId: string, dedupes: string[]): Promise<Set<string>> {
  if (dedupes.length === 0) return new Set();
  const rows = await sql.query<{ dedupe: string }>(
    'SELECT dedupe::text AS dedupe FROM incident_events WHERE tenant_id = $1 AND dedupe = ANY($2::uuid[])', [tenantId, dedupes], 'incidents_existing_dedupes');
  return new Set(rows.map((r) => r.dedupe));
}

/**
 * Fresh planner statistics for the event tables, as autovacuum would take a minute later: after a
 * batch of fleet size the next batch's lookups (existingDedupes) and escalation queries must not be
 * planned as if the tables were still empty (a sequential scan per looked-up row). Runs as the owner.
 */
export async function refreshEventStatistics(db: Db): Promise<void> {
  await db.exec('ANALYZE incident_events; ANALYZE incident_signal_days');
}

/** The columns of a bulk COPY into incident_events (tenant_id comes from the transaction). */
export const COPY_COLUMNS = ['batch_id', ...EVENT_COLUMNS] as const;
