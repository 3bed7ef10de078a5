/** Incident reporting duties go to the obligation register (N45-5 to MIIT and SAMR; S20-3 for intrusion). */
import { syncIncidentObligations, type IncidentObligationFacts } from '../obligations/index.ts';
import type { UnitOfWork } from '../platform/usecase.ts';
import type { IncidentFacts, Reportability } from '../regimes/cn-2025/incidents.ts';

/** What the register needs of a reportable incident; null when it is not reportable (no duties). */
export function obligationFacts(incidentId: string, facts: IncidentFacts, r: Reportability, extra: Reportability['deadlines'] = []): IncidentObligationFacts | null {
  if (!r.reportable) return null;
  const intrusion = facts.type === 'intrusion' || facts.type === 'remote_control';
  return { id: incidentId, intrusion, cdasInvolved: !intrusion, deadlines: [...r.deadlines, ...extra] };
}

export async function syncObligations(u: UnitOfWork, incidentId: string, facts: IncidentFacts, r: Reportability, extra: Reportability['deadlines'] = []): Promise<void> {
  const f = obligationFacts(incidentId, facts, r, extra);
  if (f) await syncIncidentObligations(u, f);
}
