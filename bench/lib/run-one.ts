import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename } from 'node:path';

export type BenchContext = {
  /** PostgreSQL when BENCH_DATABASE_URL is set, else PGlite. */
  databaseUrl?: string;
  /** Multiplies workload sizes (BENCH_SCALE, default 1); use smaller for a quick look. */
  scale: number;
  tmpDir: string;
  log(msg: string): void;
};

export type BenchResult = {
  name: string;
  value: number;
  unit: string;
  baseline: { name?: string; value: number; unit: string };
  /** value / baseline.value, or as the bench defines it (say so in `note`). */
  ratio: number;
  target: string;
  note?: string;
  extra?: Record<string, unknown>;
};

const file = process.argv[2];
const mod = await import(file);
const ctx: BenchContext = {
  databaseUrl: process.env.BENCH_DATABASE_URL,
  scale: Number(process.env.BENCH_SCALE ?? 1),
  tmpDir: tmpdir(),
  log: (m) => process.stderr.write(`  ${basename(file)}: ${m}\n`),
};
const results: BenchResult[] = [].concat(await mod.default(ctx));
const fmt = (n: number) => (Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(3));
mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
for (const r of results) {
  console.log(`${r.name}: ${fmt(r.value)} ${r.unit} | baseline: ${fmt(r.baseline.value)} ${r.baseline.unit} | ratio ${r.ratio.toFixed(2)} (target ${r.target})${r.note ? ` — ${r.note}` : ''}`);
  const database = ctx.databaseUrl ? 'postgres' : 'pglite';
  const json = JSON.stringify({ ...r, database, node: process.version, at: new Date().toISOString() }, null, 2) + '\n';
  // NAME.json is the latest run; NAME.<database>.json keeps one result per database side by side.
  writeFileSync(new URL(`../results/${r.name}.json`, import.meta.url), json);
  writeFileSync(new URL(`../results/${r.name}.${database}.json`, import.meta.url), json);
}
process.exit(0);
