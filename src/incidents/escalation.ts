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
  let opened = 0;
  for (const h of hits) {
    const s = parts.get(h.signature);
    if (!s) continue;
    const trigger = {
      vehicles: h.vehicles, from: h.from_day, to: h.to_day,
      threshold: { vehicles: p.escalationVehicles, windowDays: p.escalationWindowDays, basis: 'policy' },
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
