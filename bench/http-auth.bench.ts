// An authenticated GET of a small resource (token lookup, tenant-scoped transaction, row-level
// security) against a bare route of the same server, both driven by autocannon in the same run.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from '../src/app.ts';
import type { BenchContext, BenchResult } from './lib/run-one.ts';
import { load } from './lib/http-load.ts';

export default async function run(ctx: BenchContext): Promise<BenchResult> {
  const dataDir = join(ctx.tmpDir, `icvgate-bench-http-${process.pid}`);
  const bootstrap = 'bench-operator-token-' + 'x'.repeat(16);
  const s = await startServer({ port: 0, dataDir, databaseUrl: ctx.databaseUrl, host: '127.0.0.1', logLevel: 'silent' },
    { env: { ICVGATE_BOOTSTRAP_TOKEN: bootstrap, ICVGATE_LOG_LEVEL: 'silent' }, background: false });
  try {
    const op = { authorization: `Bearer ${bootstrap}`, 'content-type': 'application/json' };
    const tenant = await (await fetch(`${s.url}/api/v1/tenants`, { method: 'POST', headers: op, body: JSON.stringify({ kind: 'manufacturer', overseas: true, country: 'DE', name: { zh: '基准', en: 'Bench GmbH' } }) })).json();
    const token = (await (await fetch(`${s.url}/api/v1/tenants/${tenant.id}/tokens`, { method: 'POST', headers: op, body: JSON.stringify({ name: 'bench', role: 'auditor' }) })).json()).token;
    const seconds = Math.max(2, Math.round(5 * ctx.scale));
    await load(`${s.url}/healthz`, { seconds: 1 }); // warm-up
    const bare = await load(`${s.url}/healthz`, { seconds });
    const authed = await load(`${s.url}/api/v1/tenants/${tenant.id}`, { seconds, headers: { authorization: `Bearer ${token}` } });
    if (authed.non2xx || authed.errors) throw new Error(`authenticated run had ${authed.non2xx} non-2xx and ${authed.errors} errors`);
    return {
      name: 'http-auth-get',
      value: authed.rps, unit: 'req/s',
      baseline: { name: 'bare route /healthz', value: bare.rps, unit: 'req/s' },
      ratio: authed.rps / bare.rps,
      target: '>= 0.30',
      extra: { authedP99ms: authed.p99, bareP99ms: bare.p99, database: s.deps.db.kind },
    };
  } finally {
    await s.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
