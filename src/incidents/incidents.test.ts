import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testApp, type TestApp, type TestTenant } from '../../test/support.ts';
import { withVinCheck } from './test-vins.ts';

let t: TestApp;
let m: TestTenant;
before(async () => { t = await testApp({ now: '2026-05-10T02:00:00Z' }); m = await t.tenant(); });
after(() => t.close());

const VIN = (n: number) => withVinCheck(`LSVAU2180N2${String(100000 + n).slice(-6)}`);

export function event(over: Record<string, any> = {}) {
  return {
    type: 'collision', vin: VIN(1), occurredAt: '2026-05-09T11:00:00+08:00',
    cdas: { function: 'NOA', engagement: 'verified_engaged', secondsBeforeImpact: 2 },
    software: [{ ecu: 'ADCU', version: '3.2.1' }], location: { province: '上海市', city: '上海市' },
    severity: { airbag: true }, ...over,
  };
}

const post = (url: string, body: string | object, headers: Record<string, string> = {}, tenant = m) =>
  t.app.inject({ method: 'POST', url, headers: { ...tenant.auth, ...(typeof body === 'string' ? { 'content-type': 'application/x-ndjson' } : {}), ...headers }, payload: body as any });
const get = (url: string, tenant = m) => t.app.inject({ method: 'GET', url, headers: tenant.auth });
const ndjson = (xs: object[]) => xs.map((x) => JSON.stringify(x)).join('\n') + '\n';

describe('intake', () => {
  it('one JSON event opens an S1 case with policy deadlines from awareness', async () => {
    const r = await post('/api/v1/incidents/events', event({ eventId: 'e-s1', severity: { fatality: true }, awareAt: '2026-05-10T01:00:00Z' }));
    assert.equal(r.statusCode, 201, r.body);
    assert.deepEqual({ ...(r.json() as object), batchId: undefined }, { batchId: undefined, received: 1, inserted: 1, duplicates: 0, casesOpened: 1, assessmentsOpened: 0, replayed: false });
    const list = (await get('/api/v1/incidents?limit=10')).json();
    const c = list.items.find((i: any) => i.severity === 'S1');
    assert.equal(c.nextDueAt, '2026-05-11T01:00:00.000Z');
    assert.equal(c.decision.deadlines[0].basis, 'policy');
    assert.equal(c.decision.rules[0].regime, 'cn-2025');
    const obl = (await get(`/api/v1/obligations?subject=${c.id}`)).json();
    assert.deepEqual(obl.items.map((o: any) => `${o.rule}#${o.part}:${o.addressee}`).sort(),
      ['N45-5#first-report:MIIT', 'N45-5#first-report:SAMR', 'N45-5#full-report:MIIT', 'N45-5#full-report:SAMR']);
    assert.ok(obl.items.every((o: any) => o.due.basis === 'policy'));
  });

  it('an NDJSON batch with an Idempotency-Key: a re-send changes nothing; another body under the key is a 409', async () => {
    const batch = ndjson([1, 2, 3].map((n) => event({ vin: VIN(10 + n), type: 'cdas_failure', faultCode: 'F-1', severity: {}, cdas: { function: 'LCC', engagement: 'verified_engaged' } })));
    const first = await post('/api/v1/incidents/events', batch, { 'idempotency-key': 'batch-1' });
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(first.json().inserted, 3);
    const before = (await get('/api/v1/incidents?limit=1')).json().total;
    const again = await post('/api/v1/incidents/events', batch, { 'idempotency-key': 'batch-1' });
    assert.equal(again.statusCode, 200);
    assert.deepEqual(again.json(), { ...first.json(), replayed: true });
    const noKey = await post('/api/v1/incidents/events', batch);
    assert.deepEqual([noKey.statusCode, noKey.json().inserted, noKey.json().duplicates], [200, 0, 3]);
    assert.equal((await get('/api/v1/incidents?limit=1')).json().total, before);
    const other = await post('/api/v1/incidents/events', ndjson([event({ eventId: 'x' })]), { 'idempotency-key': 'batch-1' });
    assert.equal(other.statusCode, 409);
    assert.equal(other.json().code, 'idempotency_conflict');
  });

  it('a bad line is named and nothing of the batch is written', async () => {
    const before = (await get('/api/v1/incidents?limit=1')).json().total;
    const body = ndjson([event({ eventId: 'ok-1', severity: { fatality: true } }), { ...event(), vin: 'LSVAU2180N2000000' }, event({ type: 'teleport' })]) + '{not json\n';
    const r = await post('/api/v1/incidents/events', body);
    assert.equal(r.statusCode, 422, r.body);
    const errors = r.json().errors;
    assert.deepEqual(errors.map((e: any) => [e.line, e.path]), [[2, 'vin'], [3, 'type'], [4, '']]);
    assert.match(errors[0].message, /check digit/);
    assert.equal((await get('/api/v1/incidents?limit=1')).json().total, before);
    const ok = await post('/api/v1/incidents/events', ndjson([event({ eventId: 'ok-1', severity: { fatality: true } })]));
    assert.equal(ok.json().inserted, 1); // proves line 1 was not written by the refused batch
  });

  it('a batch larger than one chunk (COPY path on PostgreSQL): a bad last line writes nothing; re-sent, nothing is added', async () => {
    const many = Array.from({ length: 6001 }, (_, i) => event({
      eventId: `big-${i}`, vin: VIN(1000 + (i % 300)), type: 'boundary_exit', faultCode: `B-${i % 7}`, severity: {},
      cdas: { function: 'NOA', engagement: 'verified_engaged' }, occurredAt: new Date(Date.parse('2026-05-01T00:00:00Z') + i * 60_000).toISOString(),
    }));
    const bad = await post('/api/v1/incidents/events', ndjson([...many, { ...event(), type: 'nope' }]));
    assert.equal(bad.statusCode, 422);
    assert.equal(bad.json().errors[0].line, 6002);
    const first = await post('/api/v1/incidents/events', ndjson(many), { 'idempotency-key': 'big-1' });
    assert.equal(first.statusCode, 201, first.body);
    assert.deepEqual([first.json().inserted, first.json().duplicates], [6001, 0]);
    const again = await post('/api/v1/incidents/events', ndjson(many));
    assert.deepEqual([again.json().inserted, again.json().duplicates], [0, 6001]);
    const n = await t.deps.db.tx({ tenantId: m.tenantId }, (sql) => sql.one<{ n: number }>(`SELECT count(*)::int AS n FROM incident_events WHERE event_id LIKE 'big-%'`));
    assert.equal(n.n, 6001);
    const leftovers = await t.deps.db.tx('owner', (sql) => sql.query(`SELECT tablename FROM pg_tables WHERE tablename LIKE 'incident_stage_%'`));
    assert.deepEqual(leftovers, []);
  });

  it('an 11-character VIN is accepted as check digit unverifiable', async () => {
    const r = await post('/api/v1/incidents/events', event({ eventId: 'short-vin', vin: '5YJ3E1EA1SF', type: 'intrusion' }));
    assert.equal(r.statusCode, 201, r.body);
    const c = (await get('/api/v1/incidents?limit=100&severity=S3')).json().items[0];
    assert.deepEqual([c.vin, c.vinStatus], ['5YJ3E1EA1SF', 'check-digit-unverifiable']);
    const obl = (await get(`/api/v1/obligations?subject=${c.id}`)).json();
    assert.deepEqual(obl.items.map((o: any) => `${o.rule}#${o.part}:${o.addressee}`).sort(),
      ['S20-3#investigation-opened:SAMR', 'S20-3#result-report:SAMR']);
  });

  it('rejects a wrong content type and needs incidents:intake', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/incidents/events', headers: { ...m.auth, 'content-type': 'text/csv' }, payload: 'a,b' });
    assert.equal(r.statusCode, 415);
    const auditor = await t.token(m.tenantId, 'auditor');
    assert.equal((await post('/api/v1/incidents/events', event(), {}, auditor)).statusCode, 403);
  });
});

describe('cases, versions and redaction', () => {
  let id: string;
  before(async () => {
    const r = await post('/api/v1/incidents/events', event({
      eventId: 'with-personal', vin: VIN(50), severity: { hospitalInjury: true },
      personal: { names: ['张三'], plate: '沪A12345', exactLocation: { lat: 31.2304, lon: 121.4737 } },
    }));
    assert.equal(r.statusCode, 201, r.body);
    id = (await get('/api/v1/incidents?limit=200')).json().items.find((i: any) => i.vin === VIN(50)).id;
  });

  it('report versions form a chain; earlier versions stay; the narrative is appended; a stale base is a 409', async () => {
    const v1 = await post(`/api/v1/incidents/${id}/reports`, { type: 'first', basedOnVersion: 0, facts: { roadType: 'expressway' }, narrative: 'NOA engaged; rear-end collision.' });
    assert.equal(v1.statusCode, 201, v1.body);
    assert.equal(v1.json().version, 1);
    assert.equal(v1.json().nextDueAt, '2026-05-15T15:59:59.999Z'); // the full report (5 calendar days) is next
    const stale = await post(`/api/v1/incidents/${id}/reports`, { type: 'update', basedOnVersion: 0, narrative: 'x' });
    assert.equal(stale.statusCode, 409);
    const v2 = await post(`/api/v1/incidents/${id}/reports`, { type: 'update', basedOnVersion: 1, facts: { weather: 'rain' }, narrative: 'EDR read out.' });
    assert.equal(v2.json().version, 2);
    const c = (await get(`/api/v1/incidents/${id}`)).json();
    const chain = c.reports[0];
    assert.deepEqual(chain.versions.map((v: any) => v.version), [1, 2]);
    assert.deepEqual(chain.narrative.map((n: any) => n.text), ['NOA engaged; rear-end collision.', 'EDR read out.']);
    assert.ok(c.timeline.some((e: any) => e.kind === 'report-version'));
    const v1content = (await get(`/api/v1/incidents/${id}/export?version=1`)).json();
    assert.equal(v1content.report.content.roadType, 'expressway');
    assert.equal(v1content.report.content.weather, undefined);
    assert.equal(v1content.narrative.length, 1);
    await assert.rejects(t.deps.db.tx('owner', (sql) => sql.query(`UPDATE incident_reports SET narrative = 'rewritten' WHERE incident_id = $1`, [id])), /append-only/);
  });

  it('exports leave personal data out by default; asking needs incidents:personal', async () => {
    const plain = await get(`/api/v1/incidents/${id}/export`);
    assert.equal(plain.statusCode, 200);
    assert.equal(plain.json().redacted, true);
    for (const secret of ['沪A12345', '张三', '31.2304']) assert.ok(!plain.body.includes(secret), secret);
    const detail = await get(`/api/v1/incidents/${id}`);
    for (const secret of ['沪A12345', '张三', '31.2304']) assert.ok(!detail.body.includes(secret), secret);
    const engineer = await t.token(m.tenantId, 'engineer');
    assert.equal((await get(`/api/v1/incidents/${id}?includePersonal=true`, engineer)).statusCode, 403);
    const full = await get(`/api/v1/incidents/${id}?includePersonal=true`);
    assert.ok(full.body.includes('沪A12345'));
  });

  it('another tenant gets 404', async () => {
    const other = await t.tenant();
    assert.equal((await get(`/api/v1/incidents/${id}`, other)).statusCode, 404);
    assert.equal((await get(`/api/v1/incidents/${id}/export`, other)).statusCode, 404);
    assert.equal((await get('/api/v1/incidents?limit=5', other)).json().total, 0);
  });

  it('the contract paths are in the OpenAPI document', async () => {
    const paths = Object.keys((await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json().paths);
    for (const p of ['/api/v1/incidents/events', '/api/v1/incidents/import', '/api/v1/incidents', '/api/v1/incidents/{incidentId}',
      '/api/v1/incidents/{incidentId}/reports', '/api/v1/signals']) assert.ok(paths.includes(p), p);
  });

  it('the audit chain holds after intake, reports and imports', async () => {
    const v = (await get('/api/v1/audit/verify')).json();
    assert.equal(v.ok, true);
    const log = (await get('/api/v1/audit?limit=200')).json();
    const actions = new Set((log.items ?? log).map((e: any) => e.action));
    for (const a of ['incident.events_received', 'incident.opened', 'incident.report_version_added']) assert.ok(actions.has(a), a);
  });

  it('the queue is ordered by the next deadline', async () => {
    const items = (await get('/api/v1/incidents?limit=200')).json().items;
    const dues = items.map((i: any) => i.nextDueAt).filter(Boolean);
    assert.deepEqual(dues, [...dues].sort());
    assert.ok(items.some((i: any) => i.kind === 'monthly-summary' && i.nextDueAt === '2026-06-15T15:59:59.999Z'));
  });
});
