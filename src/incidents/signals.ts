/** Repeated failure signatures, defect assessments, recall decisions and the versions they block. */
import type { Actor } from '../platform/audit.ts';
import type { Sql } from '../platform/db.ts';
import { conflict, msg, notFound, renderMessage, withMsg } from '../platform/errors.ts';
import { shanghaiDate } from '../platform/time.ts';
import { readScope, unitOfWork, type Deps } from '../platform/usecase.ts';
import { addCalendarDays } from '../regimes/cn-2025/calendar.ts';
import { incidentPolicy } from '../regimes/cn-2025/incidents.ts';
import { recallObligations } from './recall-obligations.ts';
import * as store from './store.ts';

export function presentAssessment(a: store.AssessmentRow) {
  return {
    id: a.id, signature: a.signature,
    function: a.cdas_function, faultCode: a.fault_code, softwareVersion: a.software_version, ecu: a.ecu,
    status: a.status, trigger: a.trigger, decision: a.decision,
    openedAt: a.opened_at.toISOString(), decidedAt: a.decided_at?.toISOString() ?? null, decidedBy: a.decided_by?.name ?? null,
    blocksVersion: a.status === 'open' || a.status === 'recall',
  };
}

export async function getSignals(deps: Deps, actor: Actor, q: { days?: number; limit: number }) {
  const now = deps.clock();
  return readScope(deps, actor, async (sql) => {
    const tenantId = actor.tenantId!;
    const p = incidentPolicy(await store.tenantPolicy(sql, tenantId));
    const days = q.days ?? p.escalationWindowDays;
    const toDay = shanghaiDate(now);
    const fromDay = addCalendarDays(toDay, -(days - 1));
    const items = await store.signalSummary(sql, tenantId, { fromDay, toDay, limit: q.limit });
    const assessments = (await store.listAssessments(sql, tenantId)).map(presentAssessment);
    const bySig = new Map<string, ReturnType<typeof presentAssessment>>();
    for (const a of assessments) if (!bySig.has(a.signature)) bySig.set(a.signature, a);
    return {
      window: { from: fromDay, to: toDay, days },
      threshold: { vehicles: p.escalationVehicles, windowDays: p.escalationWindowDays, basis: 'policy' as const },
      items: items.map((s) => ({
        signature: s.signature, function: s.cdas_function, faultCode: s.fault_code, softwareVersion: s.software_version, ecu: s.ecu,
        vehicles: s.vehicles, events: s.events, series: s.series, assessment: bySig.get(s.signature) ?? null,
      })),
      assessments,
    };
  });
}

export async function decideAssessment(deps: Deps, actor: Actor, id: string, input: { decision: 'recall' | 'no-recall'; reason: string }) {
  return unitOfWork(deps, actor, async (u) => {
    const before = await store.getAssessment(u.sql, u.tenantId, id);
    if (!before) throw notFound('defect assessment', id);
    const decision = { decision: input.decision, reason: input.reason };
    const row = await store.decideAssessment(u.sql, u.tenantId, id, input.decision, decision, u.now, { id: actor.id, name: actor.name, type: actor.type });
    if (!row) throw conflict(msg('incidents.assessmentDecided', { id, status: before.status }), { currentStatus: before.status });
    await u.audit({ action: `defect_assessment.${input.decision === 'recall' ? 'recall_decided' : 'closed_without_recall'}`, subjectType: 'defect_assessment', subjectId: id, before: presentAssessment(before), after: presentAssessment(row) });
    await u.emit({ type: 'defect_assessment.decided', subjectType: 'defect_assessment', subjectId: id, payload: { decision: input.decision, softwareVersion: row.software_version, ecu: row.ecu }, idempotencyKey: `defect_assessment.decided:${id}` });
    let obligations: string[] = [];
    if (input.decision === 'recall') obligations = await recallObligations(u, row);
    return { ...presentAssessment(row), obligations };
  });
}

export type BlockedVersion = { ecu?: string; version: string; assessmentId: string; reason: string; status: 'open' | 'recall' };

/** For the OTA gate: software versions that no campaign may ship (see docs/incidents.md). */
export async function blockedVersions(sql: Sql, tenantId: string): Promise<BlockedVersion[]> {
  return (await store.blockedAssessments(sql, tenantId)).map((a) => {
    const facts = { id: a.id, function: a.cdas_function, fault: a.fault_code, target: a.ecu ? `${a.ecu} ${a.software_version}` : a.software_version };
    const m = a.status === 'open'
      ? msg('incidents.versionBlockedOpen', { ...facts, vehicles: a.trigger?.vehicles, days: a.trigger?.threshold?.windowDays })
      : msg('incidents.versionBlockedRecall', facts);
    // The reason in English, its key attached: the gate's refusal shows it in the caller's language.
    return withMsg({ ...(a.ecu ? { ecu: a.ecu } : {}), version: a.software_version, assessmentId: a.id, status: a.status as 'open' | 'recall', reason: renderMessage('en', m) }, m);
  });
}
