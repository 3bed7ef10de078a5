// The only SQL of the incidents slice. The tenant id is the first parameter of every function.
import type { Sql } from '../platform/db.ts';

export type EventRow = {
  dedupe: string; eventId: string | null; type: string; vin: string; vinStatus: string; occurredAt: string; awareAt: string;
  cdasFunction: string; engagement: string; secondsBeforeImpact: number | null; faultCode: string | null; signature: string | null;
  severity: string | null; caseKey: string | null; province: string | null; city: string | null; body: string; personal: string | null;
  sigFunction: string | null; sigVersion: string | null; sigEcu: string | null; sigDay: string | null;
  /** awareAt in ms since the epoch, and the dedupe key's 16 bytes (not columns: what bulk intake hands over). */
  awareMs: number; key: Uint8Array;
  /**
   * Set when the body is the event's NDJSON line with this inserted before its last brace ('' for
   * the line as it is): the bulk path then copies the line's bytes instead of encoding the body again.
   */
  bodyExtra?: string;
};

export type ChunkOutcome = {
  inserted: number;
  eventCases: { case_key: string; severity: string; type: string; vin: string; vin_status: string; occurred_at: Date; aware_at: Date; body: any; n: number }[];
  monthly: { case_key: string; n: number; aware_at: Date }[];
  signatures: string[];
};

const COLS = ['dedupe', 'eventId', 'type', 'vin', 'vinStatus', 'occurredAt', 'awareAt', 'cdasFunction', 'engagement', 'secondsBeforeImpact',
  'faultCode', 'signature', 'severity', 'caseKey', 'province', 'city', 'body'] as const;
export const EVENT_COLUMNS = ['dedupe', 'event_id', 'type', 'vin', 'vin_status', 'occurred_at', 'aware_at', 'cdas_function', 'engagement',
  'seconds_before_impact', 'fault_code', 'signature', 'severity', 'case_key', 'province', 'city', 'body'] as const;
const C = EVENT_COLUMNS.join(', ');

/**
 * Inserts the events of `src` (a CTE yielding EVENT_COLUMNS) and, in the same statement, returns
 * what the new rows mean: the cases they open or join and the failure signatures they touch.
 * Duplicates (same dedupe key, which is per tenant) add nothing.
 */
function moveStatement(src: string): string {
  return `WITH src AS (${src}), ins AS (
       INSERT INTO incident_events (tenant_id, batch_id, ${C})
       SELECT $1, $2, ${C} FROM src
       ON CONFLICT (dedupe) DO NOTHING
       RETURNING type, vin, vin_status, occurred_at, aware_at, signature, severity, case_key, CASE WHEN severity IN ('S1','S2','S3') THEN body END AS body
     )
     SELECT (SELECT count(*)::int FROM ins) AS inserted,
            (SELECT coalesce(json_agg(e), '[]') FROM (
               SELECT DISTINCT ON (case_key) case_key, severity, type, vin, vin_status, occurred_at, aware_at, body,
                      count(*) OVER (PARTITION BY case_key)::int AS n
                 FROM ins WHERE severity IN ('S1','S2','S3') ORDER BY case_key, severity, aware_at) e) AS "eventCases",
            (SELECT coalesce(json_agg(m), '[]') FROM (
               SELECT case_key, count(*)::int AS n, min(aware_at) AS aware_at FROM ins WHERE severity = 'S4' GROUP BY case_key) m) AS monthly,
            (SELECT coalesce(array_agg(DISTINCT signature), '{}') FROM ins WHERE signature IS NOT NULL) AS signatures`;
}

function outcome(r: ChunkOutcome): ChunkOutcome {
  for (const c of r.eventCases) { c.occurred_at = new Date(c.occurred_at); c.aware_at = new Date(c.aware_at); }
  for (const m of r.monthly) m.aware_at = new Date(m.aware_at);
  return r;
}

/** One chunk passed as column arrays (unnest): the path on PGlite (and PostgreSQL without bulk COPY). */
export async function insertEventChunk(sql: Sql, tenantId: string, batchId: string, rows: EventRow[]): Promise<ChunkOutcome> {
  const col = (k: (typeof COLS)[number]) => rows.map((r) => r[k]);
  return outcome(await sql.one<ChunkOutcome>(
    moveStatement(`SELECT * FROM unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::timestamptz[], $10::text[],
                            $11::text[], $12::real[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[], $19::jsonb[])
         AS s(${C})`),
    [tenantId, batchId, ...COLS.map(col)],
  ));
}

/** The vehicles seen with one failure signature on one Shanghai day (VINs distinct and sorted). */
export type SignalDaySet = { signature: string; day: string; vins: string[] };

/**
 * Adds vehicles to the sets of signal days: a set union, so re-sent events change nothing (a union
 * that adds nothing writes nothing). At most one set per (signature, day) in the input (one statement
 * cannot update a row twice). Sets are taken in key order, so two batches merging into the same days
 * lock them in the same order.
 */
export async function mergeSignalDays(sql: Sql, tenantId: string, sets: SignalDaySet[]): Promise<void> {
  const sorted = [...sets].sort((a, b) => (a.signature < b.signature ? -1 : a.signature > b.signature ? 1 : a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  for (let i = 0; i < sorted.length;) {
    // Statements of at most about 50,000 vehicles (a larger set goes alone).
    let n = 0, j = i;
    while (j < sorted.length && (j === i || n + sorted[j].vins.length <= 50_000)) n += sorted[j++].vins.length;
    const part = sorted.slice(i, j);
    i = j;
    await sql.query(
      `INSERT INTO incident_signal_days AS d (tenant_id, signature, day, vins)
       SELECT $1, s, dd, string_to_array(v, ',') FROM unnest($2::text[], $3::date[], $4::text[]) AS u(s, dd, v)
       ON CONFLICT (tenant_id, signature, day) DO UPDATE
         SET vins = ARRAY(SELECT DISTINCT x FROM unnest(d.vins || excluded.vins) AS x ORDER BY x)
         WHERE NOT excluded.vins <@ d.vins`,
      [tenantId, part.map((r) => r.signature), part.map((r) => r.day), part.map((r) => r.vins.join(','))],
    );
  }
}

export async function insertEventPersonal(sql: Sql, tenantId: string, rows: { dedupe: string; data: string }[]): Promise<void> {
  if (rows.length === 0) return;
  await sql.query(
    `INSERT INTO incident_event_personal (tenant_id, dedupe, data)
     SELECT $1, d, p FROM unnest($2::uuid[], $3::jsonb[]) AS u(d, p) ON CONFLICT DO NOTHING`,
    [tenantId, rows.map((r) => r.dedupe), rows.map((r) => r.data)],
  );
}

export async function upsertSignatures(sql: Sql, tenantId: string, sigs: { signature: string; fn: string; fault: string; version: string; ecu: string | null }[], now: Date): Promise<void> {
  if (sigs.length === 0) return;
  await sql.query(
    `INSERT INTO incident_signatures (tenant_id, signature, cdas_function, fault_code, software_version, ecu, first_seen)
     SELECT $1, s, f, c, v, e, $7 FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS u(s, f, c, v, e)
     ON CONFLICT DO NOTHING`,
    [tenantId, sigs.map((s) => s.signature), sigs.map((s) => s.fn), sigs.map((s) => s.fault), sigs.map((s) => s.version), sigs.map((s) => s.ecu), now],
  );
}

export async function tenantPolicy(sql: Sql, tenantId: string): Promise<unknown> {
  const r = await sql.maybeOne<{ policy: unknown }>('SELECT policy FROM tenants WHERE id = $1', [tenantId]);
  return r?.policy ?? {};
}

export type IncidentRow = {
  id: string; tenant_id: string; case_key: string; kind: string; source: string; type: string | null; severity: string | null; reportable: boolean;
  vin: string | null; vin_status: string | null; occurred_at: Date | null; aware_at: Date; status: string; decision: any;
  next_due_at: Date | null; event_count: number; summary: any; created_at: Date; updated_at: Date;
};

export async function findIncidentsByKeys(sql: Sql, tenantId: string, keys: string[]): Promise<IncidentRow[]> {
  if (keys.length === 0) return [];
  return sql.query<IncidentRow>('SELECT * FROM incidents WHERE tenant_id = $1 AND case_key = ANY($2::text[])', [tenantId, keys]);
}

export async function insertIncident(sql: Sql, tenantId: string, i: Omit<IncidentRow, 'tenant_id' | 'status' | 'updated_at'>): Promise<IncidentRow | undefined> {
  return sql.maybeOne<IncidentRow>(
    `INSERT INTO incidents (id, tenant_id, case_key, kind, source, type, severity, reportable, vin, vin_status, occurred_at, aware_at, decision,
                            next_due_at, event_count, summary, created_at, updated_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$17)
     ON CONFLICT (tenant_id, case_key) DO NOTHING RETURNING *`,
    [i.id, tenantId, i.case_key, i.kind, i.source, i.type, i.severity, i.reportable, i.vin, i.vin_status, i.occurred_at, i.aware_at,
      JSON.stringify(i.decision), i.next_due_at, i.event_count, JSON.stringify(i.summary), i.created_at],
  );
}

const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString());

/**
 * insertIncident for many, in one statement (the rows as one JSON parameter: no parameter limit, and
 * no array literals to escape): a case key that exists already (or comes twice) is left out of the answer.
 */
export async function insertIncidents(sql: Sql, tenantId: string, rows: Omit<IncidentRow, 'tenant_id' | 'status' | 'updated_at'>[]): Promise<IncidentRow[]> {
  if (rows.length === 0) return [];
  return sql.query<IncidentRow>(
    `INSERT INTO incidents (id, tenant_id, case_key, kind, source, type, severity, reportable, vin, vin_status, occurred_at, aware_at, decision,
                            next_due_at, event_count, summary, created_at, updated_at)
     SELECT id, $1, case_key, kind, source, type, severity, reportable, vin, vin_status, occurred_at, aware_at, decision, next_due_at, event_count,
            summary, created_at, created_at
       FROM json_to_recordset($2::json)
         AS u(id text, case_key text, kind text, source text, type text, severity text, reportable boolean, vin text, vin_status text,
              occurred_at timestamptz, aware_at timestamptz, decision jsonb, next_due_at timestamptz, event_count int, summary jsonb, created_at timestamptz, n bigint)
      ORDER BY n
     ON CONFLICT (tenant_id, case_key) DO NOTHING RETURNING *`,
    [tenantId, JSON.stringify(rows.map((r, n) => ({ ...r, n })))],
  );
}

/** updateIncidentAssessment for many incidents (each id once), in one statement. */
export async function updateIncidentAssessments(
  sql: Sql, tenantId: string, rows: { id: string; severity: string | null; reportable: boolean; decision: unknown; nextDueAt: Date | null; addEvents: number }[], now: Date,
): Promise<IncidentRow[]> {
  if (rows.length === 0) return [];
  return sql.query<IncidentRow>(
    `UPDATE incidents i SET severity = u.severity, reportable = u.reportable, decision = u.decision, next_due_at = u.next_due_at,
            event_count = i.event_count + u.add, updated_at = $2
       FROM unnest($3::text[], $4::text[], $5::boolean[], $6::jsonb[], $7::timestamptz[], $8::int[]) AS u(id, severity, reportable, decision, next_due_at, add)
      WHERE i.tenant_id = $1 AND i.id = u.id RETURNING i.*`,
    [tenantId, now, rows.map((r) => r.id), rows.map((r) => r.severity), rows.map((r) => r.reportable), rows.map((r) => JSON.stringify(r.decision)),
      rows.map((r) => iso(r.nextDueAt)), rows.map((r) => r.addEvents)],
  );
}

/** addIncidentEvents for many incidents (each id once), in one statement. */
export async function addIncidentEventsMany(sql: Sql, tenantId: string, rows: { id: string; n: number }[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  await sql.query(
    `UPDATE incidents i SET event_count = i.event_count + u.n, updated_at = $2
       FROM unnest($3::text[], $4::int[]) AS u(id, n) WHERE i.tenant_id = $1 AND i.id = u.id`,
    [tenantId, now, rows.map((r) => r.id), rows.map((r) => r.n)],
  );
}

export async function updateIncidentAssessment(sql: Sql, tenantId: string, id: string, p: { severity: string | null; reportable: boolean; decision: unknown; nextDueAt: Date | null; addEvents: number; now: Date }): Promise<IncidentRow> {
  return sql.one<IncidentRow>(
    `UPDATE incidents SET severity = $3, reportable = $4, decision = $5, next_due_at = $6, event_count = event_count + $7, updated_at = $8
      WHERE tenant_id = $1 AND id = $2 RETURNING *`,
    [tenantId, id, p.severity, p.reportable, JSON.stringify(p.decision), p.nextDueAt, p.addEvents, p.now],
  );
}

export async function addIncidentEvents(sql: Sql, tenantId: string, id: string, n: number, now: Date): Promise<void> {
  await sql.query('UPDATE incidents SET event_count = event_count + $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2', [tenantId, id, n, now]);
}

export async function setIncidentStatus(sql: Sql, tenantId: string, id: string, status: string, nextDueAt: Date | null, now: Date): Promise<void> {
  await sql.query('UPDATE incidents SET status = $3, next_due_at = $4, updated_at = $5 WHERE tenant_id = $1 AND id = $2', [tenantId, id, status, nextDueAt, now]);
}

export async function getIncident(sql: Sql, tenantId: string, id: string): Promise<IncidentRow | undefined> {
  return sql.maybeOne<IncidentRow>('SELECT * FROM incidents WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
}

export async function lockIncident(sql: Sql, tenantId: string, id: string): Promise<IncidentRow | undefined> {
  return sql.maybeOne<IncidentRow>('SELECT * FROM incidents WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [tenantId, id]);
}

export async function listIncidents(sql: Sql, tenantId: string, q: { limit: number; offset: number; status?: string; severity?: string }): Promise<{ items: IncidentRow[]; total: number }> {
  const where = ['tenant_id = $1'];
  const params: unknown[] = [tenantId];
  if (q.status) { params.push(q.status); where.push(`status = $${params.length}`); }
  if (q.severity) { params.push(q.severity); where.push(`severity = $${params.length}`); }
  const total = (await sql.one<{ n: number }>(`SELECT count(*)::int AS n FROM incidents WHERE ${where.join(' AND ')}`, params)).n;
  const items = await sql.query<IncidentRow>(
    `SELECT * FROM incidents WHERE ${where.join(' AND ')} ORDER BY next_due_at ASC NULLS LAST, aware_at ASC, id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, q.limit, q.offset],
  );
  return { items, total };
}

export async function caseEvents(sql: Sql, tenantId: string, caseKey: string, limit = 200) {
  return sql.query<{ dedupe: string; type: string; vin: string; occurred_at: Date; aware_at: Date; severity: string | null; body: any; batch_id: string }>(
    `SELECT dedupe, type, vin, occurred_at, aware_at, severity, body, batch_id FROM incident_events
      WHERE tenant_id = $1 AND case_key = $2 ORDER BY occurred_at, dedupe LIMIT $3`,
    [tenantId, caseKey, limit],
  );
}

export async function eventPersonal(sql: Sql, tenantId: string, dedupes: string[]) {
  if (dedupes.length === 0) return [];
  return sql.query<{ dedupe: string; data: any }>('SELECT dedupe, data FROM incident_event_personal WHERE tenant_id = $1 AND dedupe = ANY($2::uuid[])', [tenantId, dedupes]);
}

// ---- reports ---------------------------------------------------------------------------------

export type ReportRow = {
  incident_id: string; report_id: string; version: number; type: string; content: any; narrative: string | null; digest: string;
  source_line: number | null; created_at: Date; created_by: any;
};

export async function existingReportVersions(sql: Sql, tenantId: string, reportIds: string[]): Promise<{ report_id: string; version: number; digest: string; incident_id: string }[]> {
  if (reportIds.length === 0) return [];
  return sql.query('SELECT report_id, version, digest, incident_id FROM incident_reports WHERE tenant_id = $1 AND report_id = ANY($2::text[])', [tenantId, reportIds]);
}

export async function insertReports(sql: Sql, tenantId: string, rows: { incidentId: string; reportId: string; version: number; type: string; content: string; narrative: string | null; digest: string; line: number | null; personal: string | null }[], now: Date, actor: unknown): Promise<number> {
  if (rows.length === 0) return 0;
  const res = await sql.query(
    `INSERT INTO incident_reports (tenant_id, incident_id, report_id, version, type, content, narrative, digest, source_line, created_at, created_by)
     SELECT $1, i, r, v, t, c, n, d, l, $10, $11 FROM unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::jsonb[], $7::text[], $8::text[], $9::int[])
       AS u(i, r, v, t, c, n, d, l)
     ON CONFLICT DO NOTHING RETURNING 1`,
    [tenantId, rows.map((r) => r.incidentId), rows.map((r) => r.reportId), rows.map((r) => r.version), rows.map((r) => r.type),
      rows.map((r) => r.content), rows.map((r) => r.narrative), rows.map((r) => r.digest), rows.map((r) => r.line), now, JSON.stringify(actor)],
  );
  const personal = rows.filter((r) => r.personal);
  if (personal.length) {
    await sql.query(
      `INSERT INTO incident_report_personal (tenant_id, report_id, version, data)
       SELECT $1, r, v, p FROM unnest($2::text[], $3::int[], $4::jsonb[]) AS u(r, v, p) ON CONFLICT DO NOTHING`,
      [tenantId, personal.map((r) => r.reportId), personal.map((r) => r.version), personal.map((r) => r.personal)],
    );
  }
  return res.length;
}

export async function reportsOf(sql: Sql, tenantId: string, incidentId: string): Promise<ReportRow[]> {
  return sql.query<ReportRow>('SELECT * FROM incident_reports WHERE tenant_id = $1 AND incident_id = $2 ORDER BY report_id, version', [tenantId, incidentId]);
}

export async function reportPersonal(sql: Sql, tenantId: string, reportId: string) {
  return sql.query<{ version: number; data: any }>('SELECT version, data FROM incident_report_personal WHERE tenant_id = $1 AND report_id = $2 ORDER BY version', [tenantId, reportId]);
}

// ---- signals and defect assessments --------------------------------------------------------------

export type AssessmentRow = {
  id: string; signature: string; cdas_function: string; fault_code: string; software_version: string; ecu: string | null; status: string;
  trigger: any; decision: any; opened_at: Date; decided_at: Date | null; decided_by: any;
};

/**
 * Windows of `windowDays` Shanghai days ending on each day from `fromDay` to `toDay + windowDays - 1`
 * (every window that can hold a day touched now), counting distinct vehicles; returns the first
 * window per signature that reaches the threshold. Signatures with an undecided or recall assessment
 * are skipped; after a no-recall decision only days after it count.
 */
export async function escalatingSignatures(sql: Sql, tenantId: string, signatures: string[], p: { windowDays: number; vehicles: number }) {
  if (signatures.length === 0) return [];
  const decided = await sql.query<{ signature: string; status: string; since: string | null }>(
    `SELECT signature, status, (decided_at AT TIME ZONE 'Asia/Shanghai')::date::text AS since FROM defect_assessments
      WHERE tenant_id = $1 AND signature = ANY($2::text[])`, [tenantId, signatures]);
  const skip = new Set(decided.filter((d) => d.status !== 'no-recall').map((d) => d.signature));
  const since = new Map<string, string>();
  for (const d of decided) if (d.status === 'no-recall' && d.since && (!since.has(d.signature) || since.get(d.signature)! < d.since)) since.set(d.signature, d.since);
  const todo = signatures.filter((s) => !skip.has(s));
  if (todo.length === 0) return [];
  // Per signature, the windows are tried in day order and the first that reaches the threshold wins
  // (LATERAL ... LIMIT 1), so a signature that escalates early costs a few windows, not all of them.
  return sql.query<{ signature: string; from_day: string; to_day: string; vehicles: number }>(
    `WITH t AS MATERIALIZED (
       SELECT * FROM unnest($2::text[], $3::date[]) AS t(signature, since)
     )
     SELECT t.signature, (w.to_day - ($4::int - 1))::text AS from_day, w.to_day::text AS to_day, w.vehicles
       FROM t CROSS JOIN LATERAL (
         SELECT e.day AS to_day, c.vehicles
           FROM (SELECT d.day FROM incident_signal_days d
                  WHERE d.tenant_id = $1 AND d.signature = t.signature AND (t.since IS NULL OR d.day > t.since)) e
           CROSS JOIN LATERAL (
             SELECT count(DISTINCT v.vin)::int AS vehicles FROM incident_signal_days s CROSS JOIN LATERAL unnest(s.vins) AS v(vin)
              WHERE s.tenant_id = $1 AND s.signature = t.signature AND s.day > e.day - $4::int AND s.day <= e.day
                AND (t.since IS NULL OR s.day > t.since)
           ) c
          WHERE c.vehicles >= $5
          ORDER BY e.day
          LIMIT 1
       ) w
      ORDER BY t.signature`,
    [tenantId, todo, todo.map((s) => since.get(s) ?? null), p.windowDays, p.vehicles],
  );
}

export async function signatureParts(sql: Sql, tenantId: string, signatures: string[]) {
  return sql.query<{ signature: string; cdas_function: string; fault_code: string; software_version: string; ecu: string | null; first_seen: Date }>(
    'SELECT * FROM incident_signatures WHERE tenant_id = $1 AND signature = ANY($2::text[])', [tenantId, signatures]);
}

export async function insertAssessment(sql: Sql, tenantId: string, a: Omit<AssessmentRow, 'status' | 'decision' | 'decided_at' | 'decided_by'>): Promise<AssessmentRow | undefined> {
  return sql.maybeOne<AssessmentRow>(
    `INSERT INTO defect_assessments (id, tenant_id, signature, cdas_function, fault_code, software_version, ecu, status, trigger, opened_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,'open',$8,$9) ON CONFLICT DO NOTHING RETURNING *`,
    [a.id, tenantId, a.signature, a.cdas_function, a.fault_code, a.software_version, a.ecu, JSON.stringify(a.trigger), a.opened_at],
  );
}

/** insertAssessment for many, in one statement; answers the rows inserted (a signature already under assessment is left out). */
export async function insertAssessments(sql: Sql, tenantId: string, rows: Omit<AssessmentRow, 'status' | 'decision' | 'decided_at' | 'decided_by'>[]): Promise<AssessmentRow[]> {
  if (rows.length === 0) return [];
  return sql.query<AssessmentRow>(
    `INSERT INTO defect_assessments (id, tenant_id, signature, cdas_function, fault_code, software_version, ecu, status, trigger, opened_at)
     SELECT id, $1, signature, cdas_function, fault_code, software_version, ecu, 'open', trigger, opened_at
       FROM json_to_recordset($2::json) AS u(n int, id text, signature text, cdas_function text, fault_code text, software_version text, ecu text, trigger jsonb, opened_at timestamptz)
      ORDER BY n
     ON CONFLICT DO NOTHING RETURNING *`,
    [tenantId, JSON.stringify(rows.map((r, n) => ({ ...r, n })))],
  );
}

export async function decideAssessment(sql: Sql, tenantId: string, id: string, status: 'recall' | 'no-recall', decision: unknown, now: Date, actor: unknown): Promise<AssessmentRow | undefined> {
  return sql.maybeOne<AssessmentRow>(
    `UPDATE defect_assessments SET status = $3, decision = $4, decided_at = $5, decided_by = $6
      WHERE tenant_id = $1 AND id = $2 AND status = 'open' RETURNING *`,
    [tenantId, id, status, JSON.stringify(decision), now, JSON.stringify(actor)],
  );
}

export async function getAssessment(sql: Sql, tenantId: string, id: string): Promise<AssessmentRow | undefined> {
  return sql.maybeOne<AssessmentRow>('SELECT * FROM defect_assessments WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
}

export async function listAssessments(sql: Sql, tenantId: string, statuses?: string[]): Promise<AssessmentRow[]> {
  return sql.query<AssessmentRow>(
    `SELECT * FROM defect_assessments WHERE tenant_id = $1 ${statuses ? 'AND status = ANY($2::text[])' : ''} ORDER BY opened_at DESC, id`,
    statuses ? [tenantId, statuses] : [tenantId],
  );
}

/** Signatures by distinct vehicles in the window ending `toDay`, with a daily series for charts. */
export async function signalSummary(sql: Sql, tenantId: string, p: { fromDay: string; toDay: string; limit: number }) {
  return sql.query<{ signature: string; cdas_function: string; fault_code: string; software_version: string; ecu: string | null; vehicles: number; events: number; series: { day: string; vehicles: number; events: number }[] }>(
    `WITH w AS (
       SELECT signature, day, cardinality(vins) AS vehicles, cardinality(vins) AS events FROM incident_signal_days
        WHERE tenant_id = $1 AND day >= $2::date AND day <= $3::date
     ), top AS (
       SELECT d.signature, count(DISTINCT v.vin)::int AS vehicles, count(*)::int AS events FROM incident_signal_days d CROSS JOIN LATERAL unnest(d.vins) AS v(vin)
        WHERE d.tenant_id = $1 AND d.day >= $2::date AND d.day <= $3::date GROUP BY d.signature ORDER BY 2 DESC, 1 LIMIT $4
     )
     SELECT top.signature, s.cdas_function, s.fault_code, s.software_version, s.ecu, top.vehicles, top.events,
            (SELECT coalesce(json_agg(json_build_object('day', w.day::text, 'vehicles', w.vehicles, 'events', w.events) ORDER BY w.day), '[]')
               FROM w WHERE w.signature = top.signature) AS series
       FROM top JOIN incident_signatures s ON s.tenant_id = $1 AND s.signature = top.signature
      ORDER BY top.vehicles DESC, top.signature`,
    [tenantId, p.fromDay, p.toDay, p.limit],
  );
}

export async function blockedAssessments(sql: Sql, tenantId: string): Promise<AssessmentRow[]> {
  return sql.query<AssessmentRow>(`SELECT * FROM defect_assessments WHERE tenant_id = $1 AND status IN ('open', 'recall') ORDER BY opened_at, id`, [tenantId]);
}

// ---- batches ------------------------------------------------------------------------------------

export async function insertBatch(sql: Sql, tenantId: string, b: { id: string; idempotencyKey: string | null; digest: string; received: number; inserted: number; duplicates: number; now: Date }): Promise<void> {
  await sql.query(
    `INSERT INTO incident_batches (id, tenant_id, idempotency_key, digest, received, inserted, duplicates, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
    [b.id, tenantId, b.idempotencyKey, b.digest, b.received, b.inserted, b.duplicates, b.now],
  );
}

/** Whether an Idempotency-Key was used in this scope (the platform's idempotency_keys table). */
export async function idempotencyKeyUsed(sql: Sql, tenantId: string, scope: string, key: string): Promise<boolean> {
  return !!(await sql.maybeOne('SELECT 1 FROM idempotency_keys WHERE tenant_id = $1 AND scope = $2 AND key = $3', [tenantId, scope, key]));
}

export async function countEvents(sql: Sql, tenantId: string): Promise<number> {
  return (await sql.one<{ n: number }>('SELECT count(*)::int AS n FROM incident_events WHERE tenant_id = $1', [tenantId])).n;
}
