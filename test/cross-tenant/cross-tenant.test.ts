// Walks EVERY authenticated route that takes a path parameter with tenant A's admin token against
// tenant B's ids, and proves each answers 404 (or 403 where the role lacks the permission anyway)
// without leaking any of B's data. Each slice provides B's ids in test/cross-tenant/<slice>.fixture.ts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { permissionsOf } from '../../src/access/policy.ts';
import { testApp, type TestApp, type TestTenant } from '../support.ts';

let t: TestApp;
let a: TestTenant;
let b: TestTenant;
const params: Record<string, string> = {};

before(async () => {
  t = await testApp();
  a = await t.tenant({ name: 'Alpha Motors' });
  b = await t.tenant({ name: 'Bravo Secret Motors' });
  const dir = new URL('.', import.meta.url).pathname;
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.fixture.ts')).sort()) {
    const mod = await import(`./${f}`);
    Object.assign(params, await mod.default(t, b));
  }
});
after(() => t.close());

test('every tenant-scoped route denies tenant A access to tenant B\'s ids', async () => {
  const routes = t.app.routeList.filter((r) => r.url.startsWith('/api/') && r.url.includes(':') && !r.config.public && !r.url.startsWith('/api/docs'));
  assert.ok(routes.length > 0);
  const missing = new Set<string>();
  const checked: string[] = [];
  for (const r of routes) {
    const names = [...r.url.matchAll(/:(\w+)/g)].map((m) => m[1]);
    const unknown = names.filter((n) => !(n in params));
    if (unknown.length) { unknown.forEach((n) => missing.add(`${n} (${r.method} ${r.url})`)); continue; }
    const url = r.url.replace(/:(\w+)/g, (_m, n) => encodeURIComponent(params[n]));
    const withBody = !['GET', 'DELETE'].includes(r.method);
    const res = await t.app.inject({ method: r.method as any, url, headers: withBody ? { ...a.auth, 'content-type': 'application/json' } : a.auth, payload: withBody ? '{}' : undefined });
    const allowed = !r.config.permission || permissionsOf(a.actor).includes(r.config.permission);
    const ok = res.statusCode === 404 || (!allowed && res.statusCode === 403) || ([415, 422].includes(res.statusCode) && !res.body.includes(b.tenantId)); // refused before any lookup
    assert.ok(ok, `${r.method} ${r.url} answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
    assert.ok(!res.body.includes('Bravo Secret Motors'), `${r.method} ${r.url} leaked B's data`);
    for (const [name, id] of Object.entries(params)) {
      if (name !== 'tenantId' && id.length >= 8 && res.statusCode !== 404) assert.ok(!res.body.includes(id), `${r.method} ${r.url} echoed B's ${name}`);
    }
    checked.push(`${r.method} ${r.url}`);
  }
  assert.deepEqual([...missing], [], 'every path parameter needs a fixture id of tenant B (add test/cross-tenant/<slice>.fixture.ts)');
  assert.ok(checked.length >= 4, `checked ${checked.length} routes`);
});

test('tenant A\'s lists never contain tenant B\'s rows', async () => {
  const lists = t.app.routeList.filter((r) => r.method === 'GET' && r.url.startsWith('/api/v1/') && !r.url.includes(':') && !r.config.public && !r.url.startsWith('/api/docs'));
  for (const r of lists) {
    const res = await t.app.inject({ url: r.url, headers: a.auth });
    if (res.statusCode >= 400) continue; // lists with required filters; not a leak
    assert.ok(!res.body.includes(b.tenantId), `${r.url} lists B's rows`);
    assert.ok(!res.body.includes('Bravo Secret Motors'), `${r.url} leaked B's data`);
  }
});
