// The SQL of bulk intake on PostgreSQL (intake-bulk.ts): blocks of new events and signal days
// COPYed into the intake transaction. The tenant id is the first parameter where one is needed.
import type { CopyText, Sql } from '../platform/db.ts';
import { COPY_COLUMNS } from './store.ts';

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
