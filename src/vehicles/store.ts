// The only SQL of the vehicles slice. Bulk import stages validated rows in a temporary table (COPY
// on PostgreSQL, batched multi-row inserts on PGlite) and merges them in one statement.
import { from as copyFrom } from 'pg-copy-streams';
import { APP_ROLE, type Db, type Sql } from '../platform/db.ts';
import type { Vehicle } from './model.ts';

export type StagedRow = {
  line: number; vin: string; productId: string; productionDate: string; plant: string | null;
  software: Record<string, string> | null; swin: Record<string, string> | null;
};

export interface Stage {
  add(row: StagedRow): Promise<void> | void;
  finish(): Promise<void>;
}

const STAGE_DDL = `CREATE TEMP TABLE vehicle_stage (
  line bigint NOT NULL, vin text NOT NULL, product_id text NOT NULL, production_date date NOT NULL,
  plant text, software jsonb, swin jsonb) ON COMMIT DROP`;

function sqlOnClient(c: { query: (t: string, p?: unknown[]) => Promise<{ rows: any[] }> }): Sql {
  const run = async (t: string, p?: unknown[]) => (await c.query(t, p)).rows;
  return {
    query: run as Sql['query'],
    one: async (t, p) => { const r = await run(t, p); if (!r.length) throw new Error(`expected one row: ${t.slice(0, 80)}`); return r[0]; },
    maybeOne: async (t, p) => (await run(t, p))[0],
    exec: async (t) => { await c.query(t); },
  };
}

const copyText = (v: string | null) => (v === null ? '\\N' : v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r'));

/**
 * One transaction in the tenant's scope with a staging table for bulk rows. On PostgreSQL it runs on
 * its own pooled connection so rows can stream through COPY; on PGlite it is an ordinary transaction.
 */
export async function bulkTx<T>(db: Db, tenantId: string, fn: (sql: Sql, openStage: () => Promise<Stage>) => Promise<T>): Promise<T> {
  const pool = db.raw().pool;
  if (!pool) {
    return db.tx({ tenantId }, (sql) => fn(sql, async () => {
      await sql.exec(STAGE_DDL);
      let batch: StagedRow[] = [];
      const flush = async () => {
        if (!batch.length) return;
        const b = batch; batch = [];
        await sql.query(
          `INSERT INTO vehicle_stage SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::date[], $5::text[], $6::jsonb[], $7::jsonb[])`,
          [b.map((r) => r.line), b.map((r) => r.vin), b.map((r) => r.productId), b.map((r) => r.productionDate), b.map((r) => r.plant),
            b.map((r) => (r.software ? JSON.stringify(r.software) : null)), b.map((r) => (r.swin ? JSON.stringify(r.swin) : null))],
        );
      };
      return { add: async (r) => { batch.push(r); if (batch.length >= 5000) await flush(); }, finish: flush };
    }));
  }
  const client = await pool.connect();
  let copying: import('node:stream').Writable | null = null;
  let discard = false;
  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('role', '${APP_ROLE}', true), set_config('app.tenant_id', $1, true)`, [tenantId]);
    const sql = sqlOnClient(client);
    const result = await fn(sql, async () => {
      await client.query(STAGE_DDL);
      const stream = client.query(copyFrom('COPY vehicle_stage FROM STDIN'));
      copying = stream;
      const done = new Promise<void>((resolve, reject) => { stream.on('finish', resolve); stream.on('error', reject); });
      done.catch(() => {});
      let buf = '';
      const push = async (s: string, force: boolean) => {
        buf += s;
        if (buf.length < 64 * 1024 && !force) return;
        const ok = stream.write(buf);
        buf = '';
        if (!ok) await new Promise<void>((r) => stream.once('drain', () => r()));
      };
      return {
        add: (r) => {
          const line = `${r.line}\t${r.vin}\t${copyText(r.productId)}\t${r.productionDate}\t${copyText(r.plant)}\t${copyText(r.software ? JSON.stringify(r.software) : null)}\t${copyText(r.swin ? JSON.stringify(r.swin) : null)}\n`;
          buf += line;
          if (buf.length >= 64 * 1024) return push('', true);
        },
        finish: async () => { await push('', true); stream.end(); await done; copying = null; },
      };
    });
    await client.query('COMMIT');
    return result;
  } catch (e) {
    if (copying) {
      // Abandon the COPY (CopyFail) before anything else can run on this connection.
      const s = copying as import('node:stream').Writable;
      await new Promise<void>((r) => { s.once('close', () => r()); s.once('error', () => r()); s.destroy(new Error('import aborted')); });
      discard = true;
    }
    await client.query('ROLLBACK').catch(() => { discard = true; });
    throw e;
  } finally {
    client.release(discard || undefined);
  }
}

export type DuplicateConflict = { line: number; vin: string; firstLine: number };

/** VINs listed twice with different data: the later line conflicts with the first. */
export async function stagedConflicts(sql: Sql, limit: number): Promise<{ total: number; sample: DuplicateConflict[] }> {
  const rows = await sql.query<{ line: number; vin: string; first_line: number; total: number }>(
    `WITH d AS (SELECT vin FROM vehicle_stage GROUP BY vin HAVING count(*) > 1),
          s AS (SELECT st.line, st.vin, first_value(st.line) OVER w AS first_line,
                       (st.product_id, st.production_date, st.plant, st.software, st.swin)
                         IS DISTINCT FROM (first_value(st.product_id) OVER w, first_value(st.production_date) OVER w, first_value(st.plant) OVER w,
                                           first_value(st.software) OVER w, first_value(st.swin) OVER w) AS differs
                  FROM vehicle_stage st JOIN d USING (vin)
                WINDOW w AS (PARTITION BY st.vin ORDER BY st.line))
     SELECT line, vin, first_line, count(*) OVER () AS total FROM s WHERE differs ORDER BY line LIMIT $1`, [limit]);
  return { total: rows[0]?.total ?? 0, sample: rows.map((r) => ({ line: r.line, vin: r.vin, firstLine: r.first_line })) };
}

/** Drops the later of conflicting duplicate lines (skipInvalid), keeping the first; identical repeats stay (they count once). */
export async function dropConflictingDuplicates(sql: Sql): Promise<number> {
  const r = await sql.one<{ n: number }>(
    `WITH f AS (SELECT DISTINCT ON (vin) * FROM vehicle_stage
                 WHERE vin IN (SELECT vin FROM vehicle_stage GROUP BY vin HAVING count(*) > 1) ORDER BY vin, line),
          x AS (DELETE FROM vehicle_stage st USING f
                 WHERE st.vin = f.vin AND st.line > f.line
                   AND (st.product_id, st.production_date, st.plant, st.software, st.swin)
                       IS DISTINCT FROM (f.product_id, f.production_date, f.plant, f.software, f.swin)
                RETURNING st.line)
     SELECT count(*) AS n FROM x`);
  return r.n;
}

const CHANGED = `(v.product_id, v.production_date, v.plant, v.software || coalesce(s.software, '{}'), v.swin || coalesce(s.swin, '{}'))
  IS DISTINCT FROM (s.product_id, s.production_date, s.plant, v.software, v.swin)`;

/**
 * Writes the staged rows: existing vehicles whose data differs are updated, new ones inserted; rows
 * equal to what is stored are left untouched (a re-import changes nothing). Software maps merge into
 * the last known ones. Plain inserts (no speculative upsert) keep the common path close to COPY;
 * a VIN staged twice (or written concurrently) falls back to a de-duplicating upsert.
 */
export type Merged = { inserted: number; updated: number; staged: number };

/** The common path; undefined when a VIN is staged twice (then check conflicts and call mergeDeduplicated). */
export async function mergeStaged(sql: Sql, tenantId: string, importId: string, now: Date): Promise<Merged | undefined> {
  await sql.exec('ANALYZE vehicle_stage');
  await sql.exec('SAVEPOINT merge_fast');
  try {
    const updated = await sql.one<{ n: number }>(
      `WITH u AS (UPDATE vehicles v SET product_id = s.product_id, production_date = s.production_date, plant = s.plant,
                    software = v.software || coalesce(s.software, '{}'), swin = v.swin || coalesce(s.swin, '{}'), import_id = $2, updated_at = $3
                   FROM vehicle_stage s WHERE v.tenant_id = $1 AND v.vin = s.vin AND ${CHANGED} RETURNING 1)
       SELECT count(*)::int AS n FROM u`, [tenantId, importId, now]);
    const inserted = await sql.one<{ n: number }>(
      `WITH i AS (INSERT INTO vehicles (tenant_id, vin, product_id, production_date, plant, software, swin, import_id, created_at, updated_at)
                  SELECT $1, s.vin, s.product_id, s.production_date, s.plant, coalesce(s.software, '{}'), coalesce(s.swin, '{}'), $2, $3, $3
                    FROM vehicle_stage s WHERE NOT EXISTS (SELECT 1 FROM vehicles x WHERE x.tenant_id = $1 AND x.vin = s.vin) RETURNING 1)
       SELECT count(*)::int AS n FROM i`, [tenantId, importId, now]);
    await sql.exec('RELEASE SAVEPOINT merge_fast');
    const staged = await sql.one<{ n: number }>('SELECT count(*)::int AS n FROM vehicle_stage');
    return { inserted: inserted.n, updated: updated.n, staged: staged.n };
  } catch (e: any) {
    if (e?.code !== '23505' && e?.code !== '21000') throw e;
    await sql.exec('ROLLBACK TO SAVEPOINT merge_fast');
    return undefined;
  }
}

/** Upsert with repeated VINs counted once (the first line of each wins; conflicting repeats were removed or refused before). */
export async function mergeDeduplicated(sql: Sql, tenantId: string, importId: string, now: Date): Promise<Merged> {
  const r = await sql.one<{ inserted: number; updated: number }>(
    `WITH m AS (
       INSERT INTO vehicles AS v (tenant_id, vin, product_id, production_date, plant, software, swin, import_id, created_at, updated_at)
       SELECT $1, s.vin, s.product_id, s.production_date, s.plant, coalesce(s.software, '{}'), coalesce(s.swin, '{}'), $2, $3, $3
         FROM (SELECT DISTINCT ON (vin) * FROM vehicle_stage ORDER BY vin, line) s
       ON CONFLICT (tenant_id, vin) DO UPDATE SET
         product_id = EXCLUDED.product_id, production_date = EXCLUDED.production_date, plant = EXCLUDED.plant,
         software = v.software || EXCLUDED.software, swin = v.swin || EXCLUDED.swin, import_id = EXCLUDED.import_id, updated_at = EXCLUDED.updated_at
       WHERE (v.product_id, v.production_date, v.plant, v.software || EXCLUDED.software, v.swin || EXCLUDED.swin)
             IS DISTINCT FROM (EXCLUDED.product_id, EXCLUDED.production_date, EXCLUDED.plant, v.software, v.swin)
       RETURNING (xmax = 0) AS ins)
     SELECT count(*) FILTER (WHERE ins)::int AS inserted, count(*) FILTER (WHERE NOT ins)::int AS updated FROM m`,
    [tenantId, importId, now]);
  const staged = await sql.one<{ n: number }>(`SELECT count(DISTINCT vin)::int AS n FROM vehicle_stage`);
  return { inserted: r.inserted, updated: r.updated, staged: staged.n };
}

export async function insertImport(sql: Sql, tenantId: string, r: {
  id: string; digest: string; format: string; lines: number; inserted: number; updated: number; unchanged: number; skipped: number; warnings: number; actor: unknown; at: Date;
}): Promise<void> {
  await sql.query(
    `INSERT INTO vehicle_imports (id, tenant_id, digest, format, lines, inserted, updated, unchanged, skipped, warnings, actor, created_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
    [r.id, tenantId, r.digest, r.format, r.lines, r.inserted, r.updated, r.unchanged, r.skipped, r.warnings, JSON.stringify(r.actor), r.at]);
}

type Row = { vin: string; product_id: string; production_date: string; plant: string | null; software: Record<string, string>; swin: Record<string, string>;
  software_source: 'vehicle' | 'server' | null; software_at: Date | null; updated_at: Date };

const toVehicle = (r: Row, manufacturer: string | null): Vehicle => ({
  vin: r.vin, productId: r.product_id, productionDate: r.production_date, plant: r.plant, manufacturer,
  software: r.software, swin: r.swin, softwareSource: r.software_source, softwareAt: r.software_at?.toISOString() ?? null, updatedAt: r.updated_at.toISOString(),
});

export async function getVehicle(sql: Sql, tenantId: string, vin: string, manufacturerOf: (vin: string) => string | undefined): Promise<Vehicle | undefined> {
  const r = await sql.maybeOne<Row>('SELECT * FROM vehicles WHERE tenant_id = $1 AND vin = $2', [tenantId, vin]);
  return r && toVehicle(r, manufacturerOf(r.vin) ?? null);
}

export async function countVehicles(sql: Sql, tenantId: string): Promise<number> {
  return (await sql.one<{ n: number }>('SELECT count(*) AS n FROM vehicles WHERE tenant_id = $1', [tenantId])).n;
}

/** Records the software a vehicle now runs (from a rollout report); vehicle reports win over server claims. */
export async function recordInstalledSoftware(sql: Sql, tenantId: string, rows: { vin: string; ecu: string; version: string; at: Date; source: 'vehicle' | 'server' }[]): Promise<void> {
  if (!rows.length) return;
  await sql.query(
    `UPDATE vehicles v SET software = v.software || jsonb_build_object(x.ecu, x.version), software_source = x.source, software_at = x.at, updated_at = x.at
       FROM (SELECT DISTINCT ON (vin, ecu) * FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[]) AS t(vin, ecu, version, at, source)
              ORDER BY vin, ecu, (source = 'vehicle') DESC, at DESC) x
      WHERE v.tenant_id = $1 AND v.vin = x.vin AND (v.software_at IS NULL OR v.software_at <= x.at OR (x.source = 'vehicle' AND v.software_source = 'server'))`,
    [tenantId, rows.map((r) => r.vin), rows.map((r) => r.ecu), rows.map((r) => r.version), rows.map((r) => r.at), rows.map((r) => r.source)]);
}
