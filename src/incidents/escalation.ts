/**
 * Escalation: a failure signature seen on at least `escalationVehicles` distinct vehicles within
 * `escalationWindowDays` Shanghai days opens a defect assessment (the set-based twin of the pure
 * `escalation()` in the rule pack; a test runs both on the same sightings).
 */
import { newId } from '../platform/ids.ts';
import type { UnitOfWork } from '../platform/usecase.ts';
import { ref, REGIME } from '../regimes/cn-2025/index.ts';
import type { IncidentPolicy } from '../regimes/cn-2025/incidents.ts';
import * as store from './store.ts';

export async function escalateSignatures(u: UnitOfWork, signatures: string[], p: IncidentPolicy): Promise<number> {
  const hits = await store.escalatingSignatures(u.sql, u.tenantId, signatures, { windowDays: p.escalationWindowDays, vehicles: p.escalationVehicles });
  if (hits.length === 0) return 0;
  const parts = new Map((await store.signatureParts(u.sql, u.tenantId, hits.map((h) => h.signature))).map((s) => [s.signature, s]));
  const rows: Parameters<typeof store.insertAssessments>[2] = [];
  const vehicles: number[] = [];
  for (const h of hits) {
    const s = parts.get(h.signature);
    if (!s) continue;
    const trigger = {
      vehicles: h.vehicles, from: h.from_day, to: h.to_day,
      threshold: { vehicles: p.escalationVehicles, windowDays: p.escalationWindowDays, basis: 'policy' },
      rule: ref('INC-ESCALATE', '工信部联通装〔2025〕45号 第四条（事件事故研判）; threshold: icvgate default policy'), regime: REGIME.id,
    };
    rows.push({
      id: newId('dfa', u.now.getTime()), signature: h.signature, cdas_function: s.cdas_function, fault_code: s.fault_code,
      software_version: s.software_version, ecu: s.ecu, trigger, opened_at: u.now,
    });
    vehicles.push(h.vehicles);
  }
  // All at once: one insert, one audit append, one outbox insert, in the order of the hits.
  const opened = new Map((await store.insertAssessments(u.sql, u.tenantId, rows)).map((a) => [a.id, a]));
  const done = rows.flatMap((r, i) => { const a = opened.get(r.id); return a ? [{ a, vehicles: vehicles[i], trigger: r.trigger }] : []; });
  await u.auditMany(done.map(({ a, trigger }) => ({ action: 'defect_assessment.opened', subjectType: 'defect_assessment', subjectId: a.id, after: { signature: a.signature, trigger } })));
  await u.emitMany(done.map(({ a, vehicles }) => ({ type: 'defect_assessment.opened', subjectType: 'defect_assessment', subjectId: a.id,
    payload: { signature: a.signature, softwareVersion: a.software_version, ecu: a.ecu, vehicles }, idempotencyKey: `defect_assessment.opened:${a.id}` })));
  return done.length;
}
