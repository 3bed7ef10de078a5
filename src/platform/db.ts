import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import pg from 'pg';
import { Lock } from './lock.ts';

/** The only way code talks to the database: one PostgreSQL dialect, on PGlite or on a server. */
export interface Sql {
  query<T = Record<string, any>>(text: string, params?: unknown[]): Promise<T[]>;
  one<T = Record<string, any>>(text: string, params?: unknown[]): Promise<T>;
  maybeOne<T = Record<string, any>>(text: string, params?: unknown[]): Promise<T | undefined>;
  /** Several statements without parameters (migrations, DDL). */
  exec(text: string): Promise<void>;
}

/** Who a transaction acts for. Row-level security lets a tenant scope see its own rows only. */
export type Scope = { tenantId: string } | 'operator' | 'owner';

export interface Db extends Sql {
  readonly kind: 'pglite' | 'postgres';
  /** One transaction under the app role with the tenant set for row-level security. */
  tx<T>(scope: Scope, fn: (tx: Sql) => Promise<T>): Promise<T>;
  /** Raw access for bulk paths (COPY) and maintenance; bypasses the scope. */
  raw(): { pglite?: PGlite; pool?: pg.Pool };
  close(): Promise<void>;
}

export const APP_ROLE = 'icvgate_app';

// Same JS values on both drivers: int8 -> number, date -> 'YYYY-MM-DD', timestamptz -> Date.
const INT8 = 20, DATE = 1082, NUMERIC = 1700;
pg.types.setTypeParser(INT8, (v: string) => Number(v));
pg.types.setTypeParser(DATE, (v: string) => v);
pg.types.setTypeParser(NUMERIC, (v: string) => Number(v));
const pgliteParsers = {
  [INT8]: (v: string) => Number(v),
  [DATE]: (v: string) => v,
  [NUMERIC]: (v: string) => Number(v),
  [pgliteTypes.TIMESTAMPTZ]: (v: string) => new Date(v.includes('T') ? v : v.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')),
};

function helpers(run: (text: string, params?: unknown[]) => Promise<any[]>, exec: (t: string) => Promise<void>): Sql {
  return {
    query: run as Sql['query'],
    async one(text, params) {
      const rows = await run(text, params);
      if (rows.length === 0) throw new Error(`expected one row, got none: ${text.slice(0, 80)}`);
      return rows[0];
    },
    async maybeOne(text, params) {
      return (await run(text, params))[0];
    },
    exec,
  };
}

function scopeSql(scope: Scope): [string, unknown[]] | null {
  if (scope === 'owner') return null; // schema owner: migrations and maintenance only
  const tenant = scope === 'operator' ? '*' : scope.tenantId;
  return [`SELECT set_config('role', '${APP_ROLE}', true), set_config('app.tenant_id', $1, true)`, [tenant]];
}

export async function openPglite(dataDir: string | undefined, opts: { loadDataDir?: Blob } = {}): Promise<Db> {
  const db = new PGlite({ dataDir, loadDataDir: opts.loadDataDir, parsers: pgliteParsers });
  await db.waitReady;
  await db.exec(`SET TIME ZONE 'UTC'`);
  // PGlite has one session: serialise top-level work so a transaction is never interleaved.
  const lock = new Lock();
  const run = (q: { query: PGlite['query'] }) => async (text: string, params?: unknown[]) =>
    (await q.query(text, params as any[])).rows as any[];
  const execOn = (q: { exec: PGlite['exec'] }) => async (text: string) => { await q.exec(text); };
  const top = helpers(
    (t, p) => lock.run(() => run(db)(t, p)),
    (t) => lock.run(() => execOn(db)(t)),
  );
  return {
    kind: 'pglite',
    ...top,
    tx: (scope, fn) =>
      lock.run(() =>
        db.transaction(async (t) => {
          const scoped = scopeSql(scope);
          if (scoped) await t.query(scoped[0], scoped[1]);
          return fn(helpers(run(t as any), execOn(t as any)));
        }),
      ),
    raw: () => ({ pglite: db }),
    close: () => lock.run(() => db.close()),
  };
}

export async function openPostgres(url: string, max = 10): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max, options: '-c TimeZone=UTC' });
  pool.on('error', () => {}); // idle client errors surface on the next query instead of crashing
  await pool.query('SELECT 1');
  const runOn = (c: pg.Pool | pg.PoolClient) => async (text: string, params?: unknown[]) =>
    (await c.query(text, params as any[])).rows;
  const execOn = (c: pg.Pool | pg.PoolClient) => async (text: string) => { await c.query(text); };
  return {
    kind: 'postgres',
    ...helpers(runOn(pool), execOn(pool)),
    async tx(scope, fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const scoped = scopeSql(scope);
        if (scoped) await client.query(scoped[0], scoped[1]);
        const result = await fn(helpers(runOn(client), execOn(client)));
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
    raw: () => ({ pool }),
    close: () => pool.end(),
  };
}
