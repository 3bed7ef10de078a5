// Shared set-up of the vehicle and OTA benches: a database of their own (a fresh PostgreSQL database
// on BENCH_DATABASE_URL, dropped afterwards, or PGlite in a temporary directory), a tenant, a product.
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { makeDeps } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { vinCheckCharacter } from '../src/identifiers/vin.ts';
import type { Actor } from '../src/platform/audit.ts';
import { openPglite, openPostgres, type Db } from '../src/platform/db.ts';
import { newId } from '../src/platform/ids.ts';
import { migrate } from '../src/platform/migrate.ts';
import type { Deps } from '../src/platform/usecase.ts';
import { createProduct } from '../src/products/index.ts';
import type { BenchContext } from './lib/run-one.ts';

export type BenchDb = { db: Db; deps: Deps; url?: string; close(): Promise<void> };

/** A new, empty database on the server of `adminUrl`, dropped by drop(): benches never touch shared data. */
export async function freshDatabaseUrl(adminUrl: string, tag: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `icvgate_bench_${tag.replace(/\W/g, '_')}_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(adminUrl); u.pathname = '/' + name;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl }); await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); await c.end();
    },
  };
}

export async function benchDatabase(ctx: BenchContext, tag: string): Promise<BenchDb> {
  const dir = join(ctx.tmpDir, `icvgate-bench-${tag}-${process.pid}`);
  let db: Db, url: string | undefined, drop = async () => {};
  if (ctx.databaseUrl) {
    const fresh = await freshDatabaseUrl(ctx.databaseUrl, tag);
    url = fresh.url;
    db = await openPostgres(url, 10);
    drop = fresh.drop;
  } else {
    mkdirSync(dir, { recursive: true });
    db = await openPglite(join(dir, 'pg'));
  }
  await migrate(db);
  const config = loadConfig({ ICVGATE_LOG_LEVEL: 'silent' }, { dataDir: dir, blobDir: join(dir, 'blobs') });
  const deps = await makeDeps(db, config, undefined, pino({ level: 'silent' }));
  return { db, deps, url, close: async () => { await db.close(); await drop(); rmSync(dir, { recursive: true, force: true }); } };
}

/** A manufacturer tenant (written directly, as an operator would) and an actor acting in it. */
export async function benchTenant(db: Db): Promise<{ tenantId: string; actor: Actor }> {
  const tenantId = newId('ten');
  await db.tx('operator', (sql) => sql.query(`INSERT INTO tenants (id, kind, name_zh, name_en, overseas, country) VALUES ($1, 'manufacturer', '基准', 'Bench GmbH', true, 'DE')`, [tenantId]));
  return { tenantId, actor: { type: 'operator', id: 'bench', name: 'bench', tenantId, role: 'operator' } };
}

export async function benchProduct(deps: Deps, actor: Actor, model = 'BENCH0001') {
  return createProduct(deps, actor, { model, name: { zh: model, en: model }, category: 'M1', cdas: false, ota: true, automationLevel: 0 } as any);
}

/** A valid VIN for serial n (the serial spreads over VDS and the last six positions). */
export function benchVin(n: number): string {
  const vds = 'ABCDEFGH'[n % 8] + 'JKLMN'[Math.floor(n / 8) % 5] + String(Math.floor(n / 40) % 10);
  const base = `LRW${vds}7F0P${'ABCDEFGHJ'[Math.floor(n / 1e6) % 9]}${String(n % 1e6).padStart(6, '0')}`;
  return base.slice(0, 8) + vinCheckCharacter(base) + base.slice(9);
}

export function productionDate(n: number): string {
  return new Date(Date.UTC(2022, 0, 1) + (n % 1000) * 86_400_000).toISOString().slice(0, 10);
}

/** Writes n lines `vin,product,productionDate` to a file, streaming. */
export async function writeVinCsv(file: string, n: number, product: string): Promise<number> {
  const out = createWriteStream(file);
  out.write('vin,product,productionDate\n');
  let buf = '';
  for (let i = 0; i < n; i++) {
    buf += `${benchVin(i)},${product},${productionDate(i)}\n`;
    if (buf.length > 1 << 20) { if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r())); buf = ''; }
  }
  out.write(buf);
  await new Promise<void>((r, j) => out.end((e?: Error) => (e ? j(e) : r())));
  return n;
}

/** Samples this process's resident memory; stop() returns the peak in MB. */
export function rssSampler(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const t = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 50);
  return { stop: () => { clearInterval(t); peak = Math.max(peak, process.memoryUsage().rss); return peak / 1048576; } };
}
