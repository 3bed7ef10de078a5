// Import of a 2,000,000-line VIN CSV through the import use case (validation, check digits, product
// lookup, COPY staging, idempotent merge, audit) against a plain COPY of the same file into an
// equivalent table (same columns, keys and indexes), in the same run and database.
import { createReadStream, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { importVehicles } from '../src/vehicles/import-vehicles.ts';
import type { BenchContext, BenchResult } from './lib/run-one.ts';
import { spawn } from 'node:child_process';
import { readFileSync as readText } from 'node:fs';
import { benchDatabase, benchProduct, benchTenant, rssSampler, writeVinCsv } from './ota-fixtures.ts';

const CLI = new URL('../src/cli.ts', import.meta.url).pathname;

/** Runs the icvgate CLI; polls the child's VmHWM (peak resident memory) from /proc while it runs. */
function runCli(args: string[], env: Record<string, string>): Promise<{ stdout: string; stderr: string; peakMB: number }> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...process.env, ICVGATE_LOG_LEVEL: 'silent', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '', peakKb = 0;
    c.stdout.on('data', (d) => (stdout += d));
    c.stderr.on('data', (d) => (stderr += d));
    const poll = setInterval(() => {
      try { const m = /VmHWM:\s+(\d+)/.exec(readText(`/proc/${c.pid}/status`, 'utf8')); if (m) peakKb = Math.max(peakKb, Number(m[1])); } catch { /* exited */ }
    }, 50);
    c.on('error', reject);
    c.on('close', (code) => {
      clearInterval(poll);
      if (code !== 0) reject(new Error(`icvgate ${args.join(' ')} exited ${code}: ${stderr.slice(0, 500)} ${stdout.slice(0, 500)}`));
      else resolve({ stdout, stderr, peakMB: peakKb / 1024 });
    });
  });
}

export default async function run(ctx: BenchContext): Promise<BenchResult[]> {
  const n = Math.round(2_000_000 * ctx.scale);
  const file = join(ctx.tmpDir, `icvgate-vins-${process.pid}.csv`);
  const b = await benchDatabase(ctx, 'vin');
  try {
    const { tenantId, actor } = await benchTenant(b.db);
    await benchProduct(b.deps, actor, 'BENCH0001');
    await writeVinCsv(file, n, 'BENCH0001');
    ctx.log(`${n.toLocaleString('en')} lines, ${(statSync(file).size / 1048576).toFixed(0)} MB, ${b.db.kind}`);

    await b.db.exec(`CREATE TABLE vehicles_copy (LIKE vehicles INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES);
                     ALTER TABLE vehicles_copy ALTER COLUMN tenant_id SET DEFAULT 'bench'`);
    const t0 = performance.now();
    if (b.db.kind === 'postgres') {
      const client = await b.db.raw().pool!.connect();
      try { await pipeline(createReadStream(file), client.query(copyFrom(`COPY vehicles_copy (vin, product_id, production_date) FROM STDIN WITH (FORMAT csv, HEADER true)`))); }
      finally { client.release(); }
    } else {
      await b.db.raw().pglite!.query(`COPY vehicles_copy (vin, product_id, production_date) FROM '/dev/blob' WITH (FORMAT csv, HEADER true)`, [], { blob: new Blob([readFileSync(file)]) });
    }
    const copySeconds = (performance.now() - t0) / 1000;
    await b.db.exec('DROP TABLE vehicles_copy; CHECKPOINT');
    ctx.log(`plain COPY: ${copySeconds.toFixed(1)} s`);

    // The import runs as the CLI does (`icvgate vehicles import FILE --tenant ID`), in a process of its
    // own, so its peak memory (VmHWM) is the import's and not this harness's (which holds the generator).
    // PGlite lives inside this process (one process per data directory), so there it runs in-process
    // and the figure is this process's peak.
    const t1 = performance.now();
    let report: { inserted: number }, peak: number;
    if (b.url) {
      const child = await runCli(['vehicles', 'import', file, '--tenant', tenantId], { DATABASE_URL: b.url });
      report = JSON.parse(child.stdout);
      peak = child.peakMB;
    } else {
      const mem = rssSampler();
      report = await importVehicles(b.deps, actor, { format: 'csv', body: createReadStream(file, { highWaterMark: 1 << 16 }), skipInvalid: false });
      peak = mem.stop();
    }
    const importSeconds = (performance.now() - t1) / 1000;
    if (report.inserted !== n) throw new Error(`imported ${report.inserted}, expected ${n}`);
    ctx.log(`import (${b.url ? 'CLI process, start-up included' : 'in-process'}): ${importSeconds.toFixed(1)} s, peak RSS ${peak.toFixed(0)} MB`);

    const t2 = performance.now();
    const again = await importVehicles(b.deps, actor, { format: 'csv', body: createReadStream(file, { highWaterMark: 1 << 20 }), skipInvalid: false });
    const reimportSeconds = (performance.now() - t2) / 1000;
    if (again.inserted + again.updated !== 0) throw new Error('re-import changed rows');
    void tenantId;
    return [{
      name: `vin-import${b.db.kind === 'pglite' ? '-pglite' : ''}`,
      value: n / importSeconds, unit: 'rows/s',
      baseline: { name: 'plain COPY of the same file into an equivalent table', value: n / copySeconds, unit: 'rows/s' },
      ratio: copySeconds / importSeconds, target: '>= 0.50; peak RSS < 300 MB',
      note: `${b.url ? 'CLI process' : 'bench process (PGlite in-process)'} peak RSS ${peak.toFixed(0)} MB`,
      extra: { rows: n, importSeconds, copySeconds, reimportSeconds, peakRssMB: Math.round(peak), database: b.db.kind },
    }];
  } finally {
    rmSync(file, { force: true });
    await b.close();
  }
}
