import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { testDeps, type TestDeps } from '../../test/support.ts';
import { completenessOf, getProductWithBaseline } from '../products/index.ts';
import { diffVersions } from '../products/queries.ts';
import { runDemo, type DemoSummary } from './index.ts';

let deps: TestDeps;
let summary: DemoSummary;
before(async () => {
  deps = await testDeps({ now: '2026-11-25T02:00:00Z' });
  summary = await runDemo(deps);
});
after(() => deps.close());

test('the demo creates a domestic and an overseas manufacturer with users to sign in with', () => {
  assert.deepEqual(summary.tenants.map((t) => [t.key, t.overseas]), [['domestic', false], ['overseas', true]]);
  assert.ok(summary.tenants.every((t) => t.users.some((u) => u.role === 'admin' && u.password.length >= 12)));
  assert.ok(summary.steps.includes('products'));
});

test('the demo products show a baseline, a pending main change, incomplete and complete products', async () => {
  const dom = summary.tenants[0].id;
  const byName = Object.fromEntries(summary.products.map((p) => [p.name, p]));
  assert.ok(summary.products.length >= 5);
  const s7 = await deps.db.tx({ tenantId: dom }, (sql) => getProductWithBaseline(sql, dom, byName.xingtuS7.id));
  assert.equal(s7!.baseline!.version, 1);
  assert.equal(s7!.product.access.status, 'approved');
  const actor = { type: 'system' as const, id: 'test', name: 'test', tenantId: dom, role: 'admin' };
  const diff = await diffVersions(deps, actor, byName.xingtuS7.id, 'baseline', 2);
  assert.equal(diff.mainChanged, true);
  const c = (id: string, tenant = dom) => deps.db.tx({ tenantId: tenant }, (sql) => completenessOf(sql, tenant, id, '2026-11-25'));
  assert.equal((await c(byName.xingtuS7.id))!.ready, true);
  const l9 = (await c(byName.xingtuL9.id))!;
  assert.equal(l9.ready, false);
  assert.ok(l9.missing.length > 0);
  assert.ok(l9.evidenceMissing.some((e) => e.reason === 'expired'));
  const ovs = summary.tenants[1].id;
  assert.equal((await c(byName.ex5.id, ovs))!.ready, true);
  assert.ok((await c(byName.ex7.id, ovs))!.evidenceMissing.length > 0);
});

test('running the demo twice is refused clearly', async () => {
  await assert.rejects(runDemo(deps), /demo is loaded already/);
});

test('the demo has both regulators, and the SAMR reviewer sees the filed supplementary parameters', async () => {
  const regs = summary.results.regulators as { regulator: string; id: string; email: string }[];
  assert.deepEqual(regs.map((r) => r.regulator), ['MIIT', 'SAMR']);
  const { buildApp } = await import('../app.ts');
  const app = await buildApp(deps, { web: false });
  try {
    const login = await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email: 'reviewer@samr.demo', password: 'icvgate-demo-2026' } });
    assert.equal(login.statusCode, 201, login.body);
    const cookie = String(login.headers['set-cookie']).split(';')[0];
    const inbox = await app.inject({ url: '/api/v1/regulator/filings', headers: { cookie } });
    assert.equal(inbox.statusCode, 200, inbox.body);
    const items = inbox.json().items as any[];
    assert.equal(items.length, 1);
    assert.equal(items[0].kind, 'supplementary-parameters');
    assert.equal(items[0].addressee, 'SAMR');
  } finally {
    await app.close();
  }
});

test('the demo OTA campaigns: class B waits at the gate, class A rolls out and reconciliation flags deviations', async () => {
  const { getCampaign, reconciliation } = await import('../ota/index.ts');
  const dom = summary.tenants[0].id;
  const actor = { type: 'system' as const, id: 'test', name: 'test', tenantId: dom, role: 'admin' };
  const ids = summary.results.ota as { classA: string; classB: string };
  const b = await getCampaign(deps, actor, ids.classB);
  assert.equal(b.class, 'B');
  assert.notEqual(b.state, 'cleared');
  const a = await getCampaign(deps, actor, ids.classA);
  assert.deepEqual([a.class, a.state], ['A', 'rolling_out']);
  const r = await reconciliation(deps, actor, ids.classA);
  assert.equal(r.counts.outsideScope, 1);
  assert.equal(r.counts.serverClaimedOnly, 10);
  assert.equal(r.counts.failed, 4);
  assert.equal(r.installsBeforeClearance.reports, 0);
  assert.equal(r.consistent, false);
});

test('the demo incidents: an S1 collision at the top of the queue, and a defect assessment from a repeated fault', async () => {
  const { buildApp } = await import('../app.ts');
  const app = await buildApp(deps, { web: false });
  try {
    const login = await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email: 'safety@huaxing-auto.demo', password: 'icvgate-demo-2026' } });
    const cookie = String(login.headers['set-cookie']).split(';')[0];
    const queue = await app.inject({ url: '/api/v1/incidents', headers: { cookie } });
    assert.equal(queue.statusCode, 200, queue.body);
    assert.equal(queue.json().items[0].severity, 'S1');
    const signals = (await app.inject({ url: '/api/v1/signals', headers: { cookie } })).json();
    assert.ok(signals.assessments.length >= 1, JSON.stringify(signals).slice(0, 300));
  } finally {
    await app.close();
  }
});
