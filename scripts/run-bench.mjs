#!/usr/bin/env node
// `npm run bench [-- NAME...]` runs bench/*.bench.ts (each in its own process) and prints
// `NAME: value unit | baseline: value unit | ratio R (target T)`; results go to bench/results/NAME.json.
// BENCH_DATABASE_URL=postgres://... runs database benchmarks on PostgreSQL instead of PGlite.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const files = readdirSync(`${root}bench`).filter((f) => f.endsWith('.bench.ts')).sort()
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)));
if (files.length === 0) {
  console.error(`no benchmark matches ${wanted.join(', ')}`);
  process.exit(1);
}
let failed = 0;
for (const f of files) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', `${root}bench/lib/run-one.ts`, `${root}bench/${f}`], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
