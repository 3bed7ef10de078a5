// The SQL of bulk intake on PostgreSQL (intake-bulk.ts): blocks of new events COPYed into the
// intake transaction. The tenant id is the first parameter where one is needed.
import type { CopyText, Db, Sql } from '../platform/db.ts';
import { EVENT_COLUMNS } from './store.ts';

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
