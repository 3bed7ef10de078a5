// Per-VIN gate checks over HTTP (token auth, tenant-scoped read, the pure gate rule) on a cleared
// campaign, against the bare /healthz route of the same server, both driven by autocannon in the same run.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from '../src/app.ts';
import { gateBatchStats } from '../src/ota/store.ts';
import { baselineValues, campaignBody } from '../src/ota/test-fixtures.ts';
import type { BenchContext, BenchResult } from './lib/run-one.ts';
import { load, type LoadResult } from './lib/http-load.ts';
import { benchVin, freshDatabaseUrl } from './ota-fixtures.ts';

export default async function run(ctx: BenchContext): Promise<BenchResult> {
  const dataDir = join(ctx.tmpDir, `icvgate-bench-gate-${process.pid}`);
  const bootstrap = 'bench-operator-token-' + 'x'.repeat(16);
  const fresh = ctx.databaseUrl ? await freshDatabaseUrl(ctx.databaseUrl, 'gate') : undefined;
  const s = await startServer({ port: 0, dataDir, databaseUrl: fresh?.url, host: '127.0.0.1', logLevel: 'silent' },
    { env: { ICVGATE_BOOTSTRAP_TOKEN: bootstrap, ICVGATE_LOG_LEVEL: 'silent' }, background: false });
  try {
    const call = async (method: string, path: string, auth: string, body?: unknown, type = 'application/json') => {
      const r = await fetch(`${s.url}${path}`, { method, headers: { authorization: `Bearer ${auth}`, ...(body !== undefined ? { 'content-type': type } : {}) },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
      const j = await r.json();
      if (!r.ok) throw new Error(`${method} ${path} -> ${r.status} ${JSON.stringify(j).slice(0, 400)}`);
      return j;
    };
    const tenant = await call('POST', '/api/v1/tenants', bootstrap, { kind: 'manufacturer', overseas: true, country: 'DE', name: { zh: '基准', en: 'Bench GmbH' } });
    const admin = (await call('POST', `/api/v1/tenants/${tenant.id}/tokens`, bootstrap, { name: 'bench-admin', role: 'admin' })).token;
    const ota = (await call('POST', `/api/v1/tenants/${tenant.id}/tokens`, bootstrap, { name: 'ota-backend', role: 'release_manager' })).token;
    const p = await call('POST', '/api/v1/products', admin, { model: 'BENCH7000', name: { zh: 'B', en: 'B' }, category: 'M1', cdas: true, ota: true, automationLevel: 2, access: { status: 'approved', approvalDate: '2024-01-10' } });
    await call('PUT', `/api/v1/products/${p.id}/parameters/draft`, admin, { values: baselineValues() });
    const set = await call('POST', `/api/v1/products/${p.id}/parameters/draft/submit`, admin, {});
    await call('POST', `/api/v1/products/${p.id}/parameters/${set.version}/approve`, admin, { reference: 'MIIT-BENCH', date: '2024-01-10' });
    for (const o of (await call('GET', '/api/v1/obligations?limit=500', admin)).items) {
      if ((o.rule === 'M22-1a' || o.rule === 'M22-1b') && o.status === 'open') await call('POST', `/api/v1/obligations/${o.id}/submissions`, admin, { channel: 'MIIT EIDC', reference: `EIDC-${o.id}` });
    }
    const vins = Array.from({ length: 1000 }, (_, i) => benchVin(i));
    await call('POST', '/api/v1/vehicles/import', admin, ['vin,product,productionDate', ...vins.map((v) => `${v},BENCH7000,2025-01-01`)].join('\n'), 'text/csv');
    const now = Date.now();
    const c = await call('POST', '/api/v1/campaigns', admin, campaignBody([p.id], {
      window: { start: new Date(now - 86_400_000).toISOString(), end: new Date(now + 30 * 86_400_000).toISOString() },
      scope: { productionDate: { from: '2024-01-01', to: '2025-12-31' } },
    }));
    await call('POST', `/api/v1/campaigns/${c.id}/classify`, admin, {});
    await call('POST', `/api/v1/campaigns/${c.id}/transitions`, admin, { to: 'awaiting_prerequisites' });
    for (const step of (await call('GET', `/api/v1/campaigns/${c.id}`, admin)).steps) {
      if (step.phase === 'before-release') await call('POST', `/api/v1/campaigns/${c.id}/steps/${step.id}`, admin, { reference: `REF-${step.id}` });
    }
    await call('POST', `/api/v1/campaigns/${c.id}/transitions`, admin, { to: 'cleared' });
    await call('POST', `/api/v1/campaigns/${c.id}/transitions`, admin, { to: 'rolling_out' });
    const check = await call('GET', `/api/v1/gate/campaigns/${c.id}/vehicles/${vins[17]}`, ota);
    if (!check.allow) throw new Error(`the gate should allow: ${JSON.stringify(check)}`);

    // Both runs rotate over the 1,000 VINs the same way (each connection from its own offset, the
    // same bearer header), so the baseline and the gate differ only by what the server does.
    const headers = { authorization: `Bearer ${ota}` };
    const gatePaths = vins.map((v) => `/api/v1/gate/campaigns/${c.id}/vehicles/${v}`);
    const barePaths = vins.map((v) => `/healthz?vin=${v}`);
    const seconds = Math.max(2, Math.round(5 * ctx.scale));
    await load(s.url, { seconds: 1, paths: barePaths, headers });
    await load(s.url, { seconds: 1, paths: gatePaths, headers });
    // Bare, gate, gate, bare: the machine is shared, and a drift in its load over the run weighs on
    // both sides alike; each side is the mean of its two runs.
    const before = { ...gateBatchStats(s.deps.db) };
    const runs: { bare: LoadResult[]; gate: LoadResult[] } = { bare: [], gate: [] };
    for (const side of ['bare', 'gate', 'gate', 'bare'] as const) {
      const r = await load(s.url, { seconds, paths: side === 'bare' ? barePaths : gatePaths, headers });
      if (r.non2xx || r.errors) throw new Error(`${side} run had ${r.non2xx} non-2xx and ${r.errors} errors`);
      runs[side].push(r);
    }
    const after = gateBatchStats(s.deps.db);
    const meanBatch = (after.keys - before.keys) / Math.max(1, after.batches - before.batches);
    const mean = (xs: LoadResult[]) => xs.reduce((a, x) => a + x.rps, 0) / xs.length;
    const bare = { rps: mean(runs.bare), p99: Math.max(...runs.bare.map((x) => x.p99)) };
    const gate = { rps: mean(runs.gate), p99: Math.max(...runs.gate.map((x) => x.p99)), requests: runs.gate.reduce((a, x) => a + x.requests, 0) };
    return {
      name: `gate-check${s.deps.db.kind === 'pglite' ? '-pglite' : ''}`,
      value: gate.rps, unit: 'checks/s',
      baseline: { name: 'bare route /healthz', value: bare.rps, unit: 'req/s' },
      ratio: gate.rps / bare.rps,
      target: '>= 5,000 checks/s on 2 cores and ratio >= 0.30',
      extra: { gateP99ms: gate.p99, bareP99ms: bare.p99, checks: gate.requests, meanBatch: Number(meanBatch.toFixed(2)),
        runs: { bare: runs.bare.map((x) => Math.round(x.rps)), gate: runs.gate.map((x) => Math.round(x.rps)) }, database: s.deps.db.kind },
    };
  } finally {
    await s.close();
    await fresh?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
