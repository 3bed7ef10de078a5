import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { testApp, type TestApp, type TestTenant } from '../../test/support.ts';
import { campaignBody, fileManufacturerOta, makeVin, productWithBaseline } from '../ota/test-fixtures.ts';
import { pdf } from '../products/test-fixtures.ts';
import { readZip } from './zip.ts';

// Journey 2 and 4 through the filings: packages built from a stored, classified campaign clear the gate
// once submitted with receipts and the permit granted; a question from the regulator blocks it again.
let t: TestApp, m: TestTenant, miit: TestTenant;
let campaignId = '', productId = '';
const vins = [1, 2, 3, 4].map((i) => makeVin('LRW', 700 + i));
const safety = { vehicleState: '驻车 P 挡 / parked in P', energy: '电量 ≥ 30% / state of charge at least 30 %', failureHandling: '自动回滚 / automatic rollback', rollback: 'A/B 分区 / A/B partitions' };

async function call(who: TestTenant, method: 'GET' | 'POST', url: string, payload?: unknown) {
  const r = await t.app.inject({ method, url, headers: who.auth, ...(payload === undefined ? {} : { payload: payload as any }) });
  return { status: r.statusCode, json: () => r.json(), raw: r.rawPayload, body: r.body };
}
const docOf = async (id: string) => JSON.parse(readZip((await call(m, 'GET', `/api/v1/filings/${id}/package.zip`)).raw).get('filing.json')!.toString());

before(async () => {
  t = await testApp({ now: '2026-11-25T02:00:00Z' });
  m = await t.tenant({ role: 'admin' });
  miit = await t.tenant({ kind: 'regulator', regulator: 'MIIT' });
  productId = (await productWithBaseline(t, m, { model: 'EXM7000BEVC' })).id;
  await fileManufacturerOta(t, m);
  const csv = ['vin,product,productionDate', ...vins.map((v) => `${v},EXM7000BEVC,2025-03-01`)].join('\n');
  const imp = await t.app.inject({ method: 'POST', url: '/api/v1/vehicles/import', headers: { ...m.auth, 'content-type': 'text/csv' }, payload: csv });
  assert.equal(imp.statusCode, 200, imp.body);
  const hil = await t.deps.blobs!.put(pdf('HIL regression report 2026-48'));
  const c = await call(m, 'POST', '/api/v1/campaigns', campaignBody([productId], {
    parameters: { 'cdas.odd.speedMax': 135 }, evidence: [{ sha256: hil.sha256, title: 'HIL regression report 2026-48' }],
  }));
  assert.equal(c.status, 201, c.body);
  campaignId = c.json().id;
});
after(() => t.close());

test('a campaign that is not classified cannot be filed; one that is managed here refuses hand-written content', async () => {
  const early = await call(m, 'POST', '/api/v1/filings', { kind: 'ota-filing-miit', subject: campaignId, input: { safety } });
  assert.equal(early.status, 422);
  assert.match(early.json().errors[0].message, /not been classified/);
  assert.equal((await call(m, 'POST', `/api/v1/campaigns/${campaignId}/classify`)).status, 200);
  const manual = await call(m, 'POST', '/api/v1/filings', { kind: 'ota-filing-miit', subject: campaignId, input: { content: {} } });
  assert.deepEqual(manual.json().errors.map((e: any) => e.path), ['input.content']);
});

test('the MIIT activity filing is built from the campaign: digest, parameter old -> new, software, scope; missing safety facts are named', async () => {
  const missing = await call(m, 'POST', '/api/v1/filings', { kind: 'ota-filing-miit', subject: campaignId });
  assert.equal(missing.status, 422);
  assert.ok(missing.json().errors.some((e: any) => e.path === 'content.safety.energy'));
  const f = await call(m, 'POST', '/api/v1/filings', { kind: 'ota-filing-miit', subject: campaignId, input: { safety } });
  assert.equal(f.status, 201, f.body);
  const campaign = (await call(m, 'GET', `/api/v1/campaigns/${campaignId}`)).json();
  assert.equal(f.json().subjectDigest, campaign.digests.content);
  const doc = await docOf(f.json().id);
  assert.equal(doc.content.campaign.contentDigest, campaign.digests.content);
  assert.deepEqual(doc.content.parameterChanges.map((p: any) => [p.key, p.from, p.to, p.main]), [['cdas.odd.speedMax', 130, 135, true]]);
  assert.equal(doc.content.classification.class, 'B');
  assert.equal(doc.content.software[0].sha256, campaign.software[0].sha256);
  assert.equal(doc.content.verification.length, 1, 'the campaign evidence travels in the package');
});

test('with both filings submitted and the change permit granted the campaign clears; a question from MIIT blocks it again', async () => {
  const build = async (kind: string, input: Record<string, unknown>) => {
    const r = await call(m, 'POST', '/api/v1/filings', { kind, subject: campaignId, input });
    assert.ok(r.status === 201 || r.status === 200, `${kind}: ${r.body}`);
    return r.json();
  };
  const miitFiling = await build('ota-filing-miit', { safety });
  const samrFiling = await build('ota-filing-samr', { safety });
  const permit = await build('change-permit', { rationale: '最高车速提高至 135 km/h，已完成 HIL 回归 / max speed raised to 135 km/h, HIL regression done' });
  for (const [f, ref] of [[miitFiling, 'MIIT-OTA-1'], [samrFiling, 'SAMR-OTA-1'], [permit, 'MIIT-CP-1']] as const) {
    const s = await call(m, 'POST', `/api/v1/filings/${f.id}/submissions`, { channel: 'other', submittedOn: '2026-11-25', reference: ref });
    assert.equal(s.status, 201, s.body);
  }
  assert.equal((await call(m, 'POST', `/api/v1/campaigns/${campaignId}/transitions`, { to: 'awaiting_prerequisites' })).status, 200);
  const refused = await call(m, 'POST', `/api/v1/campaigns/${campaignId}/transitions`, { to: 'cleared' });
  assert.equal(refused.status, 409, 'the permit is not granted yet');
  assert.ok(JSON.stringify(refused.json()).includes('miit-change-permit'));

  assert.equal((await call(miit, 'POST', `/api/v1/filings/${permit.id}/decisions`, { decision: 'permit_granted', reference: '工信部变更许可 2026-0311' })).status, 201);
  const asked = await call(miit, 'POST', `/api/v1/filings/${miitFiling.id}/decisions`, { decision: 'info_requested', reason: '请说明 135 km/h 的验证工况' });
  assert.equal(asked.status, 201);
  const blocked = await call(m, 'POST', `/api/v1/campaigns/${campaignId}/transitions`, { to: 'cleared' });
  assert.equal(blocked.status, 409, 'the reopened MIIT filing blocks clearance');
  assert.ok(JSON.stringify(blocked.json()).includes('miit-filing'));

  const answer = await build('ota-filing-miit', { safety, affects: { rationale: '135 km/h 已在 HIL 与封闭场地验证 / verified on HIL and the proving ground' } });
  assert.equal(answer.version, 2);
  assert.equal((await call(m, 'POST', `/api/v1/filings/${answer.id}/submissions`, { channel: 'miit-ota-system', submittedOn: '2026-11-25', reference: 'MIIT-OTA-1-2' })).status, 201);
  const cleared = await call(m, 'POST', `/api/v1/campaigns/${campaignId}/transitions`, { to: 'cleared' });
  assert.equal(cleared.status, 200, cleared.body);
  assert.equal(cleared.json().state, 'cleared');
});

test('at completion the implementation report carries the rollout counts and the filed digest', async () => {
  const early = await call(m, 'POST', '/api/v1/filings', { kind: 'implementation-report', subject: campaignId });
  assert.equal(early.status, 422, 'not started yet');
  t.deps.clock.set('2026-12-08T02:00:00Z');
  assert.equal((await call(m, 'POST', `/api/v1/campaigns/${campaignId}/transitions`, { to: 'rolling_out' })).status, 200);
  const line = (vin: string, over: Record<string, unknown> = {}) => JSON.stringify({ vin, version: '2026.48', ecu: 'ADCU', at: '2026-12-08T01:30:00Z', result: 'success', source: 'vehicle', ...over });
  const rep = await t.app.inject({ method: 'POST', url: `/api/v1/campaigns/${campaignId}/rollout-reports`, headers: { ...m.auth, 'content-type': 'application/x-ndjson', 'idempotency-key': 'r-1' },
    payload: [line(vins[0]), line(vins[1], { source: 'server' }), line(vins[2], { result: 'failure' })].join('\n') });
  assert.equal(rep.statusCode, 200, rep.body);
  t.deps.clock.set('2026-12-20T02:00:00Z');
  assert.equal((await call(m, 'POST', `/api/v1/campaigns/${campaignId}/transitions`, { to: 'completed' })).status, 200);
  const r = await call(m, 'POST', '/api/v1/filings', { kind: 'implementation-report', subject: campaignId });
  assert.equal(r.status, 201, r.body);
  const doc = await docOf(r.json().id);
  assert.deepEqual(doc.content.counts, { targeted: 4, succeeded: 2, failed: 1, notReached: 1, unconfirmed: 1, outsideScope: 0 });
  assert.equal(doc.content.final, true);
  assert.deepEqual(doc.content.period, { from: '2026-12-08', to: '2026-12-20' });
  const filedMiit = (await call(m, 'GET', `/api/v1/filings?kind=ota-filing-miit&subject=${campaignId}`)).json().items.find((f: any) => !f.supersededBy);
  assert.equal(doc.content.filedContentDigest, filedMiit.subjectDigest);
  assert.deepEqual(doc.content.deviations.map((d: any) => [d.kind, d.count]), [['server-claimed-only', 1]]);
  const sub = await call(m, 'POST', `/api/v1/filings/${r.json().id}/submissions`, { channel: 'miit-ota-system', submittedOn: '2026-12-20', reference: 'MIIT-IR-1' });
  assert.equal(sub.status, 201);
  assert.equal(sub.json().submissions[0].obligationIds.length, 1, 'the M22-3 implementation report obligation is discharged');
});
