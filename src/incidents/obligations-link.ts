/** Incident reporting duties go to the obligation register (N45-5 to MIIT and SAMR; S20-3 for intrusion). */
import { syncIncidentObligations } from '../obligations/index.ts';
import type { UnitOfWork } from '../platform/usecase.ts';
import type { IncidentFacts, Reportability } from '../regimes/cn-2025/incidents.ts';

export async function syncObligations(u: UnitOfWork, incidentId: string, facts: IncidentFacts, r: Reportability, extra: Reportability['deadlines'] = []): Promise<void> {
  if (!r.reportable) return;
  const intrusion = facts.type === 'intrusion' || facts.type === 'remote_control';
  await syncIncidentObligations(u, { id: incidentId, intrusion, cdasInvolved: !intrusion, deadlines: [...r.deadlines, ...extra] });
}
