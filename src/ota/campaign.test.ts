// Journey 2 end to end over HTTP: classify B, refuse, record, clear, authorize, gate, report, reconcile, revoke.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp, type TestTenant } from '../../test/support.ts';
import { verifyAuthorization } from './signing.ts';
import { call, campaignBody, fileManufacturerOta, makeVin, productWithBaseline, recordAllSteps } from './test-fixtures.ts';

let t: TestApp, a: TestTenant, other: TestTenant, approver: TestTenant;
let productId: string, campaignId: string;
const inScope = [1, 2, 3, 4, 5].map((i) => makeVin('LRW', i));
const outOfWindow = makeVin('LRW', 90);
const stranger = makeVin('LFV', 91);

before(async () => {
  t = await testApp({ now: '2026-11-25T02:00:00Z' });
  a = await t.tenant();
  other = await t.tenant();
  approver = await t.token(a.tenantId, 'compliance');
  const p = await productWithBaseline(t, a, { model: 'TSL7000BEVAR0' });
  productId = p.id;
  await fileManufacturerOta(t, a);
  const csv = ['vin,product,productionDate', ...inScope.map((v) => `${v},TSL7000BEVAR0,2025-03-01`), `${outOfWindow},TSL7000BEVAR0,2023-01-01`].join('\n');
  const imp = await t.app.inject({ method: 'POST', url: '/api/v1/vehicles/import', headers: { ...a.auth, 'content-type': 'text/csv' }, payload: csv });
  assert.equal(imp.statusCode, 200, imp.body);
});
after(() => t.close());

test('a speed-control change of a main parameter is class B with the parameter old -> new', async () => {
  const c = await call(t, a, 'POST', '/api/v1/campaigns', campaignBody([productId], { parameters: { 'cdas.odd.speedMax': 135 }, functions: [{ name: 'NOA_HIGHWAY', change: 'changed', automationLevel: 2 }] }), 201);
  campaignId = c.id;
  assert.equal(c.state, 'draft');
  assert.match(c.digests.content, /^[0-9a-f]{64}$/);
  const r = await call(t, a, 'POST', `/api/v1/campaigns/${campaignId}/classify`);
  assert.equal(r.class, 'B');
  assert.equal(r.recall, false);
  assert.equal(r.regime, 'cn-2025');
  assert.ok(r.regimeVersion);
  const main = r.reasons.find((x: any) => x.rule === 'N45-7');
  assert.deepEqual(main.parameter, { key: 'cdas.odd.speedMax', old: 130, new: 135, main: true });
  assert.ok(r.reasons.some((x: any) => x.rule === 'R156-7.1.1.9' && x.function.name === 'NOA_HIGHWAY'));
  assert.deepEqual(r.steps.map((s: any) => s.id), ['miit-change-permit', 'miit-filing', 'samr-filing', 'implementation-report']);
  const filing = r.steps.find((s: any) => s.id === 'miit-filing');
  assert.equal(filing.dueDate, '2026-12-04', 'the last working day before the release on Monday 2026-12-07');
  const obligations = await call(t, a, 'GET', `/api/v1/obligations?subject=${campaignId}`);
  assert.ok(obligations.items.some((o: any) => o.part === 'miit-change-permit' && o.addressee === 'MIIT'));
  // Same inputs, same answer.
  const again = await call(t, a, 'POST', `/api/v1/campaigns/${campaignId}/classify`);
  assert.deepEqual(again.reasons, r.reasons);
});

test('the gate refuses to clear and lists what is missing', async () => {
  await call(t, a, 'POST', `/api/v1/campaigns/${campaignId}/transitions`, { to: 'awaiting_prerequisites' });
  const r = await t.app.inject({ method: 'POST', url: `/api/v1/campaigns/${campaignId}/transitions`, headers: a.auth, payload: { to: 'cleared' } });
  assert.equal(r.statusCode, 409);
  const p = r.json();
  assert.equal(p.code, 'gate_refused');
  const steps = p.missing.filter((m: any) => m.code === 'obligation_open').map((m: any) => m.step).sort();
  assert.deepEqual(steps, ['miit-change-permit', 'miit-filing', 'samr-filing']);
  const skip = await t.app.inject({ method: 'POST', url: `/api/v1/campaigns/${campaignId}/transitions`, headers: a.auth, payload: { to: 'rolling_out' } });
  assert.equal(skip.statusCode, 409);
  assert.equal(skip.json().missing[0].code, 'transition_not_allowed');
});

test('the vehicle gate denies before clearance', async () => {
  const g = await call(t, a, 'GET', `/api/v1/gate/campaigns/${campaignId}/vehicles/${inScope[0]}`);
  assert.deepEqual([g.allow, g.code], [false, 'campaign_not_cleared']);
});

let token: string;
test('with the permit and both receipts recorded it clears and issues a verifiable authorization', async () => {
  await recordAllSteps(t, a, campaignId);
  const c = await call(t, a, 'POST', `/api/v1/campaigns/${campaignId}/transitions`, { to: 'cleared' });
  assert.equal(c.state, 'cleared');
  const az = await call(t, a, 'GET', `/api/v1/campaigns/${campaignId}/authorization`);
  token = az.token;
  const jwks = await t.app.inject({ method: 'GET', url: `/api/v1/tenants/${a.tenantId}/jwks.json` });
  assert.equal(jwks.statusCode, 200);
  assert.equal(jwks.json().keys[0].d, undefined);
  const v = await verifyAuthorization(token, jwks.json(), new Date('2026-12-08T00:00:00Z'), `icvgate:${a.tenantId}`);
  assert.ok(v.ok, JSON.stringify(v));
  assert.equal(v.claims.campaignId, campaignId);
  assert.equal(v.claims.contentDigest, c.digests.content);
  assert.equal(v.claims.scopeDigest, c.digests.scope);
  assert.deepEqual(v.claims.filings.map((f: any) => f.step).sort(), ['miit-change-permit', 'miit-filing', 'samr-filing']);
  const otherJwks = await t.app.inject({ method: 'GET', url: `/api/v1/tenants/${other.tenantId}/jwks.json` });
  const wrong = await verifyAuthorization(token, otherJwks.json().keys.length ? otherJwks.json() : { keys: [] }, new Date('2026-12-08T00:00:00Z'));
  assert.equal(wrong.ok, false);
});

test('per-VIN gate: window, scope and production date', async () => {
  const early = await call(t, a, 'GET', `/api/v1/gate/campaigns/${campaignId}/vehicles/${inScope[0]}`);
  assert.deepEqual([early.allow, early.code], [false, 'before_window']);
  t.deps.clock.set('2026-12-08T02:00:00Z');
  await call(t, a, 'POST', `/api/v1/campaigns/${campaignId}/transitions`, { to: 'rolling_out' });
  const ok = await call(t, a, 'GET', `/api/v1/gate/campaigns/${campaignId}/vehicles/${inScope[0]}`);
  assert.deepEqual([ok.allow, ok.code], [true, 'allowed']);
  const old = await call(t, a, 'GET', `/api/v1/gate/campaigns/${campaignId}/vehicles/${outOfWindow}`);
  assert.deepEqual([old.allow, old.code], [false, 'vehicle_not_in_scope']);
  assert.match(old.reason, /^produced 2023-01-01, outside /);
  const zh = await t.app.inject({ method: 'GET', url: `/api/v1/gate/campaigns/${campaignId}/vehicles/${outOfWindow}`, headers: { ...a.auth, 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5' } });
  assert.deepEqual([zh.json().allow, zh.json().code], [false, 'vehicle_not_in_scope'], 'the code does not depend on the language');
  assert.match(zh.json().reason, /^生产日期 2023-01-01 不在 /);
  const unknown = await call(t, a, 'GET', `/api/v1/gate/campaigns/${campaignId}/vehicles/${stranger}`);
  assert.equal(unknown.allow, false);
  const odd = await t.app.inject({ method: 'GET', url: `/api/v1/gate/campaigns/${encodeURIComponent("x'$3;--")}/vehicles/${inScope[0]}`, headers: a.auth });
  assert.equal(odd.statusCode, 404, odd.body);
  const otherTenant = await t.app.inject({ method: 'GET', url: `/api/v1/gate/campaigns/${campaignId}/vehicles/${inScope[0]}`, headers: other.auth });
  assert.equal(otherTenant.statusCode, 404);
});

const report = (vin: string, over: Record<string, unknown> = {}) => JSON.stringify({ vin, version: '2026.48', ecu: 'ADCU', at: '2026-12-08T01:00:00Z', result: 'success', source: 'vehicle', ...over });
const post = (key: string, body: string) => t.app.inject({ method: 'POST', url: `/api/v1/campaigns/${campaignId}/rollout-reports`, headers: { ...a.auth, 'content-type': 'application/x-ndjson', 'idempotency-key': key }, payload: body });

test('rollout reports: a duplicated batch is counted once; bad lines write nothing', async () => {
  const batch = [report(inScope[0]), report(inScope[1], { source: 'server' }), report(inScope[2], { result: 'failure' }), report(stranger), report(inScope[3], { version: '2026.47' })].join('\n');
  const r1 = await post('b-1', batch);
  assert.equal(r1.statusCode, 200, r1.body);
  assert.equal(r1.json().inserted, 5);
  const again = await post('b-1', batch);
  assert.equal(again.json().replayed, true);
  const sameLinesNewKey = await post('b-2', batch);
  assert.equal(sameLinesNewKey.json().inserted, 0);
  assert.equal(sameLinesNewKey.json().duplicates, 5);
  const conflict = await post('b-1', report(inScope[4]));
  assert.equal(conflict.statusCode, 409);
  const bad = await post('b-3', [report(inScope[4]), '{"vin":"LRW3E7FS6PC695355"}'].join('\n'));
  assert.equal(bad.statusCode, 422);
  assert.equal(bad.json().errors[0].line, 2);
  const v = await call(t, a, 'GET', `/api/v1/vehicles/${inScope[0]}`);
  assert.equal(v.software.ADCU, '2026.48');
  assert.equal(v.softwareSource, 'vehicle');
});

test('reconciliation: outside scope, versions not filed, server-claimed only, counts', async () => {
  const r = await call(t, a, 'GET', `/api/v1/campaigns/${campaignId}/reconciliation`);
  assert.equal(r.counts.targeted, 5);
  assert.equal(r.counts.succeeded, 3); // 0 (vehicle), 1 (server only), 3 (unfiled version)
  assert.equal(r.counts.failed, 1);
  assert.equal(r.counts.notReached, 1);
  assert.equal(r.counts.outsideScope, 1);
  assert.deepEqual(r.outsideScope.sample, [stranger]);
  assert.equal(r.counts.serverClaimedOnly, 1);
  assert.deepEqual(r.serverClaimedOnly.sample, [inScope[1]]);
  assert.equal(r.versionsNotFiled.reports, 1);
  assert.equal(r.versionsNotFiled.versions[0].version, '2026.47');
  assert.equal(r.installsBeforeClearance.reports, 0);
  assert.equal(r.consistent, false);
});

test('the targeted count is kept per scope and follows the VIN registry when vehicles are imported or moved', async () => {
  const kept = () => t.deps.db.tx('owner', (sql) => sql.maybeOne<{ targeted: number }>('SELECT targeted FROM campaign_scope_counts WHERE campaign_id = $1', [campaignId]));
  assert.equal((await kept())?.targeted, 5, 'the count of the previous reconciliation is kept');
  const added = [makeVin('LRW', 95), makeVin('LRW', 96)];
  const importCsv = async (rows: string[]) => {
    const imp = await t.app.inject({ method: 'POST', url: '/api/v1/vehicles/import', headers: { ...a.auth, 'content-type': 'text/csv' }, payload: ['vin,product,productionDate', ...rows].join('\n') });
    assert.equal(imp.statusCode, 200, imp.body);
  };
  await importCsv(added.map((v) => `${v},TSL7000BEVAR0,2025-03-01`));
  let r = await call(t, a, 'GET', `/api/v1/campaigns/${campaignId}/reconciliation`);
  assert.equal(r.counts.targeted, 7);
  assert.equal(r.counts.notReached, 3);
  await importCsv([`${added[1]},TSL7000BEVAR0,2023-01-01`]); // produced outside the window now
  r = await call(t, a, 'GET', `/api/v1/campaigns/${campaignId}/reconciliation`);
  assert.equal(r.counts.targeted, 6);
  assert.equal(r.counts.notReached, 2);
  assert.equal((await kept())?.targeted, 6);
});

test('a change of scope after clearance revokes it and sends the campaign back to filing', async () => {
  const halted = await call(t, a, 'POST', `/api/v1/campaigns/${campaignId}/transitions`, { to: 'halted' });
  assert.equal(halted.state, 'halted');
  const c = await call(t, a, 'PATCH', `/api/v1/campaigns/${campaignId}`, { scope: { productionDate: { from: '2024-01-01', to: '2025-12-31' } } });
  assert.equal(c.state, 'awaiting_prerequisites');
  assert.equal(c.revision, 2);
  const az = await t.app.inject({ method: 'GET', url: `/api/v1/campaigns/${campaignId}/authorization`, headers: a.auth });
  assert.equal(az.statusCode, 404);
  const g = await call(t, a, 'GET', `/api/v1/gate/campaigns/${campaignId}/vehicles/${inScope[0]}`);
  assert.equal(g.allow, false);
  const refused = await t.app.inject({ method: 'POST', url: `/api/v1/campaigns/${campaignId}/transitions`, headers: a.auth, payload: { to: 'cleared' } });
  assert.equal(refused.statusCode, 409);
  const mism = refused.json().missing.filter((m: any) => m.code === 'filed_digest_mismatch').map((m: any) => m.step).sort();
  assert.deepEqual(mism, ['miit-filing', 'samr-filing']);
  t.deps.clock.advance(3600_000); // an hour without authorization
  // Re-filed against the new digest, it clears again under a new authorization; the old token still verifies offline (issued), but the gate is live.
  await recordAllSteps(t, a, campaignId);
  const again = await call(t, a, 'POST', `/api/v1/campaigns/${campaignId}/transitions`, { to: 'cleared' });
  assert.equal(again.state, 'cleared');
  const detail = await call(t, a, 'GET', `/api/v1/campaigns/${campaignId}`);
  assert.equal(detail.authorizations.length, 2);
  assert.ok(detail.authorizations[0].revokedAt);
});

test('reports at a time no authorization covered count as installs before clearance', async () => {
  const r = await post('b-9', report(inScope[4], { at: '2026-12-08T02:30:00Z' }));
  assert.equal(r.statusCode, 200, r.body);
  const late = await post('b-10', report(inScope[4], { at: t.deps.clock().toISOString(), result: 'failure' }));
  assert.equal(late.statusCode, 200);
  const rec = await call(t, a, 'GET', `/api/v1/campaigns/${campaignId}/reconciliation`);
  assert.ok(rec.installsBeforeClearance.reports >= 1, JSON.stringify(rec));
});

test('lowering a class needs a justification and a second user', async () => {
  const c = await call(t, a, 'POST', '/api/v1/campaigns', campaignBody([productId], { parameters: { 'cdas.odd.speedMax': 120 } }), 201);
  await call(t, a, 'POST', `/api/v1/campaigns/${c.id}/classify`);
  const short = await t.app.inject({ method: 'POST', url: `/api/v1/campaigns/${c.id}/class-override`, headers: a.auth, payload: { to: 'A', justification: 'no' } });
  assert.equal(short.statusCode, 422);
  await call(t, a, 'POST', `/api/v1/campaigns/${c.id}/class-override`, { to: 'A', justification: 'The speed limit is lowered only; the approved test report covers 0-130 km/h.' });
  const self = await t.app.inject({ method: 'POST', url: `/api/v1/campaigns/${c.id}/class-override/approve`, headers: a.auth });
  assert.equal(self.statusCode, 403);
  const ok = await call(t, approver, 'POST', `/api/v1/campaigns/${c.id}/class-override/approve`);
  assert.equal(ok.class, 'A');
  assert.equal(ok.computedClass, 'B');
  assert.ok(!ok.steps.some((s: any) => s.id === 'miit-change-permit'));
  assert.equal(ok.override.approvedBy.id, approver.actor.id);
  const audit = await t.deps.db.tx({ tenantId: a.tenantId }, (sql) => sql.query(`SELECT action FROM audit_log WHERE subject_id = $1 ORDER BY seq`, [c.id]));
  assert.ok(audit.some((x: any) => x.action === 'campaign.class_override_requested'));
  assert.ok(audit.some((x: any) => x.action === 'campaign.class_override_approved'));
});

test('frequency view counts activities per product', async () => {
  const f = await call(t, a, 'GET', '/api/v1/ota/frequency');
  const row = f.products.find((p: any) => p.productId === productId);
  assert.ok(row.counts.d365 >= 1);
  assert.equal(f.policy.basis, 'policy');
});

test('bad campaign input is a 422 naming the field', async () => {
  const r = await t.app.inject({ method: 'POST', url: '/api/v1/campaigns', headers: a.auth, payload: campaignBody([productId], { parameters: { 'cdas.odd.speedMax': 999, 'no.such': 1 }, scope: { vins: ['BADVIN'] } }) });
  assert.equal(r.statusCode, 422, r.body);
  const paths = r.json().errors.map((e: any) => e.path).sort();
  assert.deepEqual(paths, ['parameters.cdas.odd.speedMax', 'parameters.no.such', 'scope.vins.0']);
});

test('keys rotate without invalidating what was issued', async () => {
  const before = await call(t, a, 'GET', `/api/v1/campaigns/${campaignId}/authorization`);
  const rotated = await call(t, a, 'POST', '/api/v1/ota/signing-keys/rotate');
  assert.equal(rotated.retired, before.kid);
  const jwks = (await t.app.inject({ method: 'GET', url: `/api/v1/tenants/${a.tenantId}/jwks.json` })).json();
  assert.ok(jwks.keys.length >= 2);
  const v = await verifyAuthorization(before.token, jwks, new Date('2026-12-20T00:00:00Z'));
  assert.ok(v.ok, JSON.stringify(v));
});

test('a rolling-out campaign cannot change; completion derives the implementation report', async () => {
  await call(t, a, 'POST', `/api/v1/campaigns/${campaignId}/transitions`, { to: 'rolling_out' });
  const r = await t.app.inject({ method: 'PATCH', url: `/api/v1/campaigns/${campaignId}`, headers: a.auth, payload: { purpose: 'changed while rolling out' } });
  assert.equal(r.statusCode, 409);
  assert.equal(r.json().missing[0].code, 'not_editable');
  t.deps.clock.set('2026-12-30T02:00:00Z'); // Wednesday; 5 working days later is Wed 2027-01-06 (provisional: no 2027 schedule)
  const done = await call(t, a, 'POST', `/api/v1/campaigns/${campaignId}/transitions`, { to: 'completed' });
  assert.equal(done.state, 'completed');
  const report = done.steps.find((s: any) => s.id === 'implementation-report');
  assert.equal(report.dueDate, '2027-01-06');
  assert.equal(report.provisional, true);
  const obligations = await call(t, a, 'GET', `/api/v1/obligations?subject=${campaignId}`);
  assert.ok(obligations.items.some((o: any) => o.part === 'implementation-report' && o.addressee === 'MIIT'));
  const az = await t.app.inject({ method: 'GET', url: `/api/v1/campaigns/${campaignId}/authorization`, headers: a.auth });
  assert.equal(az.statusCode, 404, 'a completed campaign authorizes nothing more');
});

test('another tenant gets 404 for the campaign, its reconciliation and its reports', async () => {
  for (const url of [`/api/v1/campaigns/${campaignId}`, `/api/v1/campaigns/${campaignId}/reconciliation`, `/api/v1/campaigns/${campaignId}/authorization`]) {
    const r = await t.app.inject({ method: 'GET', url, headers: other.auth });
    assert.equal(r.statusCode, 404, url);
  }
  const r = await t.app.inject({ method: 'POST', url: `/api/v1/campaigns/${campaignId}/rollout-reports`, headers: { ...other.auth, 'content-type': 'application/x-ndjson', 'idempotency-key': 'x' }, payload: report(inScope[0]) });
  assert.equal(r.statusCode, 404);
});
