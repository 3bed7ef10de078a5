/** Cases: one per incident (S1-S3), one per month for the S4 summary; the deadlines come from the rule pack. */
import { newId } from '../platform/ids.ts';
import type { UnitOfWork } from '../platform/usecase.ts';
import { assessReportability, type IncidentFacts, type IncidentPolicy, type Reportability } from '../regimes/cn-2025/incidents.ts';
import { syncObligations } from './obligations-link.ts';
import { factsOf, graver } from './rules.ts';
import type { IncidentEvent } from './model.ts';
import * as store from './store.ts';

export function nextDue(r: Reportability, now?: Date): Date | null {
  const dues = r.deadlines.map((d) => d.due).filter((d): d is Date => d !== null).sort((a, b) => a.getTime() - b.getTime());
  if (now) return dues.find((d) => d.getTime() >= now.getTime()) ?? dues.at(-1) ?? null;
  return dues[0] ?? null;
}

/** Opens (or joins) the case of every case key touched by newly inserted events. Returns cases opened. */
export async function openCasesForChunk(u: UnitOfWork, outcome: store.ChunkOutcome, p: IncidentPolicy): Promise<number> {
  const keys = [...outcome.eventCases.map((c) => c.case_key), ...outcome.monthly.map((m) => m.case_key)];
  if (keys.length === 0) return 0;
  const existing = new Map((await store.findIncidentsByKeys(u.sql, u.tenantId, keys)).map((i) => [i.case_key, i]));
  let opened = 0;
  for (const c of outcome.eventCases) {
    const event = c.body as IncidentEvent;
    const facts = factsOf(event);
    const decision = assessReportability(facts, c.aware_at, p);
    const had = existing.get(c.case_key);
    if (!had) {
      await openCase(u, {
        caseKey: c.case_key, kind: 'event', source: 'events', type: c.type, vin: c.vin, vinStatus: c.vin_status, occurredAt: c.occurred_at,
        awareAt: c.aware_at, decision, facts, events: c.n, summary: { function: event.cdas.function, province: event.location?.province ?? null, city: event.location?.city ?? null },
      });
      opened++;
    } else if (graver(had.severity as any, decision.severity) !== had.severity) {
      // A later event of the same incident carries graver facts: re-assess from the first awareness.
      const again = assessReportability({ ...facts }, had.aware_at, p);
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
    const decision = assessReportability(facts, m.aware_at, p);
    await openCase(u, {
      caseKey: m.case_key, kind: 'monthly-summary', source: 'events', type: null, vin: null, vinStatus: null, occurredAt: null,
      awareAt: m.aware_at, decision, facts, events: m.n, summary: { month: m.case_key.slice('monthly:'.length) },
    });
    opened++;
  }
  return opened;
}

export type OpenCase = {
  caseKey: string; kind: 'event' | 'monthly-summary' | 'external-report'; source: string; type: string | null; vin: string | null; vinStatus: string | null;
  occurredAt: Date | null; awareAt: Date; decision: Reportability; facts: IncidentFacts; events: number; summary: Record<string, unknown>;
};

export async function openCase(u: UnitOfWork, c: OpenCase): Promise<store.IncidentRow | undefined> {
  const row = await store.insertIncident(u.sql, u.tenantId, {
    id: newId('inc', u.now.getTime()), case_key: c.caseKey, kind: c.kind, source: c.source, type: c.type, severity: c.decision.severity,
    reportable: c.decision.reportable, vin: c.vin, vin_status: c.vinStatus, occurred_at: c.occurredAt, aware_at: c.awareAt, decision: { ...c.decision, facts: c.facts },
    next_due_at: nextDue(c.decision), event_count: c.events, summary: c.summary, created_at: u.now,
  });
  if (!row) return undefined; // opened concurrently by another request
  await u.audit({ action: 'incident.opened', subjectType: 'incident', subjectId: row.id, after: { caseKey: c.caseKey, severity: row.severity, rules: c.decision.rules } });
  if (c.decision.reportable) {
    await u.emit({
      type: 'incident.reportable', subjectType: 'incident', subjectId: row.id,
      payload: { severity: row.severity, nextDueAt: row.next_due_at, rules: c.decision.rules.map((r) => r.rule) },
      idempotencyKey: `incident.reportable:${row.id}`,
    });
    await syncObligations(u, row.id, c.facts, c.decision);
  }
  return row;
}
