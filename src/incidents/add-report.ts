/**
 * A new version of a case's report. Earlier versions are never changed (a trigger refuses it); the
 * narrative of each version is appended. New material facts re-assess the severity; an update of an
 * S1/S2 case creates its own deadline (the 15th of the next month, policy).
 */
import type { Actor } from '../platform/audit.ts';
import { digestOf } from '../platform/canonical.ts';
import { AppError, conflict, msg, notFound } from '../platform/errors.ts';
import { unitOfWork, type Deps } from '../platform/usecase.ts';
import { assessReportability, incidentPolicy, updateDue, type Deadline, type IncidentFacts, type Reportability } from '../regimes/cn-2025/incidents.ts';
import type { NewReport } from './model.ts';
import { syncObligations } from './obligations-link.ts';
import { primaryReportId } from './report-content.ts';
import { graver } from './rules.ts';
import * as store from './store.ts';

const COVERS: Record<NewReport['type'], string[]> = {
  first: ['first-report', 'investigation-opened'], full: ['full-report'], result: ['result-report'], monthly: ['monthly-summary'], update: [],
};

/** The earliest dated deadline that no report version covers yet. */
export function openDeadline(decision: Reportability | any, reportTypes: string[]): Date | null {
  const covered = new Set(reportTypes.flatMap((t) => COVERS[t as NewReport['type']] ?? []));
  for (const t of reportTypes) if (t.startsWith('update:')) covered.add(t.slice('update:'.length));
  const due = ((decision?.deadlines ?? []) as { kind: string; due: string | Date | null }[])
    .filter((d) => d.due && !covered.has(d.kind)).map((d) => new Date(d.due!)).sort((a, b) => a.getTime() - b.getTime());
  return due[0] ?? null;
}

export async function addReport(deps: Deps, actor: Actor, incidentId: string, input: NewReport & { reportId?: string }) {
  return unitOfWork(deps, actor, async (u) => {
    const inc = await store.lockIncident(u.sql, u.tenantId, incidentId);
    if (!inc) throw notFound('incident', incidentId);
    const all = await store.reportsOf(u.sql, u.tenantId, incidentId);
    const reportId = input.reportId ?? primaryReportId(incidentId, all);
    const chain = all.filter((r) => r.report_id === reportId);
    if (input.reportId && chain.length === 0) throw new AppError('not_found', msg('incidents.reportNotFound', { reportId: input.reportId, id: incidentId }), { details: { id: incidentId } });
    const latest = chain.at(-1);
    const current = latest?.version ?? 0;
    if (input.basedOnVersion !== current) {
      throw conflict(msg('incidents.reportVersion', { reportId, current, based: input.basedOnVersion }), { currentVersion: current });
    }
    const version = current + 1;
    const base = latest?.content ?? { facts: {} };
    const severityFacts = { ...(base.severityFacts ?? {}), ...(input.severity ?? {}) };
    const content = { ...base, ...input.facts, severityFacts };
    const p = incidentPolicy(await store.tenantPolicy(u.sql, u.tenantId));
    let decision = inc.decision as Reportability;
    if (input.severity && inc.type) {
      const facts: IncidentFacts = { ...(inc.decision?.facts ?? {}), type: inc.type as IncidentFacts['type'], engagement: (inc.decision?.facts?.engagement) ?? 'unknown', ...severityFacts };
      const again = assessReportability(facts, inc.aware_at, p);
      if (graver(inc.severity as any, again.severity) !== inc.severity) {
        decision = { ...again, facts } as Reportability;
        await u.audit({ action: 'incident.reassessed', subjectType: 'incident', subjectId: inc.id, before: { severity: inc.severity }, after: { severity: again.severity, rules: again.rules } });
        await syncObligations(u, inc.id, facts, again);
      }
    }
    let extra: Deadline | null = null;
    if (input.type === 'update' && (decision.severity === 'S1' || decision.severity === 'S2')) {
      extra = { ...updateDue(u.now, p), kind: `update-${version}` as Deadline['kind'] };
      decision = { ...decision, deadlines: [...decision.deadlines, extra] };
      await syncObligations(u, inc.id, { type: 'collision' }, { ...decision, deadlines: [extra] });
    }
    const narrative = input.narrative ?? null;
    const digest = digestOf({ content, narrative, type: input.type, version, reportId });
    await store.insertReports(u.sql, u.tenantId, [{
      incidentId, reportId, version, type: input.type, content: JSON.stringify(content), narrative, digest, line: null,
      personal: input.personal ? JSON.stringify(input.personal) : null,
    }], u.now, { id: actor.id, name: actor.name, type: actor.type });
    const types = [...chain.map((r) => r.type), input.type, ...(extra ? [`update:${extra.kind}`] : [])];
    const due = openDeadline(decision, types);
    await store.updateIncidentAssessment(u.sql, u.tenantId, inc.id, { severity: decision.severity, reportable: decision.reportable, decision, nextDueAt: due, addEvents: 0, now: u.now });
    await store.setIncidentStatus(u.sql, u.tenantId, inc.id, due ? 'open' : 'reported', due, u.now);
    await u.audit({ action: 'incident.report_version_added', subjectType: 'incident', subjectId: inc.id, after: { reportId, version, type: input.type, digest }, data: { reportId, version, digest } });
    await u.emit({ type: 'incident.report_version_added', subjectType: 'incident', subjectId: inc.id, payload: { reportId, version, type: input.type, digest }, idempotencyKey: `incident.report:${reportId}:${version}` });
    return { incidentId, reportId, version, type: input.type, digest, nextDueAt: due?.toISOString() ?? null, severity: decision.severity };
  });
}
