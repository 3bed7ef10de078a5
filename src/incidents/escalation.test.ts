import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testApp, type TestApp, type TestTenant } from '../../test/support.ts';
import { escalation, INCIDENT_POLICY_DEFAULTS } from '../regimes/cn-2025/incidents.ts';
import { localizedMessage } from '../platform/errors.ts';
import { blockedVersions } from './index.ts';
import { withVinCheck } from './test-vins.ts';

let t: TestApp;
let m: TestTenant;
before(async () => { t = await testApp({ now: '2026-07-05T02:00:00Z' }); m = await t.tenant(); });
after(() => t.close());

const VIN = (n: number) => withVinCheck(`LFV2A21K0P4${String(200000 + n).slice(-6)}`);
const failure = (vin: number, day: string, fault: string, version = '5.0.1') => ({
  type: 'cdas_failure', vin: VIN(vin), occurredAt: `${day}T10:00:00+08:00`, faultCode: fault,
  cdas: { function: 'ACC', engagement: 'verified_engaged' }, software: [{ ecu: 'ADCU', version }],
});
const send = async (events: object[], tenant = m) => {
  const r = await t.app.inject({ method: 'POST', url: '/api/v1/incidents/events', headers: { ...tenant.auth, 'content-type': 'application/x-ndjson' }, payload: events.map((e) => JSON.stringify(e)).join('\n') });
  assert.ok(r.statusCode < 300, r.body);
  return r.json();
};
const blocked = (tenant = m) => t.deps.db.tx({ tenantId: tenant.tenantId }, (sql) => blockedVersions(sql, tenant.tenantId));

describe('escalation threshold edges (default policy: 5 vehicles in 30 days)', () => {
  it('4 vehicles do not open an assessment; the same vehicle again does not either', async () => {
    const r = await send([1, 2, 3, 4].map((v) => failure(v, '2026-06-01', 'E-4')).concat([failure(1, '2026-06-02', 'E-4')]));
    assert.equal(r.assessmentsOpened, 0);
  });
  it('the 5th vehicle inside 30 days opens one, and the version is blocked', async () => {
    const r = await send([failure(5, '2026-06-30', 'E-4')]); // day 30 of the window starting 06-01
    assert.equal(r.assessmentsOpened, 1);
    const b = await blocked();
    assert.deepEqual(b.map((x) => [x.ecu, x.version, x.status]), [['ADCU', '5.0.1', 'open']]);
    assert.match(b[0].reason, /E-4/);
    assert.match(localizedMessage('zh-CN', b[0]), /^缺陷研判 dfa_\w+ 尚无结论：ACC 故障 E-4，ADCU 5\.0\.1（30 天内 5 辆车）/);
  });
  it('a 5th vehicle on day 31 does not', async () => {
    await send([1, 2, 3, 4].map((v) => failure(v, '2026-05-01', 'E-31')));
    const r = await send([failure(5, '2026-05-31', 'E-31')]);
    assert.equal(r.assessmentsOpened, 0);
  });
  it('out-of-order arrival: an older event completing a window counts', async () => {
    await send([2, 3, 4, 5].map((v) => failure(v, '2026-06-10', 'E-OLD')));
    const r = await send([failure(1, '2026-05-20', 'E-OLD')]);
    assert.equal(r.assessmentsOpened, 1);
  });
  it('the SQL windows agree with the pure rule on a mixed set', async () => {
    const days = ['2026-04-01', '2026-04-05', '2026-04-20', '2026-04-30', '2026-05-01', '2026-05-03', '2026-05-29'];
    const sightings = days.map((d, i) => ({ vin: VIN(100 + (i % 6)), day: d }));
    const expected = escalation(sightings, INCIDENT_POLICY_DEFAULTS);
    const r = await send(sightings.map((s) => ({ ...failure(0, s.day, 'E-MIX'), vin: s.vin })));
    assert.equal(r.assessmentsOpened, expected ? 1 : 0);
    const signals = (await t.app.inject({ method: 'GET', url: '/api/v1/signals?days=120', headers: m.auth })).json();
    const a = signals.assessments.find((x: any) => x.faultCode === 'E-MIX');
    assert.deepEqual([a.trigger.from, a.trigger.to, a.trigger.vehicles], [expected!.from, expected!.to, expected!.vehicles]);
  });
  it('a tenant threshold of 3 vehicles in 7 days is used and shown as policy', async () => {
    const other = await t.tenant();
    await t.deps.db.tx('owner', (sql) => sql.query(`UPDATE tenants SET policy = $2 WHERE id = $1`, [other.tenantId, JSON.stringify({ incidents: { escalationVehicles: 3, escalationWindowDays: 7 } })]));
    const r = await send([1, 2, 3].map((v) => failure(v, '2026-06-10', 'E-7')), other);
    assert.equal(r.assessmentsOpened, 1);
    const signals = (await t.app.inject({ method: 'GET', url: '/api/v1/signals?days=60', headers: other.auth })).json();
    assert.deepEqual(signals.threshold, { vehicles: 3, windowDays: 7, basis: 'policy' });
    assert.equal(signals.items[0].vehicles, 3);
    assert.ok(signals.items[0].series.length >= 1);
  });
});

describe('decisions', () => {
  it('no-recall releases the version; the signature can escalate again only on later days', async () => {
    const a = (await blocked()).find((x) => x.reason.includes('E-4'))!;
    const r = await t.app.inject({ method: 'POST', url: `/api/v1/defect-assessments/${a.assessmentId}/decision`, headers: m.auth, payload: { decision: 'no-recall', reason: 'sensor cleaning, not a defect' } });
    assert.equal(r.statusCode, 200, r.body);
    assert.ok(!(await blocked()).some((x) => x.assessmentId === a.assessmentId));
    const again = await t.app.inject({ method: 'POST', url: `/api/v1/defect-assessments/${a.assessmentId}/decision`, headers: m.auth, payload: { decision: 'recall', reason: 'x' } });
    assert.equal(again.statusCode, 409);
    const r2 = await send([failure(6, '2026-06-15', 'E-4')]); // old days no longer count after the decision
    assert.equal(r2.assessmentsOpened, 0);
  });
  it('recall creates the recall obligations and keeps the version blocked', async () => {
    const a = (await blocked()).find((x) => x.reason.includes('E-OLD'))!;
    const engineer = await t.token(m.tenantId, 'engineer');
    const denied = await t.app.inject({ method: 'POST', url: `/api/v1/defect-assessments/${a.assessmentId}/decision`, headers: engineer.auth, payload: { decision: 'recall', reason: 'x' } });
    assert.equal(denied.statusCode, 403);
    const r = await t.app.inject({ method: 'POST', url: `/api/v1/defect-assessments/${a.assessmentId}/decision`, headers: m.auth, payload: { decision: 'recall', reason: 'ACC drops out on 5.0.1: defect' } });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().obligations.length, 2);
    const b = await blocked();
    assert.equal(b.find((x) => x.assessmentId === a.assessmentId)?.status, 'recall');
    const obl = (await t.app.inject({ method: 'GET', url: `/api/v1/obligations?subject=${a.assessmentId}`, headers: m.auth })).json();
    assert.deepEqual(obl.items.map((o: any) => o.rule).sort(), ['N45-8', 'N45-8s']);
    assert.deepEqual([...new Set(obl.items.map((o: any) => o.subjectType))], ['defect_assessment']);
    const asIncidents = (await t.app.inject({ method: 'GET', url: `/api/v1/obligations?subjectType=incident&subject=${a.assessmentId}`, headers: m.auth })).json();
    assert.equal(asIncidents.items.length, 0, 'not listed among incidents');
  });
  it('an unknown assessment is a 404, also across tenants', async () => {
    const other = await t.tenant();
    const a = (await blocked())[0];
    const r = await t.app.inject({ method: 'POST', url: `/api/v1/defect-assessments/${a.assessmentId}/decision`, headers: other.auth, payload: { decision: 'recall', reason: 'x' } });
    assert.equal(r.statusCode, 404);
  });
});
