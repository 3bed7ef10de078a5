/** Cases: one per incident (S1-S3), one per month for the S4 summary; the deadlines come from the rule pack. */
import { newId } from '../platform/ids.ts';
import { planIncidentObligationsMany, type IncidentObligationFacts } from '../obligations/index.ts';
import type { AuditRequest, EmitRequest, UnitOfWork } from '../platform/usecase.ts';
import { assessReportability, type IncidentFacts, type IncidentPolicy, type Reportability } from '../regimes/cn-2025/incidents.ts';
import { obligationFacts, syncObligations } from './obligations-link.ts';
import { factsOf, graver } from './rules.ts';
import type { IncidentEvent } from './model.ts';
import * as store from './store.ts';

export function nextDue(r: Reportability, now?: Date): Date | null {
  const dues = r.deadlines.map((d) => d.due).filter((d): d is Date => d !== null).sort((a, b) => a.getTime() - b.getTime());
  if (now) return dues.find((d) => d.getTime() >= now.getTime()) ?? dues.at(-1) ?? null;
  return dues[0] ?? null;
}

/**
 * Opens (or joins) the case of every case key touched by newly inserted events. Returns cases opened.
 * Writes what openCase / re-assessment / joining would for each case in turn (the same rows, audit
 * entries, events and obligations, in the same order), but as sets: a constant number of statements
 * per chunk, whatever the number of cases.
 */
export async function openCasesForChunk(u: UnitOfWork, outcome: store.ChunkOutcome, p: IncidentPolicy): Promise<number> {
  const keys = [...outcome.eventCases.map((c) => c.case_key), ...outcome.monthly.map((m) => m.case_key)];
  if (keys.length === 0) return 0;
  const existing = new Map((await store.findIncidentsByKeys(u.sql, u.tenantId, keys)).map((i) => [i.case_key, i]));
  // What each case key calls for, in the order the one-by-one form took them.
  type Step =
    | { kind: 'open'; c: OpenCase }
    | { kind: 'reassess'; had: store.IncidentRow; facts: IncidentFacts; again: Reportability };
  const steps: Step[] = [];
  const joins: { id: string; n: number }[] = [];
  const reassess: Parameters<typeof store.updateIncidentAssessments>[2] = [];
  for (const c of outcome.eventCases) {
    const event = c.body as IncidentEvent;
    const facts = factsOf(event);
    const decision = assessReportability(facts, c.aware_at, p);
    const had = existing.get(c.case_key);
    if (!had) {
      steps.push({ kind: 'open', c: {
        caseKey: c.case_key, kind: 'event', source: 'events', type: c.type, vin: c.vin, vinStatus: c.vin_status, occurredAt: c.occurred_at,
        awareAt: c.aware_at, decision, facts, events: c.n, summary: { function: event.cdas.function, province: event.location?.province ?? null, city: event.location?.city ?? null },
      } });
    } else if (graver(had.severity as any, decision.severity) !== had.severity) {
      // A later event of the same incident carries graver facts: re-assess from the first awareness.
      const again = assessReportability({ ...facts }, had.aware_at, p);
      steps.push({ kind: 'reassess', had, facts, again });
      reassess.push({ id: had.id, severity: again.severity, reportable: again.reportable, decision: { ...again, facts }, nextDueAt: nextDue(again), addEvents: c.n });
    } else {
      joins.push({ id: had.id, n: c.n });
    }
  }
  for (const m of outcome.monthly) {
    const had = existing.get(m.case_key);
    if (had) { joins.push({ id: had.id, n: m.n }); continue; }
    const facts: IncidentFacts = { type: 'cdas_failure' };
    const decision = assessReportability(facts, m.aware_at, p);
    steps.push({ kind: 'open', c: {
      caseKey: m.case_key, kind: 'monthly-summary', source: 'events', type: null, vin: null, vinStatus: null, occurredAt: null,
      awareAt: m.aware_at, decision, facts, events: m.n, summary: { month: m.case_key.slice('monthly:'.length) },
    } });
  }
  const opened = await insertCases(u, steps.flatMap((s) => (s.kind === 'open' ? [s.c] : [])));
  const reassessed = new Map((await store.updateIncidentAssessments(u.sql, u.tenantId, reassess, u.now)).map((r) => [r.id, r]));
  await store.addIncidentEventsMany(u.sql, u.tenantId, joins, u.now);

  // Each step's entries, then its obligations' entries, as openCase and the re-assessment record them.
  const records: Records[] = [];
  for (const s of steps) {
    if (s.kind === 'open') {
      const row = opened.get(s.c.caseKey);
      if (row) records.push(openedRecords(row, s.c));
    } else {
      const row = reassessed.get(s.had.id)!;
      records.push({
        audits: [{ action: 'incident.reassessed', subjectType: 'incident', subjectId: s.had.id, before: { severity: s.had.severity }, after: { severity: row.severity, rules: s.again.rules } }],
        events: [], obligations: obligationFacts(row.id, s.facts, s.again),
      });
    }
  }
  await recordWithObligations(u, records);
  return opened.size;
}

/** Inserts the cases' rows; answers the rows inserted by case key (a key opened meanwhile, or twice, is left out after its first). */
async function insertCases(u: UnitOfWork, cs: OpenCase[]): Promise<Map<string, store.IncidentRow>> {
  const seen = new Set<string>();
  const unique = cs.filter((c) => !seen.has(c.caseKey) && seen.add(c.caseKey));
  return new Map((await store.insertIncidents(u.sql, u.tenantId, unique.map((c) => incidentRow(u, c)))).map((r) => [r.case_key, r]));
}

/**
 * openCase for many cases, as sets: the same rows, audit entries, events and obligations as calling it
 * for each in turn. Answers each case's row, undefined when it was opened meanwhile (or comes twice).
 */
export async function openCases(u: UnitOfWork, cs: OpenCase[]): Promise<(store.IncidentRow | undefined)[]> {
  if (cs.length === 0) return [];
  const rows = await insertCases(u, cs);
  const out = cs.map((c) => { const row = rows.get(c.caseKey); rows.delete(c.caseKey); return row; });
  await recordWithObligations(u, cs.flatMap((c, i) => (out[i] ? [openedRecords(out[i]!, c)] : [])));
  return out;
}

type Records = { audits: AuditRequest[]; events: EmitRequest[]; obligations: IncidentObligationFacts | null };

/** Writes the obligations of all records at once, then every record's entries followed by its obligations' entries, in order. */
async function recordWithObligations(u: UnitOfWork, records: Records[]): Promise<void> {
  const withDuties = records.filter((r) => r.obligations);
  const planned = await planIncidentObligationsMany(u, withDuties.map((r) => r.obligations!));
  const duties = new Map(withDuties.map((r, i) => [r, planned[i]]));
  await u.auditMany(records.flatMap((r) => [...r.audits, ...(duties.get(r)?.audits ?? [])]));
  await u.emitMany(records.flatMap((r) => [...r.events, ...(duties.get(r)?.events ?? [])]));
}

function incidentRow(u: UnitOfWork, c: OpenCase): Omit<store.IncidentRow, 'tenant_id' | 'status' | 'updated_at'> {
  return {
    id: newId('inc', u.now.getTime()), case_key: c.caseKey, kind: c.kind, source: c.source, type: c.type, severity: c.decision.severity,
    reportable: c.decision.reportable, vin: c.vin, vin_status: c.vinStatus, occurred_at: c.occurredAt, aware_at: c.awareAt, decision: { ...c.decision, facts: c.facts },
    next_due_at: nextDue(c.decision), event_count: c.events, summary: c.summary, created_at: u.now,
  };
}

/** What opening a case records: its audit entry, and when reportable its event and obligations. */
function openedRecords(row: store.IncidentRow, c: OpenCase): Records {
  return {
    audits: [{ action: 'incident.opened', subjectType: 'incident', subjectId: row.id, after: { caseKey: c.caseKey, severity: row.severity, rules: c.decision.rules } }],
    events: c.decision.reportable ? [{
      type: 'incident.reportable', subjectType: 'incident', subjectId: row.id,
      payload: { severity: row.severity, nextDueAt: row.next_due_at, rules: c.decision.rules.map((r) => r.rule) },
      idempotencyKey: `incident.reportable:${row.id}`,
    }] : [],
    obligations: c.decision.reportable ? obligationFacts(row.id, c.facts, c.decision) : null,
  };
}

export type OpenCase = {
  caseKey: string; kind: 'event' | 'monthly-summary' | 'external-report'; source: string; type: string | null; vin: string | null; vinStatus: string | null;
  occurredAt: Date | null; awareAt: Date; decision: Reportability; facts: IncidentFacts; events: number; summary: Record<string, unknown>;
};

export async function openCase(u: UnitOfWork, c: OpenCase): Promise<store.IncidentRow | undefined> {
  const row = await store.insertIncident(u.sql, u.tenantId, incidentRow(u, c));
  if (!row) return undefined; // opened concurrently by another request
  const r = openedRecords(row, c);
  for (const a of r.audits) await u.audit(a);
  for (const e of r.events) await u.emit(e);
  if (c.decision.reportable) await syncObligations(u, row.id, c.facts, c.decision);
  return row;
}
