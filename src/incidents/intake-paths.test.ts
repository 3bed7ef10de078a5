// The two intake paths (bulk COPY on PostgreSQL, short chunked transactions elsewhere) must store the
// same thing and answer the same way. On PGlite both runs take the chunked path.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testApp, type TestApp, type TestTenant } from '../../test/support.ts';
import type { Deps } from '../platform/usecase.ts';
import { bulkTuning } from './intake-bulk.ts';
import { intakeEvents } from './intake-events.ts';
import { withVinCheck } from './test-vins.ts';

let t: TestApp;
before(async () => { t = await testApp({ now: '2026-06-10T02:00:00Z' }); });
after(() => t.close());

const VIN = (n: number) => withVinCheck(`LSVAU2180N2${String(300000 + n).slice(-6)}`);
const base = { cdas: { function: 'NOA', engagement: 'verified_engaged', secondsBeforeImpact: 2 }, software: [{ ecu: 'ADCU', version: '3.2.1' }], location: { province: '上海市', city: '上海市' } };

/** Collisions (S1 and S2 of one incident), an intrusion (S3), failures over two months, repeats, personal data. */
function mixedBatch(): string[] {
  const ev: object[] = [
    { ...base, eventId: 'c-1', type: 'collision', vin: VIN(1), occurredAt: '2026-06-01T10:00:05+08:00', awareAt: '2026-06-01T03:00:00Z', severity: { airbag: true } },
    { ...base, eventId: 'c-2', type: 'collision', vin: VIN(1), occurredAt: '2026-06-01T10:00:40+08:00', awareAt: '2026-06-01T04:00:00Z', severity: { fatality: true },
      personal: { names: ['张三'], plate: '沪A12345' } },
    { ...base, eventId: 'c-3', type: 'collision', vin: VIN(2), occurredAt: '2026-06-02T09:00:00+08:00', severity: { towAway: true } },
    { ...base, eventId: 'i-1', type: 'intrusion', vin: VIN(3), occurredAt: '2026-06-03T09:00:00+08:00' },
  ];
  for (let n = 0; n < 40; n++) {
    ev.push({ ...base, type: n % 2 ? 'cdas_failure' : 'deactivation', vin: VIN(10 + (n % 7)), occurredAt: `2026-0${4 + (n % 2)}-${String(1 + (n % 9)).padStart(2, '0')}T08:00:00+08:00`,
      faultCode: `F-${n % 3}`, software: [{ ecu: 'ADCU', version: n % 4 ? '3.2.1' : '3.3.0' }] });
  }
  const lines = ev.map((e) => JSON.stringify(e));
  return [...lines, lines[0], lines[7]]; // two repeats inside the batch
}

const chunkedDeps = (): Deps => ({ ...t.deps, db: { ...t.deps.db, bulkCopy: false } });

async function stored(tenant: TestTenant) {
  return t.deps.db.tx('owner', async (sql) => ({
    // Keys differ between tenants (the tenant is hashed in): events are compared by content.
    events: (await sql.query('SELECT type, vin, severity, case_key, signature, body FROM incident_events WHERE tenant_id = $1 ORDER BY body::text', [tenant.tenantId]))
      .map((r) => ({ ...r, body: { ...r.body } })),
    cases: await sql.query('SELECT case_key, kind, severity, reportable, vin, event_count, next_due_at FROM incidents WHERE tenant_id = $1 ORDER BY case_key', [tenant.tenantId]),
    days: await sql.query('SELECT d.signature, d.day, v.vin FROM incident_signal_days d CROSS JOIN LATERAL unnest(d.vins) AS v(vin) WHERE d.tenant_id = $1 ORDER BY 1, 2, 3', [tenant.tenantId]),
    signatures: await sql.query('SELECT signature, cdas_function, fault_code, software_version, ecu FROM incident_signatures WHERE tenant_id = $1 ORDER BY 1', [tenant.tenantId]),
    personal: await sql.query(`SELECT e.body::text AS event, p.data FROM incident_event_personal p JOIN incident_events e USING (dedupe)
      WHERE p.tenant_id = $1 ORDER BY 1`, [tenant.tenantId]),
    assessments: await sql.query('SELECT signature, status FROM defect_assessments WHERE tenant_id = $1 ORDER BY 1', [tenant.tenantId]),
  }));
}

describe('bulk and chunked intake', () => {
  it('store the same events, cases, signal days, signatures and personal data, and answer alike', async () => {
    // On PostgreSQL as a superuser (CI) the first run takes the bulk COPY path.
    assert.equal(t.deps.db.bulkCopy, t.deps.db.kind === 'postgres');
    const [a, b] = [await t.tenant(), await t.tenant()];
    const body = mixedBatch().join('\n') + '\n';
    const ra = await intakeEvents(t.deps, a.actor, { body: [Buffer.from(body)], ndjson: true });
    const rb = await intakeEvents(chunkedDeps(), b.actor, { body: [Buffer.from(body)], ndjson: true });
    const strip = (r: object) => ({ ...r, batchId: undefined });
    assert.deepEqual(strip(ra), strip(rb));
    assert.deepEqual([ra.received, ra.inserted, ra.duplicates], [46, 44, 2]);
    const [sa, sb] = [await stored(a), await stored(b)];
    assert.deepEqual(sa, sb);
    assert.equal(sa.cases.find((c) => c.vin === VIN(1))?.severity, 'S1', 'the graver event of an incident sets the severity');
    assert.deepEqual(sa.cases.filter((c) => c.kind === 'monthly-summary').map((c) => [c.case_key, c.event_count]), [['monthly:2026-06', 40]]);
    assert.equal(sa.personal.length, 1);
    assert.ok(sa.days.length > 0 && sa.signatures.length === 6);
    // Re-sent whole, on either path: nothing is added.
    const again = await intakeEvents(t.deps, a.actor, { body: [Buffer.from(body)], ndjson: true });
    assert.deepEqual([again.inserted, again.duplicates, again.casesOpened], [0, 46, 0]);
    assert.deepEqual(await stored(a), sa);
  });

  it('a bad line after thousands of good ones names the line and writes nothing', async () => {
    const a = await t.tenant();
    const good = Array.from({ length: 6200 }, (_, n) => JSON.stringify({ ...base, type: 'cdas_failure', vin: VIN(n % 500), occurredAt: '2026-06-05T08:00:00+08:00', eventId: `g-${n}`, faultCode: 'F-9' }));
    const lines = [...good, JSON.stringify({ ...base, type: 'cdas_failure', vin: 'LSVAU2180N2000000', occurredAt: '2026-06-05T08:00:00+08:00' })];
    await assert.rejects(intakeEvents(t.deps, a.actor, { body: [Buffer.from(lines.join('\n'))], ndjson: true }), (e: any) => {
      assert.equal(e.code, 'validation_failed');
      assert.deepEqual(e.errors.map((x: any) => [x.line, x.path]), [[6201, 'vin']]);
      return true;
    });
    const s = await stored(a);
    assert.deepEqual([s.events.length, s.cases.length, s.days.length, s.signatures.length], [0, 0, 0, 0]);
  });

  it('bad lines are named in the caller\'s language, with the same paths and line numbers', async () => {
    const a = await t.tenant();
    const lines = [
      JSON.stringify({ ...base, type: 'cdas_failure', vin: VIN(1), occurredAt: '2026-06-05T08:00:00+08:00' }),
      JSON.stringify({ ...base, type: 'cdas_failure', vin: 'LSVAU2180N2000000', occurredAt: '2026-06-05T08:00:00+08:00' }),
      JSON.stringify({ ...base, type: 'crash', vin: VIN(2), occurredAt: '2026-06-05T08:00:00+08:00' }),
      '{not json',
      JSON.stringify({ ...base, type: 'lockout', vin: VIN(3), occurredAt: '2026-06-05T08:00:00+08:00', awareAt: '2026-06-04T08:00:00+08:00' }),
    ].join('\n');
    const send = (lang: string) => t.app.inject({ method: 'POST', url: '/api/v1/incidents/events', payload: lines,
      headers: { ...a.auth, 'content-type': 'application/x-ndjson', 'accept-language': lang } });
    const [en, zh] = [await send('en'), await send('zh-CN')];
    assert.deepEqual([en.statusCode, zh.statusCode], [422, 422]);
    const where = (r: typeof en) => r.json().errors.map((e: any) => `${e.line}:${e.path}`);
    assert.deepEqual(where(en), ['2:vin', '3:type', '4:', '5:awareAt']);
    assert.deepEqual(where(zh), where(en));
    const cjk = /[\u4e00-\u9fff]/;
    assert.ok(en.json().errors.every((e: any) => !cjk.test(e.message)), en.body);
    assert.ok(zh.json().errors.every((e: any) => cjk.test(e.message)), zh.body);
    assert.match(en.json().errors[0].message, /check digit/);
    assert.ok(cjk.test(zh.json().detail));
    assert.equal((await stored(a)).events.length, 0);
  });

  it('a NUL character (which PostgreSQL cannot store) is a bad line naming the field, on either path; a single event too', async () => {
    const lines = [
      JSON.stringify({ ...base, type: 'lockout', vin: VIN(1), occurredAt: '2026-06-05T08:00:00+08:00', eventId: 'n-1' }),
      JSON.stringify({ ...base, type: 'lockout', vin: VIN(2), occurredAt: '2026-06-05T08:00:00+08:00', location: { province: '上海市', city: 'a\u0000b' } }),
      JSON.stringify({ ...base, type: 'collision', vin: VIN(3), occurredAt: '2026-06-05T08:00:00+08:00', personal: { names: ['x\u0000'] } }),
      // A backslash before "u0000" is text, not the character: accepted.
      JSON.stringify({ ...base, type: 'lockout', vin: VIN(4), occurredAt: '2026-06-05T08:00:00+08:00', faultCode: 'F\\u0000' }),
    ].join('\n');
    for (const deps of [t.deps, chunkedDeps()]) {
      const a = await t.tenant();
      await assert.rejects(intakeEvents(deps, a.actor, { body: [Buffer.from(lines)], ndjson: true }), (e: any) => {
        assert.equal(e.code, 'validation_failed');
        assert.deepEqual(e.errors.map((x: any) => `${x.line}:${x.path}`), ['2:location.city', '3:personal.names.0']);
        return true;
      });
      assert.equal((await stored(a)).events.length, 0);
      const ok = await intakeEvents(deps, a.actor, { body: [Buffer.from([lines.split('\n')[0], lines.split('\n')[3]].join('\n'))], ndjson: true });
      assert.equal(ok.inserted, 2);
    }
    const a = await t.tenant();
    const one = await t.app.inject({ method: 'POST', url: '/api/v1/incidents/events', headers: a.auth,
      payload: { ...base, type: 'lockout', vin: VIN(5), occurredAt: '2026-06-05T08:00:00+08:00', cdas: { function: 'N\u0000OA' } } });
    assert.equal(one.statusCode, 422, one.body);
    assert.deepEqual(one.json().errors.map((x: any) => x.path), ['cdas.function']);
  });

  it('a batch that repeats part of an earlier one adds only the rest, on either path', async () => {
    // With blocks of 10,000 rows on the bulk path, the second batch's first block meets stored events and
    // is written again without them; its next block is looked up first, finds nothing stored, and the
    // one after is written optimistically again. Its signal days partly exist (same vehicles and days).
    const ev = (n: number) => JSON.stringify({ ...base, type: n % 3 ? 'cdas_failure' : 'deactivation', vin: VIN(n % 700), eventId: `r-${n}`,
      occurredAt: `2026-06-0${1 + (n % 5)}T08:00:00+08:00`, faultCode: `F-${n % 4}` });
    const batch = (from: number, to: number) => [Buffer.from(Array.from({ length: to - from }, (_, i) => ev(from + i)).join('\n'))];
    const [a, b] = [await t.tenant(), await t.tenant()];
    const answers = [];
    const tuning = { ...bulkTuning };
    Object.assign(bulkTuning, { blockRows: 10_000, firstBlockRows: 10_000 });
    try {
      for (const [tenant, deps] of [[a, t.deps], [b, chunkedDeps()]] as const) {
        const first = await intakeEvents(deps, tenant.actor, { body: batch(0, 12_000), ndjson: true });
        const second = await intakeEvents(deps, tenant.actor, { body: batch(6_000, 30_000), ndjson: true });
        answers.push([first.inserted, second.received, second.inserted, second.duplicates, first.casesOpened + second.casesOpened]);
      }
    } finally {
      Object.assign(bulkTuning, tuning);
    }
    assert.deepEqual(answers[0], [12_000, 24_000, 18_000, 6_000, 1]);
    assert.deepEqual(answers[1], answers[0]);
    const [sa, sb] = [await stored(a), await stored(b)];
    assert.equal(sa.events.length, 30_000);
    assert.deepEqual(sa, sb);
    const monthly = sa.cases.find((c) => c.kind === 'monthly-summary');
    assert.equal(monthly?.event_count, 30_000, 'the monthly case counts each event once');
  });

  it('signal days: a batch after another, with days stored and new and a signature COPY must escape, store the same on either path', async () => {
    // Blocks of 1,000 rows starting at 250: several blocks, the first ones smaller.
    const tuning = { ...bulkTuning };
    Object.assign(bulkTuning, { blockRows: 1_000, firstBlockRows: 250 });
    const ev = (n: number, day: number, batch: number, fleet: number) => JSON.stringify({ ...base, type: 'cdas_failure', vin: VIN(n % fleet), eventId: `s-${batch}-${day}-${n}`,
      occurredAt: `2026-06-0${day}T08:00:00+08:00`, faultCode: n % 2 ? 'F\t\\1' : 'F-1' });
    const batch = (days: number[], no: number, fleet: number) => [Buffer.from(days.flatMap((d) => Array.from({ length: 2_000 }, (_, n) => ev(n, d, no, fleet))).join('\n'))];
    const [a, b] = [await t.tenant(), await t.tenant()];
    try {
      for (const [tenant, deps] of [[a, t.deps], [b, chunkedDeps()]] as const) {
        await intakeEvents(deps, tenant.actor, { body: batch([1, 2], 1, 300), ndjson: true });
        // New events of 400 vehicles: on day 2 (its sets stored, 300 of the vehicles in them) and day 3 (new sets).
        const second = await intakeEvents(deps, tenant.actor, { body: batch([2, 3], 2, 400), ndjson: true });
        assert.deepEqual([second.inserted, second.duplicates], [4_000, 0]);
      }
    } finally {
      Object.assign(bulkTuning, tuning);
    }
    const [sa, sb] = [await stored(a), await stored(b)];
    assert.deepEqual(sa.days, sb.days);
    const perDay = await t.deps.db.tx('owner', (sql) => sql.query<{ day: string; n: number }>(
      'SELECT day::text AS day, sum(cardinality(vins))::int AS n FROM incident_signal_days WHERE tenant_id = $1 GROUP BY day ORDER BY day', [a.tenantId]));
    // Each vehicle in one signature (by the parity of its number).
    assert.deepEqual(perDay, [{ day: '2026-06-01', n: 300 }, { day: '2026-06-02', n: 400 }, { day: '2026-06-03', n: 400 }]);
    assert.ok(sa.signatures.some((s: any) => s.fault_code === 'F\t\\1'), 'the signature COPY must escape is stored as sent');
  });

  it('overlapping batches at the same time never store an event twice', async () => {
    const a = await t.tenant();
    const ev = (n: number) => JSON.stringify({ ...base, type: 'lockout', vin: VIN(n % 50), occurredAt: '2026-06-06T08:00:00+08:00', eventId: `o-${n}` });
    const one = Array.from({ length: 7000 }, (_, n) => ev(n)).join('\n');
    const two = Array.from({ length: 7000 }, (_, n) => ev(n + 3500)).join('\n');
    const results = await Promise.allSettled([
      intakeEvents(t.deps, a.actor, { body: [Buffer.from(one)], ndjson: true }),
      intakeEvents(t.deps, a.actor, { body: [Buffer.from(two)], ndjson: true }),
    ]);
    for (const r of results) if (r.status === 'rejected') assert.equal((r.reason as any).code, 'conflict', String(r.reason));
    // Whatever was refused is re-sent, as a client would.
    for (const [i, r] of results.entries()) if (r.status === 'rejected') await intakeEvents(t.deps, a.actor, { body: [Buffer.from([one, two][i])], ndjson: true });
    const n = await t.deps.db.tx('owner', async (sql) => (await sql.one<{ n: number; d: number }>(
      'SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS d FROM incident_events WHERE tenant_id = $1', [a.tenantId])));
    assert.deepEqual(n, { n: 10_500, d: 10_500 });
  });
});
