// openCasesForChunk writes as sets what opening, re-assessing and joining each case in turn writes:
// the same incidents, obligations, audit entries and outbox events, in the same order.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { recordingUnit, testDeps, type TestDeps } from '../../test/support.ts';
import { SYSTEM_ACTOR, verifyAudit } from '../platform/audit.ts';
import type { Sql } from '../platform/db.ts';
import { newId } from '../platform/ids.ts';
import { unitIn, type AuditRequest, type EmitRequest, type UnitOfWork } from '../platform/usecase.ts';
import { assessReportability, INCIDENT_POLICY_DEFAULTS as P, type IncidentFacts } from '../regimes/cn-2025/incidents.ts';
import { nextDue, openCase, openCases, openCasesForChunk, type OpenCase } from './cases.ts';
import { toRow } from './event-rows.ts';
import { IncidentEvent } from './model.ts';
import { syncObligations } from './obligations-link.ts';
import { factsOf, graver } from './rules.ts';
import * as store from './store.ts';
import { withVinCheck } from './test-vins.ts';

let deps: TestDeps;
before(async () => { deps = await testDeps({ now: '2026-06-10T02:00:00Z' }); });
after(() => deps.close());

/**
 * The one-by-one form openCasesForChunk replaced (a statement or more per case, audit entry and
 * event): the reference the set form must match.
 */
async function oneByOne(u: UnitOfWork, outcome: store.ChunkOutcome): Promise<number> {
  const keys = [...outcome.eventCases.map((c) => c.case_key), ...outcome.monthly.map((m) => m.case_key)];
  if (keys.length === 0) return 0;
  const existing = new Map((await store.findIncidentsByKeys(u.sql, u.tenantId, keys)).map((i) => [i.case_key, i]));
  let opened = 0;
  for (const c of outcome.eventCases) {
    const event = c.body as IncidentEvent;
    const facts = factsOf(event);
    const decision = assessReportability(facts, c.aware_at, P);
    const had = existing.get(c.case_key);
    if (!had) {
      await openCase(u, {
        caseKey: c.case_key, kind: 'event', source: 'events', type: c.type, vin: c.vin, vinStatus: c.vin_status, occurredAt: c.occurred_at,
        awareAt: c.aware_at, decision, facts, events: c.n, summary: { function: event.cdas.function, province: event.location?.province ?? null, city: event.location?.city ?? null },
      });
      opened++;
    } else if (graver(had.severity as any, decision.severity) !== had.severity) {
      const again = assessReportability({ ...facts }, had.aware_at, P);
      const row = await store.updateIncidentAssessment(u.sql, u.tenantId, had.id, { severity: again.severity, reportable: again.reportable, decision: { ...again, facts }, nextDueAt: nextDue(again), addEvents: c.n, now: u.now });
      await u.audit({ action: 'incident.reassessed', subjectType: 'incident', subjectId: had.id, before: { severity: had.severity }, after: { severity: row.severity, rules: again.rules } });
      await syncObligations(u, row.id, facts, again);
    } else {
      await store.addIncidentEvents(u.sql, u.tenantId, had.id, c.n, u.now);
    }
  }
  for (const m of outcome.monthly) {
    const had = existing.get(m.case_key);
    if (had) { await store.addIncidentEvents(u.sql, u.tenantId, had.id, m.n, u.now); continue; }
    const facts: IncidentFacts = { type: 'cdas_failure' };
    const decision = assessReportability(facts, m.aware_at, P);
    await openCase(u, {
      caseKey: m.case_key, kind: 'monthly-summary', source: 'events', type: null, vin: null, vinStatus: null, occurredAt: null,
      awareAt: m.aware_at, decision, facts, events: m.n, summary: { month: m.case_key.slice('monthly:'.length) },
    });
    opened++;
  }
  return opened;
}

const RECEIVED = new Date('2026-06-10T02:00:00Z');
const base = { cdas: { function: 'NOA', engagement: 'verified_engaged', secondsBeforeImpact: 2 }, software: [{ ecu: 'ADCU', version: '3.2.1' }], location: { province: '上海市', city: '上海市' } };
const VIN = (n: number) => withVinCheck(`LSVAU2180N2${String(300000 + n).slice(-6)}`);
/** An event's case as the event insert reports it. */
function eventCase(e: Record<string, unknown>, n = 1): store.ChunkOutcome['eventCases'][number] {
  const r = toRow(IncidentEvent.parse({ ...base, ...e }), 'ten_sets', RECEIVED, P).row!;
  return { case_key: r.caseKey!, severity: r.severity!, type: r.type, vin: r.vin, vin_status: r.vinStatus, occurred_at: new Date(r.occurredAt), aware_at: new Date(r.awareAt), body: JSON.parse(r.body), n };
}
const crash = (v: number, extra: Record<string, unknown> = {}, n = 1) =>
  eventCase({ type: 'collision', vin: VIN(v), occurredAt: '2026-06-01T10:00:05+08:00', awareAt: '2026-06-01T03:00:00Z', severity: { airbag: true }, ...extra }, n);
const intrusion = (v: number) => eventCase({ type: 'intrusion', vin: VIN(v), occurredAt: '2026-06-03T09:00:00+08:00' });
const monthly = (month: string, n: number) => ({ case_key: `monthly:${month}`, n, aware_at: new Date(`${month}-05T02:00:00Z`) });
const chunk = (eventCases: store.ChunkOutcome['eventCases'], m: store.ChunkOutcome['monthly'] = []): store.ChunkOutcome => ({ inserted: 0, eventCases, monthly: m, signatures: [] });

type Recorded = { opened: number; audits: AuditRequest[]; events: EmitRequest[]; incidents: unknown[]; obligations: unknown[] };

const incidentsOf = (sql: Sql, tenantId: string) => sql.query(
  `SELECT id, case_key, kind, source, type, severity, reportable, vin, vin_status, occurred_at, aware_at, status, decision, next_due_at, event_count, summary, created_at, updated_at
     FROM incidents WHERE tenant_id = $1 ORDER BY case_key`, [tenantId]);
const obligationsOf = (sql: Sql, tenantId: string) => sql.query(
  'SELECT id, key, subject_id, due_at, due_explain, status, created_at, updated_at FROM obligations WHERE tenant_id = $1 ORDER BY key', [tenantId]);

class Rollback extends Error {}
async function run(tenantId: string, fn: (u: UnitOfWork) => Promise<number>, rollback: boolean): Promise<Recorded> {
  const rec: Recorded = { opened: 0, audits: [], events: [], incidents: [], obligations: [] };
  await deps.db.tx({ tenantId }, async (sql) => {
    rec.opened = await fn(recordingUnit(unitIn(sql, deps.clock(), SYSTEM_ACTOR, tenantId), rec));
    rec.incidents = await incidentsOf(sql, tenantId);
    rec.obligations = await obligationsOf(sql, tenantId);
    if (rollback) throw new Rollback();
  }).catch((e) => { if (!(e instanceof Rollback)) throw e; });
  return rec;
}

/** Ids are random: name incidents by case key and obligations by natural key so two runs compare. */
function normalized(r: Recorded): unknown {
  const incidents = new Map((r.incidents as { id: string; case_key: string }[]).map((i) => [i.id, i.case_key]));
  const inc = (s: string) => s.replace(/inc_[0-9a-z]{26}/g, (id) => `<${incidents.get(id) ?? 'unknown'}>`);
  const obligations = new Map((r.obligations as { id: string; key: string }[]).map((o) => [o.id, inc(o.key)]));
  const out = JSON.parse(inc(JSON.stringify(r)).replace(/obl_[0-9a-z]{26}/g, (id) => `<${obligations.get(id) ?? 'unknown'}>`));
  out.obligations.sort((a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : 1)); // keys held random incident ids
  return out;
}

const cases: { name: string; before?: store.ChunkOutcome; chunk: store.ChunkOutcome; opened: number; expect: (r: Recorded) => void }[] = [
  {
    name: 'new cases only: collisions (S2, S1), an intrusion, two months of failures',
    chunk: chunk([crash(1), crash(2, { severity: { fatality: true } }), intrusion(3)], [monthly('2026-05', 12), monthly('2026-06', 3)]),
    opened: 5,
    expect: (r) => {
      assert.deepEqual(r.audits.filter((a) => a.action === 'incident.opened').length, 5);
      assert.ok(r.audits.some((a) => a.action === 'obligation.created'));
      assert.ok(r.events.some((e) => e.type === 'incident.reportable'));
    },
  },
  {
    name: 'some cases exist: one joined, one re-assessed graver (deadlines move, obligations accumulate), a month joined, a month and a case added',
    before: chunk([crash(1), crash(2), intrusion(3)], [monthly('2026-05', 12)]),
    chunk: chunk([crash(1, { eventId: 'again-1' }, 2), crash(2, { severity: { fatality: true } }), crash(4)], [monthly('2026-05', 4), monthly('2026-06', 1)]),
    opened: 2,
    expect: (r) => {
      assert.deepEqual(r.audits.map((a) => a.action).filter((a) => a.startsWith('incident.')), ['incident.reassessed', 'incident.opened', 'incident.opened']);
      assert.ok(r.audits.some((a) => a.action === 'obligation.rescheduled'), 'the graver case moved its first report');
      const counts = Object.fromEntries((r.incidents as { case_key: string; event_count: number }[]).map((i) => [i.case_key, i.event_count]));
      assert.equal(counts['monthly:2026-05'], 16);
      assert.equal(counts[crash(1).case_key], 3);
      assert.equal(counts[crash(2).case_key], 2);
    },
  },
  { name: 'an empty chunk', chunk: chunk([], []), opened: 0, expect: (r) => { assert.deepEqual([r.audits, r.events, r.incidents], [[], [], []]); } },
];

for (const c of cases) {
  test(`openCasesForChunk equals opening, re-assessing and joining one by one: ${c.name}`, async () => {
    const tenantId = newId('ten');
    await deps.db.tx('operator', (sql) => sql.query(`INSERT INTO tenants (id, kind, name_zh, name_en) VALUES ($1, 'manufacturer', '测试', 'Test')`, [tenantId]));
    deps.clock.set('2026-06-10T01:00:00Z');
    if (c.before) await run(tenantId, (u) => openCasesForChunk(u, c.before!, P), false);
    deps.clock.set('2026-06-10T02:00:00Z');
    const one = await run(tenantId, (u) => oneByOne(u, c.chunk), true);
    const many = await run(tenantId, (u) => openCasesForChunk(u, c.chunk, P), false);
    assert.equal(many.opened, c.opened);
    assert.deepEqual(normalized(many), normalized(one));
    assert.ok(!JSON.stringify(normalized(many)).includes('<unknown>'));
    c.expect(many);
    assert.equal((await deps.db.tx('operator', (sql) => verifyAudit(sql, tenantId))).ok, true);
  });
}

test('insertIncidents leaves out a case key that exists already (a case opened meanwhile by another transaction)', async () => {
  const tenantId = newId('ten');
  await deps.db.tx('operator', (sql) => sql.query(`INSERT INTO tenants (id, kind, name_zh, name_en) VALUES ($1, 'manufacturer', '测试', 'Test')`, [tenantId]));
  // openCasesForChunk audits and links only the rows this answer holds.
  await run(tenantId, (u) => openCasesForChunk(u, chunk([crash(1)]), P), false);
  const r = await run(tenantId, async (u) => {
    const rows = await store.insertIncidents(u.sql, u.tenantId, [crash(1), crash(5)].map((e, i) => ({
      id: newId('inc'), case_key: e.case_key, kind: 'event', source: 'events', type: e.type, severity: 'S2', reportable: true, vin: e.vin, vin_status: e.vin_status,
      occurred_at: e.occurred_at, aware_at: e.aware_at, decision: { i }, next_due_at: null, event_count: 1, summary: {}, created_at: u.now,
    })));
    return rows.length;
  }, true);
  assert.equal(r.opened, 1);
});

test('openCases equals openCase one by one: a case that exists, a case key twice, reportable and not', async () => {
  const tenantId = newId('ten');
  await deps.db.tx('operator', (sql) => sql.query(`INSERT INTO tenants (id, kind, name_zh, name_en) VALUES ($1, 'manufacturer', '测试', 'Test')`, [tenantId]));
  const open = (key: string, facts: IncidentFacts): OpenCase => ({
    caseKey: key, kind: 'external-report', source: 'nhtsa-sgo', type: 'collision', vin: null, vinStatus: null, occurredAt: null,
    awareAt: RECEIVED, decision: assessReportability(facts, RECEIVED, P), facts, events: 0, summary: { key },
  });
  const list = [open('sgo:1', { type: 'collision', airbag: true } as IncidentFacts), open('sgo:2', { type: 'collision', fatality: true } as IncidentFacts),
    open('sgo:1', { type: 'collision' } as IncidentFacts), open('sgo:3', { type: 'collision', engagement: 'verified_not_engaged' } as IncidentFacts), open('sgo:0', { type: 'collision' } as IncidentFacts)];
  await run(tenantId, async (u) => (await openCase(u, list[4])) ? 1 : 0, false);
  const one = await run(tenantId, async (u) => { let n = 0; for (const c of list) if (await openCase(u, c)) n++; return n; }, true);
  const many = await run(tenantId, async (u) => (await openCases(u, list)).filter(Boolean).length, false);
  assert.equal(many.opened, 3);
  assert.equal(list[3].decision.reportable, false);
  assert.deepEqual(normalized(many), normalized(one));
  assert.equal((await run(tenantId, async (u) => (await openCases(u, [])).length, true)).opened, 0);
  assert.equal((await deps.db.tx('operator', (sql) => verifyAudit(sql, tenantId))).ok, true);
});
