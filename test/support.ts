// Test fixtures over REAL databases: PGlite loaded from a cached, migrated template (about 1 s), or
// a fresh PostgreSQL database cloned from a migrated template when TEST_DATABASE_URL is set.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { buildApp, makeDeps } from '../src/app.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { withUsccCheck } from '../src/identifiers/uscc.ts';
import type { Actor } from '../src/platform/audit.ts';
import { openPglite, openPostgres, type Db } from '../src/platform/db.ts';
import type { App } from '../src/platform/http.ts';
import { MIGRATIONS_DIR, migrate } from '../src/platform/migrate.ts';
import { fixedClock, type Clock } from '../src/platform/time.ts';
import type { AuditRequest, Deps, EmitRequest, UnitOfWork } from '../src/platform/usecase.ts';

export const OPERATOR_TOKEN = 'test-operator-token-' + 'x'.repeat(20);
const CACHE = join(new URL('..', import.meta.url).pathname, '.icvgate-test-cache');

function migrationsHash(): string {
  const h = createHash('sha256');
  for (const f of readdirSync(MIGRATIONS_DIR).sort()) h.update(f).update(readFileSync(join(MIGRATIONS_DIR, f)));
  return h.digest('hex').slice(0, 16);
}

async function sleep(ms: number) { await new Promise((r) => setTimeout(r, ms)); }

/** One migrated PGlite template per migration set, shared by every test process through a file. */
async function pgliteTemplate(): Promise<Blob> {
  mkdirSync(CACHE, { recursive: true });
  const file = join(CACHE, `template-${migrationsHash()}.tar`);
  const lock = file + '.lock';
  for (;;) {
    if (existsSync(file)) return new Blob([readFileSync(file)]);
    let fd: number | undefined;
    try { fd = openSync(lock, 'wx'); } catch {
      if (Date.now() - statSync(lock, { throwIfNoEntry: false } as any)!.mtimeMs > 120_000) rmSync(lock, { force: true });
      await sleep(250);
      continue;
    }
    try {
      const db = await openPglite(undefined);
      await migrate(db);
      const dump = await db.raw().pglite!.dumpDataDir('none');
      await db.close();
      const tmp = `${file}.${process.pid}`;
      writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
      renameSync(tmp, file);
    } finally {
      closeSync(fd);
      rmSync(lock, { force: true });
    }
  }
}

async function postgresDatabase(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const template = `icvgate_tpl_${migrationsHash()}`;
  const name = `icvgate_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const withDb = (db: string) => { const u = new URL(url); u.pathname = '/' + db; return u.toString(); };
  try {
    await admin.query('SELECT pg_advisory_lock(7340002)');
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (exists.rowCount === 0) {
      await admin.query(`CREATE DATABASE ${template}`);
      const db = await openPostgres(withDb(template), 1);
      await migrate(db);
      await db.close();
    }
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.query('SELECT pg_advisory_unlock(7340002)').catch(() => {});
    await admin.end();
  }
  return {
    url: withDb(name),
    drop: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await c.end();
    },
  };
}

/** A migrated database of its own: PGlite by default, PostgreSQL when TEST_DATABASE_URL is set. */
export async function testDb(): Promise<{ db: Db; close: () => Promise<void> }> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const { url: dbUrl, drop } = await postgresDatabase(url);
    const db = await openPostgres(dbUrl, 5);
    return { db, close: async () => { await db.close(); await drop(); } };
  }
  const db = await openPglite(undefined, { loadDataDir: await pgliteTemplate() });
  return { db, close: () => db.close() };
}

export type TestDeps = Deps & { clock: Clock & { set(d: Date | string): void; advance(ms: number): void }; close: () => Promise<void> };

export async function testDeps(opts: { now?: string; config?: Partial<Config> } = {}): Promise<TestDeps> {
  const { db, close } = await testDb();
  const dir = await mkdtemp(join(tmpdir(), 'icvgate-test-'));
  const config = loadConfig({ ICVGATE_BOOTSTRAP_TOKEN: OPERATOR_TOKEN, ICVGATE_LOG_LEVEL: 'silent' }, { dataDir: dir, blobDir: join(dir, 'blobs'), ...opts.config });
  const clock = fixedClock(opts.now ?? '2026-11-25T02:00:00Z');
  const deps = await makeDeps(db, config, clock, pino({ level: process.env.TEST_LOG ?? 'silent' }));
  return { ...deps, clock, close: async () => { await close(); rmSync(dir, { recursive: true, force: true }); } };
}

let usccSerial = 0;
/** A valid, unique unified social credit code for fixtures. */
export function testUscc(): string {
  const body = ('91310000MA' + randomBytes(4).toString('hex').toUpperCase().replace(/[IOSVZ]/g, '1') + (usccSerial++ % 10)).slice(0, 17);
  return withUsccCheck(body);
}

export type TestTenant = { tenantId: string; token: string; actor: Actor; auth: { authorization: string } };

export type TestApp = {
  app: App;
  deps: TestDeps;
  operator: { authorization: string };
  operatorActor: Actor;
  /** A new manufacturer (default) or regulator tenant with a token of the given role. */
  tenant(opts?: { kind?: 'manufacturer' | 'regulator'; regulator?: 'MIIT' | 'SAMR'; overseas?: boolean; role?: string; name?: string }): Promise<TestTenant>;
  /** Another token in an existing tenant. */
  token(tenantId: string, role: string): Promise<TestTenant>;
  close(): Promise<void>;
};

export async function testApp(opts: { now?: string; config?: Partial<Config> } = {}): Promise<TestApp> {
  const deps = await testDeps(opts);
  const app = await buildApp(deps, { web: false });
  const operator = { authorization: `Bearer ${OPERATOR_TOKEN}` };
  const post = async (url: string, body: unknown, headers = operator) => {
    const r = await app.inject({ method: 'POST', url, headers, payload: body as any });
    if (r.statusCode >= 300) throw new Error(`${url} -> ${r.statusCode} ${r.body}`);
    return r.json();
  };
  const token = async (tenantId: string, role: string): Promise<TestTenant> => {
    const t = await post(`/api/v1/tenants/${tenantId}/tokens`, { name: `test-${role}-${randomBytes(3).toString('hex')}`, role });
    return { tenantId, token: t.token, auth: { authorization: `Bearer ${t.token}` }, actor: { type: 'token', id: t.id, name: `token ${t.name}`, tenantId, role } };
  };
  return {
    app, deps, operator,
    operatorActor: { type: 'operator', id: 'operator:test', name: 'operator (test)', tenantId: null, role: 'operator' },
    async tenant(o = {}) {
      const kind = o.kind ?? 'manufacturer';
      const body = kind === 'regulator'
        ? { kind, regulator: o.regulator ?? 'SAMR', name: { zh: o.regulator === 'MIIT' ? '工业和信息化部' : '国家市场监督管理总局', en: o.name ?? o.regulator ?? 'SAMR' } }
        : o.overseas
          ? { kind, overseas: true, country: 'DE', name: { zh: '某汽车公司', en: o.name ?? 'Example Motors GmbH' } }
          : { kind, overseas: false, uscc: testUscc(), name: { zh: '测试汽车有限公司', en: o.name ?? 'Test Motors Co., Ltd.' } };
      const t = await post('/api/v1/tenants', body);
      return token(t.id, o.role ?? (kind === 'regulator' ? 'regulator' : 'admin'));
    },
    token,
    async close() { await app.close(); await deps.close(); },
  };
}

/** A unit of work that notes what is audited and emitted (one by one or as sets), besides writing it. */
export function recordingUnit(u: UnitOfWork, rec: { audits: AuditRequest[]; events: EmitRequest[] }): UnitOfWork {
  return {
    ...u,
    audit: async (e) => { rec.audits.push(e); await u.audit(e); },
    auditMany: async (es) => { rec.audits.push(...es); await u.auditMany(es); },
    emit: async (e) => { rec.events.push(e); await u.emit(e); },
    emitMany: async (es) => { rec.events.push(...es); await u.emitMany(es); },
  };
}
