/** Reading cases: the queue (ordered by the next deadline) and one case with its timeline and versions. */
import type { Actor } from '../platform/audit.ts';
import { notFound } from '../platform/errors.ts';
import { readScope, type Deps } from '../platform/usecase.ts';
import { can } from '../access/policy.ts';
import { versionChain } from './sgo.ts';
import * as store from './store.ts';

export function presentIncident(r: store.IncidentRow, now: Date) {
  const due = r.next_due_at;
  return {
    id: r.id, kind: r.kind, source: r.source, type: r.type, severity: r.severity, reportable: r.reportable, status: r.status,
    vin: r.vin, vinStatus: r.vin_status, occurredAt: r.occurred_at?.toISOString() ?? null, awareAt: r.aware_at.toISOString(),
    nextDueAt: due?.toISOString() ?? null,
    secondsLeft: due ? Math.round((due.getTime() - now.getTime()) / 1000) : null,
    overdue: due ? due.getTime() < now.getTime() && r.status === 'open' : false,
    eventCount: r.event_count, summary: r.summary, decision: r.decision,
    createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
  };
}

export async function listIncidents(deps: Deps, actor: Actor, q: { limit: number; offset: number; status?: string; severity?: string }) {
  const now = deps.clock();
  return readScope(deps, actor, async (sql) => {
    const r = await store.listIncidents(sql, actor.tenantId!, q);
    return { items: r.items.map((i) => presentIncident(i, now)), total: r.total, now: now.toISOString() };
  });
}

/** Version chains per report id: ordered versions, versions missing (filed before, not in our data), narrative appended. */
export function chains(reports: store.ReportRow[]) {
  const by = new Map<string, store.ReportRow[]>();
  for (const r of reports) by.set(r.report_id, [...(by.get(r.report_id) ?? []), r]);
  return [...by.entries()].map(([reportId, rows]) => {
    const c = versionChain(rows.map((r) => r.version));
    return {
      reportId, latest: c.ordered.at(-1)!, missing: c.missing,
      versions: rows.map((r) => ({ version: r.version, type: r.type, digest: r.digest, createdAt: r.created_at.toISOString(), sourceLine: r.source_line, createdBy: r.created_by?.name ?? null })),
      narrative: rows.filter((r) => r.narrative).map((r) => ({ version: r.version, text: r.narrative!, at: r.created_at.toISOString() })),
    };
  });
}

export async function getIncident(deps: Deps, actor: Actor, id: string, opts: { includePersonal?: boolean } = {}) {
  const now = deps.clock();
  const includePersonal = !!opts.includePersonal && can(actor, 'incidents:personal');
  return readScope(deps, actor, async (sql) => {
    const tenantId = actor.tenantId!;
    const row = await store.getIncident(sql, tenantId, id);
    if (!row) throw notFound('incident', id);
    // A monthly summary may hold millions of S4 events: its page shows counts and the signals view instead.
    const events = row.kind === 'event' ? await store.caseEvents(sql, tenantId, row.case_key, 200) : [];
    const reports = await store.reportsOf(sql, tenantId, id);
    const personal = includePersonal ? await store.eventPersonal(sql, tenantId, events.map((e) => e.dedupe)) : [];
    const personalBy = new Map(personal.map((p) => [p.dedupe, p.data]));
    const timeline = [
      ...events.flatMap((e) => [
        { at: e.occurred_at.toISOString(), kind: 'event-occurred', text: `${e.type} ${e.vin}`, severity: e.severity },
        { at: e.aware_at.toISOString(), kind: 'aware', text: `aware of ${e.type} (${e.body?.awarenessSource ?? 'unknown source'})`, severity: e.severity },
      ]),
      ...reports.map((r) => ({ at: r.created_at.toISOString(), kind: 'report-version', text: `${r.report_id} v${r.version} (${r.type})`, severity: null })),
      ...((row.decision?.deadlines ?? []) as { kind: string; due: string | null; when: string }[])
        .filter((d) => d.due).map((d) => ({ at: d.due!, kind: 'deadline', text: `${d.kind}: ${d.when}`, severity: null })),
    ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    return {
      ...presentIncident(row, now),
      events: events.map((e) => ({
        id: e.dedupe, type: e.type, vin: e.vin, occurredAt: e.occurred_at.toISOString(), awareAt: e.aware_at.toISOString(), severity: e.severity, event: e.body,
        ...(includePersonal && personalBy.has(e.dedupe) ? { personal: personalBy.get(e.dedupe) } : {}),
      })),
      reports: chains(reports),
      timeline,
      redacted: !includePersonal,
    };
  });
}
