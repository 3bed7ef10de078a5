// syncIncidentObligationsMany writes what syncIncidentObligations called once per incident writes:
// the same obligations, the same audit entries and the same events, in the same order.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SYSTEM_ACTOR, verifyAudit } from '../platform/audit.ts';
import type { Sql } from '../platform/db.ts';
import { newId } from '../platform/ids.ts';
import { unitIn, type AuditRequest, type EmitRequest, type UnitOfWork } from '../platform/usecase.ts';
import type { IncidentObligationFacts } from '../regimes/cn-2025/obligations.ts';
import { recordingUnit, testDeps, type TestDeps } from '../../test/support.ts';
import { syncIncidentObligations, syncIncidentObligationsMany, type SyncResult } from './index.ts';
import * as store from './store.ts';

let deps: TestDeps;
before(async () => { deps = await testDeps(); });
after(() => deps.close());

const dl = (kind: string, due: string | null) => ({ kind, due, when: `${kind} (test)`, basis: 'policy' as const, provisional: false });
const cdas = (id: string, ...deadlines: ReturnType<typeof dl>[]): IncidentObligationFacts => ({ id, intrusion: false, cdasInvolved: true, deadlines });
const intrusion = (id: string, ...deadlines: ReturnType<typeof dl>[]): IncidentObligationFacts => ({ id, intrusion: true, cdasInvolved: false, deadlines });

type Recorded = { results: SyncResult[]; audits: AuditRequest[]; events: EmitRequest[]; rows: unknown[] };

const rowsOf = (sql: Sql, tenantId: string) => sql.query(
  `SELECT id, key, rule, part, subject_id, addressee, due_at, due_date, due_explain, status, status_reason, created_at, updated_at
     FROM obligations WHERE tenant_id = $1 ORDER BY key`, [tenantId]);

/** Obligation ids are random: name each by its key so two runs compare. */
function normalized(r: Recorded): unknown {
  const byId = new Map((r.rows as { id: string; key: string }[]).map((o) => [o.id, o.key]));
  return JSON.parse(JSON.stringify(r).replace(/obl_[0-9a-z]{26}/g, (id) => `<${byId.get(id) ?? 'unknown'}>`));
}

async function run(tenantId: string, fn: (u: UnitOfWork) => Promise<SyncResult[]>, rollback: boolean): Promise<Recorded> {
  const rec: Recorded = { results: [], audits: [], events: [], rows: [] };
  const Rollback = class extends Error {};
  await deps.db.tx({ tenantId }, async (sql) => {
    rec.results = await fn(recordingUnit(unitIn(sql, deps.clock(), SYSTEM_ACTOR, tenantId), rec));
    rec.rows = await rowsOf(sql, tenantId);
    if (rollback) throw new Rollback();
  }).catch((e) => { if (!(e instanceof Rollback)) throw e; });
  return rec;
}

const NOW = '2026-11-25T02:00:00.000Z';
const cases: { name: string; before?: IncidentObligationFacts[]; withdraw?: string[]; batch: IncidentObligationFacts[]; expect: Pick<SyncResult, 'created' | 'updated'>[] }[] = [
  {
    name: 'new incidents',
    batch: [cdas('inc_a', dl('first-report', '2026-11-26T02:00:00Z'), dl('full-report', '2026-12-02T02:00:00Z')), intrusion('inc_b', dl('first-report', '2026-11-26T02:00:00Z')), cdas('inc_c', dl('result-report', null))],
    expect: [
      { created: ['N45-5#first-report:incident:inc_a:MIIT', 'N45-5#first-report:incident:inc_a:SAMR', 'N45-5#full-report:incident:inc_a:MIIT', 'N45-5#full-report:incident:inc_a:SAMR'], updated: [] },
      { created: ['S20-3#first-report:incident:inc_b:SAMR'], updated: [] },
      { created: ['N45-5#result-report:incident:inc_c:MIIT', 'N45-5#result-report:incident:inc_c:SAMR'], updated: [] },
    ],
  },
  {
    name: 'incidents whose obligations exist: unchanged, a deadline added, one moved, a withdrawn one required again, beside a new one',
    before: [cdas('inc_a', dl('first-report', '2026-11-26T02:00:00Z')), cdas('inc_b', dl('first-report', '2026-11-26T02:00:00Z')), cdas('inc_c', dl('first-report', '2026-11-27T02:00:00Z'))],
    withdraw: ['N45-5#first-report:incident:inc_c:SAMR'],
    batch: [
      cdas('inc_a', dl('first-report', '2026-11-26T02:00:00Z')),
      cdas('inc_b', dl('first-report', '2026-11-26T02:00:00Z'), dl('update-1', '2026-12-15T15:59:59.999Z')),
      cdas('inc_c', dl('first-report', '2026-11-28T02:00:00Z')),
      intrusion('inc_d', dl('first-report', '2026-11-26T02:00:00Z')),
    ],
    expect: [
      { created: [], updated: [] },
      { created: ['N45-5#update-1:incident:inc_b:MIIT', 'N45-5#update-1:incident:inc_b:SAMR'], updated: [] },
      { created: [], updated: ['N45-5#first-report:incident:inc_c:MIIT', 'N45-5#first-report:incident:inc_c:SAMR'] },
      { created: ['S20-3#first-report:incident:inc_d:SAMR'], updated: [] },
    ],
  },
  {
    name: 'the same incident twice in one batch: the second sees what the first wrote',
    batch: [cdas('inc_a', dl('first-report', '2026-11-26T02:00:00Z')), cdas('inc_b', dl('first-report', '2026-11-26T02:00:00Z')), cdas('inc_a', dl('first-report', '2026-11-27T02:00:00Z'), dl('update-1', null))],
    expect: [
      { created: ['N45-5#first-report:incident:inc_a:MIIT', 'N45-5#first-report:incident:inc_a:SAMR'], updated: [] },
      { created: ['N45-5#first-report:incident:inc_b:MIIT', 'N45-5#first-report:incident:inc_b:SAMR'], updated: [] },
      { created: ['N45-5#update-1:incident:inc_a:MIIT', 'N45-5#update-1:incident:inc_a:SAMR'], updated: ['N45-5#first-report:incident:inc_a:MIIT', 'N45-5#first-report:incident:inc_a:SAMR'] },
    ],
  },
  { name: 'an empty batch', batch: [], expect: [] },
];

for (const c of cases) {
  test(`syncIncidentObligationsMany equals syncIncidentObligations one by one: ${c.name}`, async () => {
    const tenantId = newId('ten');
    await deps.db.tx('operator', (sql) => sql.query(`INSERT INTO tenants (id, kind, name_zh, name_en) VALUES ($1, 'manufacturer', '测试', 'Test')`, [tenantId]));
    deps.clock.set('2026-11-25T01:00:00Z');
    for (const f of c.before ?? []) await run(tenantId, async (u) => [await syncIncidentObligations(u, f)], false);
    await deps.db.tx({ tenantId }, async (sql) => {
      for (const o of await store.byKeys(sql, tenantId, c.withdraw ?? [])) await store.transition(sql, tenantId, o.id, ['open'], 'withdrawn', { reason: 'test' }, new Date(NOW));
    });
    deps.clock.set(NOW);
    const one = await run(tenantId, async (u) => { const r: SyncResult[] = []; for (const f of c.batch) r.push(await syncIncidentObligations(u, f)); return r; }, true);
    const many = await run(tenantId, (u) => syncIncidentObligationsMany(u, c.batch), false);
    assert.deepEqual(many.results.map((r) => ({ created: r.created, updated: r.updated })), c.expect);
    assert.deepEqual(normalized(many), normalized(one));
    assert.ok(!JSON.stringify(normalized(many)).includes('<unknown>'));
    assert.equal((await deps.db.tx('operator', (sql) => verifyAudit(sql, tenantId))).ok, true);
  });
}

test('syncIncidentObligationsMany refuses a key twice within one incident, as the one-by-one form does', async () => {
  const tenantId = newId('ten');
  await deps.db.tx('operator', (sql) => sql.query(`INSERT INTO tenants (id, kind, name_zh, name_en) VALUES ($1, 'manufacturer', '测试', 'Test')`, [tenantId]));
  const twice = cdas('inc_a', dl('first-report', null), dl('first-report', null));
  for (const fn of [(u: UnitOfWork) => syncIncidentObligations(u, twice), (u: UnitOfWork) => syncIncidentObligationsMany(u, [twice])] as ((u: UnitOfWork) => Promise<unknown>)[]) {
    await assert.rejects(deps.db.tx({ tenantId }, (sql) => fn(unitIn(sql, deps.clock(), SYSTEM_ACTOR, tenantId))), /integrity_error|duplicate/i);
  }
});
