import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { testApp, type TestApp, type TestTenant } from '../../test/support.ts';
import { SHIPPED_CATALOG } from '../regimes/cn-2025/catalog/index.ts';
import { getProductWithBaseline, onProductEvent } from './index.ts';
import { fullValues } from './test-fixtures.ts';

let t: TestApp;
let a: TestTenant;
let b: TestTenant;
before(async () => {
  t = await testApp({ now: '2026-11-25T02:00:00Z' });
  a = await t.tenant();
  b = await t.tenant({ name: 'Other Motors' });
});
after(() => t.close());

const req = (tenant: TestTenant, method: string, url: string, payload?: unknown) =>
  t.app.inject({ method: method as any, url, headers: tenant.auth, payload: payload as any });
const count = async (table: string) => (await t.deps.db.tx('operator', (sql) => sql.one<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))).n;

const MODEL3 = { model: 'TSL7000BEVAR0', name: { zh: 'Model 3', en: 'Model 3' }, category: 'M1', cdas: true, ota: true, automationLevel: 2 };

async function createProduct(tenant: TestTenant, body: object = MODEL3) {
  const r = await req(tenant, 'POST', '/api/v1/products', body);
  assert.equal(r.statusCode, 201, r.body);
  return r.json();
}

test('GET /api/v1/catalog gives the candidate catalog with zh/en labels and main flags', async () => {
  const r = await req(a, 'GET', '/api/v1/catalog');
  assert.equal(r.statusCode, 200);
  const c = r.json();
  assert.equal(c.provenance, 'candidate');
  assert.equal(c.version, SHIPPED_CATALOG.version);
  assert.ok(c.parameters.length >= 15);
  assert.equal(typeof c.parameters[0].main, 'boolean');
  assert.ok(c.notice.zh.includes('候选'));
});

test('create, list and get a product; a duplicate model is 409; bad input names the field and writes nothing', async () => {
  const p = await createProduct(a);
  assert.equal(p.model, 'TSL7000BEVAR0');
  assert.deepEqual(p.access, { status: 'applying', batch: null, approvalDate: null });
  assert.equal(p.baselineVersion, null);

  const dup = await req(a, 'POST', '/api/v1/products', MODEL3);
  assert.equal(dup.statusCode, 409);
  assert.equal(dup.json().errors[0].path, 'model');

  const before = await count('products');
  const bad = await req(a, 'POST', '/api/v1/products', { ...MODEL3, model: 'x', category: 'Z9', automationLevel: 7 });
  assert.equal(bad.statusCode, 422);
  const paths = bad.json().errors.map((e: any) => e.path).sort();
  assert.deepEqual(paths, ['automationLevel', 'category', 'model']);
  const cdasL1 = await req(a, 'POST', '/api/v1/products', { ...MODEL3, model: 'TSL7000BEVAR1', automationLevel: 1 });
  assert.equal(cdasL1.statusCode, 422);
  assert.equal(cdasL1.json().errors[0].path, 'automationLevel');
  const approvedNoDate = await req(a, 'POST', '/api/v1/products', { ...MODEL3, model: 'TSL7000BEVAR1', access: { status: 'approved' } });
  assert.equal(approvedNoDate.statusCode, 422);
  assert.equal(approvedNoDate.json().errors[0].path, 'access.approvalDate');
  assert.equal(await count('products'), before);

  const list = await req(a, 'GET', '/api/v1/products');
  assert.ok(list.json().items.some((x: any) => x.id === p.id));
  const got = await req(a, 'GET', `/api/v1/products/${p.id}`);
  assert.equal(got.statusCode, 200);
  assert.deepEqual(got.json().sets, []);
});

test('another tenant sees 404 for the product, its parameters and its evidence', async () => {
  const p = await createProduct(a, { ...MODEL3, model: 'TSL7000BEVAR9' });
  for (const [m, url, body] of [
    ['GET', `/api/v1/products/${p.id}`], ['GET', `/api/v1/products/${p.id}/completeness`],
    ['PUT', `/api/v1/products/${p.id}/parameters/draft`, { values: {} }], ['POST', `/api/v1/products/${p.id}/parameters/draft/submit`],
  ] as [string, string, unknown?][]) {
    const r = await req(b, m, url, body);
    assert.equal(r.statusCode, 404, `${m} ${url}: ${r.body}`);
  }
  assert.ok(!(await req(b, 'GET', '/api/v1/products')).json().items.some((x: any) => x.id === p.id));
});

test('draft validation: 422 names every bad key with its reason and writes nothing', async () => {
  const p = await createProduct(a, { ...MODEL3, model: 'TSL7000BEVAR2' });
  const r = await req(a, 'PUT', `/api/v1/products/${p.id}/parameters/draft`, {
    values: { 'cdas.odd.speedMax': '200 mph', 'cdas.tier': 'L2+', 'nope': 1, 'cdas.riskMitigation': 'yes', 'cdas.functions': ['ACC', 'FSD'] },
  });
  assert.equal(r.statusCode, 422);
  const body = r.json();
  assert.equal(body.code, 'validation_failed');
  const byPath = Object.fromEntries(body.errors.map((e: any) => [e.path, e.message]));
  assert.deepEqual(Object.keys(byPath).sort(), ['values.cdas.functions', 'values.cdas.odd.speedMax', 'values.cdas.riskMitigation', 'values.cdas.tier', 'values.nope']);
  assert.match(byPath['values.cdas.odd.speedMax'], /unit must be km\/h/);
  assert.match(byPath['values.cdas.tier'], /allowed: single_lane, multi_lane, navigation/);
  const sets = (await req(a, 'GET', `/api/v1/products/${p.id}`)).json().sets;
  assert.deepEqual(sets, [], 'no draft was created by a refused PUT');
});

test('submit, approve, baseline, diff; the lifecycle is audited and other slices are told', async () => {
  const seen: string[] = [];
  const off = onProductEvent(async (_u, e) => { seen.push(e.type); });
  const p = await createProduct(a, { ...MODEL3, model: 'TSL7000BEVAR3' });
  const base = `/api/v1/products/${p.id}/parameters`;

  // an incomplete draft cannot be submitted
  const partial = fullValues();
  delete partial['cdas.tier'];
  assert.equal((await req(a, 'PUT', `${base}/draft`, { values: partial })).statusCode, 200);
  const inc = await req(a, 'POST', `${base}/draft/submit`);
  assert.equal(inc.statusCode, 422);
  assert.deepEqual(inc.json().errors.map((e: any) => e.path), ['values.cdas.tier']);
  assert.match(inc.json().errors[0].message, /required/);

  const saved = await req(a, 'PUT', `${base}/draft`, { values: fullValues() });
  assert.equal(saved.statusCode, 200);
  assert.equal(saved.json().status, 'draft');
  const v1 = await req(a, 'POST', `${base}/draft/submit`);
  assert.equal(v1.statusCode, 201, v1.body);
  assert.equal(v1.json().version, 1);
  assert.match(v1.json().digest, /^[0-9a-f]{64}$/);

  // a frozen version cannot be approved twice, and an unknown version is 404
  const ap = await req(a, 'POST', `${base}/1/approve`, { reference: 'MIIT-2026-0412', date: '2026-11-20', batch: '402' });
  assert.equal(ap.statusCode, 200, ap.body);
  assert.equal(ap.json().product.baselineVersion, 1);
  assert.deepEqual(ap.json().product.access, { status: 'approved', batch: '402', approvalDate: '2026-11-20' });
  assert.equal((await req(a, 'POST', `${base}/1/approve`, { reference: 'again', date: '2026-11-21' })).statusCode, 409);
  assert.equal((await req(a, 'POST', `${base}/9/approve`, { reference: 'x', date: '2026-11-21' })).statusCode, 404);
  const badDate = await req(a, 'POST', `${base}/1/approve`, { reference: 'x', date: '2026-02-30' });
  assert.equal(badDate.statusCode, 422);
  assert.equal(badDate.json().errors[0].path, 'date');

  // version 2 changes a main parameter and a non-main one
  const next = fullValues({ 'cdas.odd.speedMax': 120, 'cdas.odd.weather': ['clear'] });
  assert.equal((await req(a, 'PUT', `${base}/draft`, { values: next })).statusCode, 200);
  const draftDiff = await req(a, 'GET', `${base}/diff?from=baseline&to=draft`);
  assert.equal(draftDiff.statusCode, 200, draftDiff.body);
  assert.equal(draftDiff.json().changes.length, 2);
  assert.equal((await req(a, 'POST', `${base}/draft/submit`)).json().version, 2);
  const diff = (await req(a, 'GET', `${base}/diff?from=1&to=2`)).json();
  assert.equal(diff.mainChanged, true);
  assert.equal(diff.rules[0].rule, 'N45-7.main-parameter');
  assert.equal(diff.rules[0].regime, 'cn-2025');
  assert.deepEqual(diff.changes.map((c: any) => [c.key, c.old, c.new, c.main]), [
    ['cdas.odd.speedMax', 130, 120, true],
    ['cdas.odd.weather', ['clear', 'light_rain'], ['clear'], false],
  ]);
  assert.equal(diff.changes[0].label.zh, '设计运行条件：最高车速');
  assert.equal((await req(a, 'GET', `${base}/diff?from=1&to=7`)).statusCode, 404);
  assert.equal((await req(a, 'GET', `${base}/diff?from=x&to=2`)).statusCode, 422);

  // an unchanged draft is not a new version
  assert.equal((await req(a, 'PUT', `${base}/draft`, { values: next })).statusCode, 200);
  assert.equal((await req(a, 'POST', `${base}/draft/submit`)).statusCode, 409);

  // the approved baseline for other slices; a later approval is a change
  const wb = await t.deps.db.tx({ tenantId: a.tenantId }, (sql) => getProductWithBaseline(sql, a.tenantId, p.id));
  assert.equal(wb!.baseline!.version, 1);
  assert.equal(wb!.baseline!.values['cdas.odd.speedMax'], 130);
  assert.equal(wb!.baseline!.catalog.byKey.get('cdas.odd.speedMax')!.main, true);
  assert.equal(await t.deps.db.tx({ tenantId: b.tenantId }, (sql) => getProductWithBaseline(sql, b.tenantId, p.id)), undefined);
  const ap2 = await req(a, 'POST', `${base}/2/approve`, { reference: 'MIIT-2026-0999', date: '2026-11-24' });
  assert.deepEqual(ap2.json().product.access, { status: 'changed', batch: '402', approvalDate: '2026-11-20' }, 'the access approval date stays; the change is on v2');
  assert.equal(ap2.json().version.approval.date, '2026-11-24');
  assert.equal(ap2.json().product.baselineVersion, 2);
  assert.equal((await req(a, 'POST', `${base}/1/approve`, { reference: 'late', date: '2026-11-25' })).statusCode, 409);

  off();
  assert.deepEqual(seen, ['product.created', 'product.approved', 'product.approved']);
  const events = await t.deps.db.tx('operator', (sql) => sql.query<{ type: string }>(
    `SELECT type FROM outbox WHERE subject_id = $1 AND type LIKE 'product.%' ORDER BY id`, [p.id]));
  assert.deepEqual(events.map((e) => e.type), ['product.created', 'product.approved', 'product.approved']);
  const audit = await t.deps.db.tx('operator', (sql) => sql.query<{ action: string }>(
    `SELECT action FROM audit_log WHERE subject_id = $1 ORDER BY seq`, [p.id]));
  assert.deepEqual(audit.map((x) => x.action), ['product.created', 'parameters.draft_saved', 'parameters.draft_saved', 'parameters.submitted', 'parameters.approved',
    'parameters.draft_saved', 'parameters.submitted', 'parameters.draft_saved', 'parameters.approved']);
});

test('a product without CDAS refuses CDAS parameters', async () => {
  const p = await createProduct(a, { ...MODEL3, model: 'BYD7005BEVA', cdas: false, automationLevel: 1 });
  const r = await req(a, 'PUT', `/api/v1/products/${p.id}/parameters/draft`, { values: { 'cdas.tier': 'navigation', 'general.cdasFitted': false, 'general.otaCapable': true } });
  assert.equal(r.statusCode, 422);
  assert.equal(r.json().errors[0].path, 'values.cdas.tier');
  assert.match(r.json().errors[0].message, /applies only when: CDAS fitted/);
});

test('a product approved before the notice gets its N45-3 obligations in the same transaction', async () => {
  const { obligationsFor } = await import('../obligations/index.ts');
  const p = await createProduct(a, { ...MODEL3, model: 'TSL7000BEVAR5', access: { status: 'approved', batch: '360', approvalDate: '2024-05-10' } });
  const obs = await t.deps.db.tx({ tenantId: a.tenantId }, (sql) => obligationsFor(sql, a.tenantId, { type: 'product', id: p.id }));
  const n45 = obs.filter((o: any) => o.rule === 'N45-3').map((o: any) => o.addressee).sort();
  assert.deepEqual(n45, ['MIIT', 'SAMR']);
  // recording the supplement's approval keeps the product approved before the notice
  await req(a, 'PUT', `/api/v1/products/${p.id}/parameters/draft`, { values: fullValues() });
  await req(a, 'POST', `/api/v1/products/${p.id}/parameters/draft/submit`);
  const ap = await req(a, 'POST', `/api/v1/products/${p.id}/parameters/1/approve`, { reference: 'SUPP-1', date: '2025-05-20' });
  assert.deepEqual(ap.json().product.access, { status: 'approved', batch: '360', approvalDate: '2024-05-10' });
  const after = await t.deps.db.tx({ tenantId: a.tenantId }, (sql) => obligationsFor(sql, a.tenantId, { type: 'product', id: p.id }));
  assert.deepEqual(after.filter((o: any) => o.rule === 'N45-3' && o.status !== 'withdrawn').map((o: any) => o.addressee).sort(), ['MIIT', 'SAMR']);
});

test('the OpenAPI document lists the products, catalog and evidence paths', async () => {
  const r = await t.app.inject({ url: '/api/v1/openapi.json' });
  assert.equal(r.statusCode, 200);
  const paths = Object.keys(r.json().paths);
  for (const p of ['/api/v1/catalog', '/api/v1/products', '/api/v1/products/{productId}', '/api/v1/products/{productId}/parameters/draft',
    '/api/v1/products/{productId}/parameters/draft/submit', '/api/v1/products/{productId}/parameters/{version}/approve',
    '/api/v1/products/{productId}/parameters/diff', '/api/v1/products/{productId}/completeness', '/api/v1/evidence', '/api/v1/evidence/{sha256}',
    '/api/v1/catalog/import', '/api/v1/completeness']) {
    assert.ok(paths.includes(p), `${p} in OpenAPI`);
  }
});

test('a body of the wrong shape is a 422 naming the field, never a 500', async () => {
  const p = await createProduct(a, { ...MODEL3, model: 'TSL7000BEVAR6' });
  const r = await req(a, 'PUT', `/api/v1/products/${p.id}/parameters/draft`, { values: 'all of them' });
  assert.equal(r.statusCode, 422);
  assert.equal(r.json().errors[0].path, 'values');
  const extra = await req(a, 'POST', '/api/v1/products', { ...MODEL3, model: 'TSL7000BEVAR7', colour: 'red' });
  assert.equal(extra.statusCode, 422);
  const op = await t.app.inject({ method: 'GET', url: '/api/v1/products', headers: t.operator });
  assert.equal(op.statusCode, 400);
});

test('PATCH changes product facts; values that no longer apply move to unmapped; bad input writes nothing', async () => {
  const p = await createProduct(a, { ...MODEL3, model: 'TSL7000BEVAR8' });
  await req(a, 'PUT', `/api/v1/products/${p.id}/parameters/draft`, { values: fullValues() });
  const bad = await req(a, 'PATCH', `/api/v1/products/${p.id}`, { automationLevel: 1 });
  assert.equal(bad.statusCode, 422);
  assert.equal(bad.json().errors[0].path, 'automationLevel');
  assert.equal((await req(a, 'PATCH', `/api/v1/products/${p.id}`, {})).statusCode, 422);
  assert.equal((await req(b, 'PATCH', `/api/v1/products/${p.id}`, { ota: false })).statusCode, 404);

  const r = await req(a, 'PATCH', `/api/v1/products/${p.id}`, { ota: false, name: { zh: 'Model 3 焕新版', en: 'Model 3 Highland' } });
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().ota, false);
  const draft = (await req(a, 'GET', `/api/v1/products/${p.id}/parameters/draft`)).json();
  assert.ok(!Object.keys(draft.values).some((k) => k.startsWith('ota.')));
  assert.match(draft.unmapped['ota.mode'].reason, /does not apply/);
  const c = (await req(a, 'GET', `/api/v1/products/${p.id}/completeness`)).json();
  assert.deepEqual(c.invalid.map((e: any) => e.path), ['values.general.otaCapable'], 'the declared OTA fact now disagrees and is named');
  const audit = await t.deps.db.tx('operator', (sql) => sql.query<{ data: any }>(`SELECT data FROM audit_log WHERE subject_id = $1 AND action = 'product.updated'`, [p.id]));
  assert.deepEqual(audit[0].data.changed.sort(), ['name', 'ota']);
});
