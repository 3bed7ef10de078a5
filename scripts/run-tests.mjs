#!/usr/bin/env node
// Runs every *.test.ts under src/, test/ and web/src/ with node's test runner (Node 20 expands no globs).
// `npm test -- <filter>` runs the files whose path contains <filter>. Zero test files is a failure.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
  e.name === 'node_modules' || e.name.startsWith('.') ? [] : e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [join(dir, e.name)] : []);

const filters = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const files = [...walk(join(root, 'src')), ...walk(join(root, 'test')), ...walk(join(root, 'web/src'))]
  .map((f) => relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// Browser tests need the built UI: build it when it is missing or stale (instant otherwise).
if (files.some((f) => f.startsWith('test/e2e/'))) {
  const b = spawnSync(process.execPath, [join(root, 'scripts/build-web.mjs')], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}
const concurrency = process.env.TEST_CONCURRENCY ?? '2';
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
