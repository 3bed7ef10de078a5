// escalateSignatures opens its defect assessments as a set: the same rows, audit entries and events
// as opening them one by one (the form it replaced, kept here as the reference).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testDeps, type TestDeps } from '../../test/support.ts';
import { SYSTEM_ACTOR, verifyAudit } from '../platform/audit.ts';
import { newId } from '../platform/ids.ts';
import { unitIn, type AuditRequest, type EmitRequest, type UnitOfWork } from '../platform/usecase.ts';
import { ref, REGIME } from '../regimes/cn-2025/index.ts';
import { INCIDENT_POLICY_DEFAULTS as P } from '../regimes/cn-2025/incidents.ts';
import { escalateSignatures } from './escalation.ts';
import * as store from './store.ts';

let deps: TestDeps;
before(async () => { deps = await testDeps({ now: '2026-07-05T02:00:00Z' }); });
after(() => deps.close());

async function oneByOne(u: UnitOfWork, signatures: string[]): Promise<number> {
  const hits = await store.escalatingSignatures(u.sql, u.tenantId, signatures, { windowDays: P.escalationWindowDays, vehicles: P.escalationVehicles });
  if (hits.length === 0) return 0;
  const parts = new Map((await store.signatureParts(u.sql, u.tenantId, hits.map((h) => h.signature))).map((s) => [s.signature, s]));
  let opened = 0;
  for (const h of hits) {
    const s = parts.get(h.signature);
    if (!s) continue;
    const trigger = {
      vehicles: h.vehicles, from: h.from_day, to: h.to_day,
      threshold: { vehicles: P.escalationVehicles, windowDays: P.escalationWindowDays, basis: 'policy' },
      rule: ref('INC-ESCALATE', '工信部联通装〔2025〕45号 第四条（事件事故研判）; threshold: icvgate default policy'), regime: REGIME.id,
    };
    const a = await store.insertAssessment(u.sql, u.tenantId, {
      id: newId('dfa', u.now.getTime()), signature: h.signature, cdas_function: s.cdas_function, fault_code: s.fault_code,
      software_version: s.software_version, ecu: s.ecu, trigger, opened_at: u.now,
    });
    if (!a) continue;
    opened++;
    await u.audit({ action: 'defect_assessment.opened', subjectType: 'defect_assessment', subjectId: a.id, after: { signature: h.signature, trigger } });
    await u.emit({ type: 'defect_assessment.opened', subjectType: 'defect_assessment', subjectId: a.id, payload: { signature: h.signature, softwareVersion: s.software_version, ecu: s.ecu, vehicles: h.vehicles }, idempotencyKey: `defect_assessment.opened:${a.id}` });
  }
  return opened;
}

type Recorded = { opened: number; audits: AuditRequest[]; events: EmitRequest[]; rows: { id: string; signature: string }[] };
class Rollback extends Error {}
async function run(tenantId: string, fn: (u: UnitOfWork) => Promise<number>, rollback: boolean): Promise<Recorded> {
  const rec: Recorded = { opened: 0, audits: [], events: [], rows: [] };
  await deps.db.tx({ tenantId }, async (sql) => {
    const u = unitIn(sql, deps.clock(), SYSTEM_ACTOR, tenantId);
    rec.opened = await fn({ ...u, audit: async (e) => { rec.audits.push(e); await u.audit(e); }, auditMany: async (es) => { rec.audits.push(...es); await u.auditMany(es); },
      emit: async (e) => { rec.events.push(e); await u.emit(e); }, emitMany: async (es) => { rec.events.push(...es); await u.emitMany(es); } });
    rec.rows = await sql.query('SELECT id, signature, cdas_function, fault_code, software_version, ecu, status, trigger, opened_at FROM defect_assessments WHERE tenant_id = $1 ORDER BY signature, opened_at', [tenantId]);
    if (rollback) throw new Rollback();
  }).catch((e) => { if (!(e instanceof Rollback)) throw e; });
  return rec;
}
const normalized = (r: Recorded) => {
  const names = new Map(r.rows.map((a) => [a.id, a.signature]));
  return JSON.parse(JSON.stringify(r).replace(/dfa_[0-9a-z]{26}/g, (id) => `<${names.get(id) ?? 'unknown'}>`));
};

test('escalateSignatures equals opening assessments one by one; a signature already under assessment opens none; no hit writes nothing', async () => {
  const tenantId = newId('ten');
  await deps.db.tx('operator', (sql) => sql.query(`INSERT INTO tenants (id, kind, name_zh, name_en) VALUES ($1, 'manufacturer', '测试', 'Test')`, [tenantId]));
  const sigs = ['ACC', 'LCC', 'NOA', 'APA'].map((fn, i) => ({ signature: `${fn}|E-${i}|5.0.1|${i % 2 ? 'ADCU' : ''}`, fn, fault: `E-${i}`, version: '5.0.1', ecu: i % 2 ? 'ADCU' : null }));
  await deps.db.tx({ tenantId }, async (sql) => {
    await store.upsertSignatures(sql, tenantId, sigs, deps.clock());
    // Three signatures on 5 vehicles (escalate), the fourth on 2 (does not).
    await store.mergeSignalDays(sql, tenantId, sigs.map((s, i) => ({ signature: s.signature, day: '2026-06-20', vins: Array.from({ length: i === 3 ? 2 : 5 }, (_, v) => `VIN${i}${v}`) })));
  });
  // The second is under assessment already.
  await run(tenantId, (u) => oneByOne(u, [sigs[1].signature]), false);
  const all = sigs.map((s) => s.signature);
  const one = await run(tenantId, (u) => oneByOne(u, all), true);
  const many = await run(tenantId, (u) => escalateSignatures(u, all, P), false);
  assert.equal(many.opened, 2);
  assert.deepEqual(normalized(many), normalized(one));
  assert.ok(!JSON.stringify(normalized(many)).includes('<unknown>'));
  const none = await run(tenantId, (u) => escalateSignatures(u, [sigs[3].signature], P), true);
  assert.deepEqual([none.opened, none.audits, none.events], [0, [], []]);
  assert.equal((await deps.db.tx('operator', (sql) => verifyAudit(sql, tenantId))).ok, true);
});
