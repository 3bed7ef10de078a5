// The only SQL of the obligations slice. The tenant id is the first parameter of every tenant query.
import type { Sql } from '../platform/db.ts';
import type { HolidaySchedule } from '../regimes/cn-2025/calendar.ts';
import type { ObligationSpec } from '../regimes/cn-2025/obligations.ts';
import type { Status, Submission } from './model.ts';

export type ObligationRow = {
  id: string; tenant_id: string; key: string; rule: string; part: string | null; source: string; regime: string; regime_version: string;
  subject_type: ObligationSpec['subjectType']; subject_id: string; addressee: ObligationSpec['addressee']; acting_party: string;
  title: { zh: string; en: string }; documents: string[];
  due_at: Date | null; due_date: string | null; due_provisional: boolean; due_basis: 'law' | 'policy'; due_condition: string; due_explain: string;
  gate: boolean; fulfilled_by: 'submission' | 'acceptance'; after_keys: string[];
  status: Status; status_reason: string | null; waiver_request: { by: { id: string; name: string }; at: string; justification: string } | null;
  decision_reference: string | null; created_at: Date; updated_at: Date;
  has_reference?: boolean;
};

const COLS = `o.*, EXISTS (SELECT 1 FROM obligation_submissions s WHERE s.tenant_id = o.tenant_id AND s.obligation_id = o.id AND s.reference IS NOT NULL) AS has_reference`;

export async function getByKey(sql: Sql, tenantId: string, key: string): Promise<ObligationRow | undefined> {
  return sql.maybeOne<ObligationRow>(`SELECT ${COLS} FROM obligations o WHERE o.tenant_id = $1 AND o.key = $2`, [tenantId, key]);
}

export async function getById(sql: Sql, tenantId: string, id: string, forUpdate = false): Promise<ObligationRow | undefined> {
  if (forUpdate) await sql.query('SELECT 1 FROM obligations WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [tenantId, id]);
  return sql.maybeOne<ObligationRow>(`SELECT ${COLS} FROM obligations o WHERE o.tenant_id = $1 AND o.id = $2`, [tenantId, id]);
}

export async function insertObligation(sql: Sql, tenantId: string, id: string, s: ObligationSpec, now: Date): Promise<ObligationRow | undefined> {
  return sql.maybeOne<ObligationRow>(
    `INSERT INTO obligations (id, tenant_id, key, rule, part, source, regime, regime_version, subject_type, subject_id, addressee, acting_party,
       title, documents, due_at, due_date, due_provisional, due_basis, due_condition, due_explain, gate, fulfilled_by, after_keys, created_at, updated_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$24)
     ON CONFLICT (tenant_id, key) DO NOTHING RETURNING *, false AS has_reference`,
    [id, tenantId, s.key, s.rule, s.part, s.source, s.regime, s.regimeVersion, s.subjectType, s.subjectId, s.addressee, s.actingParty,
      JSON.stringify(s.title), JSON.stringify(s.documents), s.dueAt, s.dueDate, s.dueProvisional, s.dueBasis, s.dueCondition, s.dueExplain,
      s.gate, s.fulfilledBy, JSON.stringify(s.after), now],
  );
}

/** Spec fields as column arrays, in the order of SPEC_COLUMNS, for the set forms below (unnest: no parameter limit). */
const SPEC_COLUMNS = `source, regime, regime_version, title, documents, due_at, due_date, due_provisional, due_basis, due_condition, due_explain, gate,
  fulfilled_by, after_keys, acting_party`;
const SPEC_TYPES = `text[], text[], text[], jsonb[], jsonb[], timestamptz[], date[], boolean[], text[], text[], text[], boolean[], text[], jsonb[], text[]`;
function specArrays(specs: ObligationSpec[]): unknown[] {
  return [specs.map((s) => s.source), specs.map((s) => s.regime), specs.map((s) => s.regimeVersion), specs.map((s) => JSON.stringify(s.title)),
    specs.map((s) => JSON.stringify(s.documents)), specs.map((s) => s.dueAt), specs.map((s) => s.dueDate), specs.map((s) => s.dueProvisional),
    specs.map((s) => s.dueBasis), specs.map((s) => s.dueCondition), specs.map((s) => s.dueExplain), specs.map((s) => s.gate),
    specs.map((s) => s.fulfilledBy), specs.map((s) => JSON.stringify(s.after)), specs.map((s) => s.actingParty)];
}
const unnestSpecs = (first: number) => SPEC_TYPES.split(', ').map((t, i) => `$${first + i}::${t}`).join(', ');

/** insertObligation for many, in one statement; a key that exists already (or comes twice) is left out of the answer. */
export async function insertObligations(sql: Sql, tenantId: string, rows: { id: string; spec: ObligationSpec }[], now: Date): Promise<ObligationRow[]> {
  if (rows.length === 0) return [];
  // One JSON parameter: no parameter limit, nothing to escape into array literals.
  const json = rows.map(({ id, spec: s }, n) => ({
    n, id, key: s.key, rule: s.rule, part: s.part, subject_type: s.subjectType, subject_id: s.subjectId, addressee: s.addressee, source: s.source,
    regime: s.regime, regime_version: s.regimeVersion, title: s.title, documents: s.documents, due_at: s.dueAt, due_date: s.dueDate,
    due_provisional: s.dueProvisional, due_basis: s.dueBasis, due_condition: s.dueCondition, due_explain: s.dueExplain, gate: s.gate,
    fulfilled_by: s.fulfilledBy, after_keys: s.after, acting_party: s.actingParty,
  }));
  const types = SPEC_TYPES.split(', ').map((t) => t.slice(0, -2));
  const specCols = SPEC_COLUMNS.split(',').map((c, i) => `${c.trim()} ${types[i]}`).join(', ');
  return sql.query<ObligationRow>(
    `INSERT INTO obligations (id, tenant_id, key, rule, part, subject_type, subject_id, addressee, ${SPEC_COLUMNS}, created_at, updated_at)
     SELECT id, $1, key, rule, part, subject_type, subject_id, addressee, ${SPEC_COLUMNS}, $2, $2
       FROM json_to_recordset($3::json) AS u(n int, id text, key text, rule text, part text, subject_type text, subject_id text, addressee text, ${specCols})
      ORDER BY n
     ON CONFLICT (tenant_id, key) DO NOTHING RETURNING *, false AS has_reference`,
    [tenantId, now, JSON.stringify(json)],
  );
}

/** updateDerived for many, in one statement (each id once). */
export async function updateDerivedMany(sql: Sql, tenantId: string, rows: { id: string; spec: ObligationSpec }[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  const cols = SPEC_COLUMNS.split(',').map((c) => c.trim());
  await sql.query(
    `UPDATE obligations o SET ${cols.map((c) => `${c} = u.${c}`).join(', ')}, updated_at = $2
       FROM unnest($3::text[], ${unnestSpecs(4)}) AS u(id, ${SPEC_COLUMNS})
      WHERE o.tenant_id = $1 AND o.id = u.id`,
    [tenantId, now, rows.map((r) => r.id), ...specArrays(rows.map((r) => r.spec))],
  );
}

/** transition for many ids with the same change; answers the rows that moved. */
export async function transitionMany(
  sql: Sql, tenantId: string, ids: string[], from: Status[], to: Status, set: { reason?: string | null }, now: Date,
): Promise<ObligationRow[]> {
  if (ids.length === 0) return [];
  return sql.query<ObligationRow>(
    `UPDATE obligations SET status = $4, status_reason = $5, waiver_request = NULL, updated_at = $6
     WHERE tenant_id = $1 AND id = ANY($2::text[]) AND status = ANY($3::text[]) RETURNING *`,
    [tenantId, ids, from, to, set.reason ?? null, now],
  );
}

/** Refreshes what the rules derive (due date, documents, order); never touches status or history. */
export async function updateDerived(sql: Sql, tenantId: string, id: string, s: ObligationSpec, now: Date): Promise<void> {
  await sql.query(
    `UPDATE obligations SET source = $3, regime = $4, regime_version = $5, title = $6, documents = $7, due_at = $8, due_date = $9,
       due_provisional = $10, due_basis = $11, due_condition = $12, due_explain = $13, gate = $14, fulfilled_by = $15, after_keys = $16,
       acting_party = $17, updated_at = $18
     WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id, s.source, s.regime, s.regimeVersion, JSON.stringify(s.title), JSON.stringify(s.documents), s.dueAt, s.dueDate,
      s.dueProvisional, s.dueBasis, s.dueCondition, s.dueExplain, s.gate, s.fulfilledBy, JSON.stringify(s.after), s.actingParty, now],
  );
}

/** Conditional transition: zero rows when the status is no longer one of `from`. */
export async function transition(
  sql: Sql, tenantId: string, id: string, from: Status[], to: Status,
  set: { reason?: string | null; waiverRequest?: unknown; decisionReference?: string | null }, now: Date,
): Promise<ObligationRow | undefined> {
  return sql.maybeOne<ObligationRow>(
    `UPDATE obligations SET status = $4, status_reason = $5, waiver_request = $6, decision_reference = COALESCE($7, decision_reference), updated_at = $8
     WHERE tenant_id = $1 AND id = $2 AND status = ANY($3::text[]) RETURNING *`,
    [tenantId, id, from, to, set.reason ?? null, set.waiverRequest === undefined ? null : JSON.stringify(set.waiverRequest), set.decisionReference ?? null, now],
  );
}

export async function setWaiverRequest(sql: Sql, tenantId: string, id: string, request: unknown, now: Date): Promise<ObligationRow | undefined> {
  return sql.maybeOne<ObligationRow>(
    `UPDATE obligations SET waiver_request = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2 AND status IN ('open', 'rejected') RETURNING *`,
    [tenantId, id, request === null ? null : JSON.stringify(request), now],
  );
}

export async function insertSubmission(sql: Sql, tenantId: string, s: Submission): Promise<void> {
  await sql.query(
    `INSERT INTO obligation_submissions (id, tenant_id, obligation_id, addressee, channel, submitted_at, reference, package_sha256, filing_id, note, recorded_by, recorded_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
    [s.id, tenantId, s.obligationId, s.addressee, s.channel, s.submittedAt, s.reference, s.packageSha256, s.filingId, s.note, JSON.stringify(s.recordedBy), s.recordedAt],
  );
}

type SubmissionRow = {
  id: string; obligation_id: string; addressee: string; channel: string; submitted_at: Date; reference: string | null; package_sha256: string | null;
  filing_id: string | null; note: string | null; recorded_by: { id: string; name: string }; recorded_at: Date;
};
export async function submissionsOf(sql: Sql, tenantId: string, obligationIds: string[]): Promise<Submission[]> {
  if (obligationIds.length === 0) return [];
  const rows = await sql.query<SubmissionRow>(
    `SELECT * FROM obligation_submissions WHERE tenant_id = $1 AND obligation_id = ANY($2::text[]) ORDER BY submitted_at, recorded_at`,
    [tenantId, obligationIds],
  );
  return rows.map((r) => ({
    id: r.id, obligationId: r.obligation_id, addressee: r.addressee, channel: r.channel, submittedAt: r.submitted_at.toISOString(),
    reference: r.reference, packageSha256: r.package_sha256, filingId: r.filing_id, note: r.note, recordedBy: r.recorded_by,
    recordedAt: r.recorded_at.toISOString(),
  }));
}

export async function bySubject(sql: Sql, tenantId: string, subjectType: string, subjectId: string): Promise<ObligationRow[]> {
  return sql.query<ObligationRow>(
    `SELECT ${COLS} FROM obligations o WHERE o.tenant_id = $1 AND o.subject_type = $2 AND o.subject_id = $3 ORDER BY o.due_at NULLS LAST, o.key`,
    [tenantId, subjectType, subjectId],
  );
}

export async function byKeys(sql: Sql, tenantId: string, keys: string[]): Promise<ObligationRow[]> {
  if (keys.length === 0) return [];
  return sql.query<ObligationRow>(`SELECT ${COLS} FROM obligations o WHERE o.tenant_id = $1 AND o.key = ANY($2::text[])`, [tenantId, keys]);
}

export type ListFilter = {
  status?: Status; addressee?: string; subjectType?: string; subject?: string; rule?: string;
  dueBeforeAt?: Date; dueAfterAt?: Date; overdue?: boolean; dueSoon?: boolean; now: Date; dueSoonUntil: Date; limit: number; offset: number;
};

const ACTIVE = `o.status IN ('open', 'rejected')`;

export async function list(sql: Sql, tenantId: string, f: ListFilter): Promise<{ rows: ObligationRow[]; total: number }> {
  const where: string[] = ['o.tenant_id = $1'];
  const p: unknown[] = [tenantId];
  const add = (cond: (n: string) => string, v: unknown) => { p.push(v); where.push(cond(`$${p.length}`)); };
  if (f.status) add((n) => `o.status = ${n}`, f.status);
  if (f.addressee) add((n) => `o.addressee = ${n}`, f.addressee);
  if (f.subjectType) add((n) => `o.subject_type = ${n}`, f.subjectType);
  if (f.subject) add((n) => `o.subject_id = ${n}`, f.subject);
  if (f.rule) add((n) => `o.rule = ${n}`, f.rule);
  if (f.dueBeforeAt) add((n) => `o.due_at <= ${n}`, f.dueBeforeAt);
  if (f.dueAfterAt) add((n) => `o.due_at >= ${n}`, f.dueAfterAt);
  if (f.overdue !== undefined) add((n) => `${f.overdue ? '' : 'NOT '}(${ACTIVE} AND o.due_at IS NOT NULL AND o.due_at < ${n})`, f.now);
  if (f.dueSoon !== undefined) {
    p.push(f.now, f.dueSoonUntil);
    where.push(`${f.dueSoon ? '' : 'NOT '}(${ACTIVE} AND o.due_at IS NOT NULL AND o.due_at >= $${p.length - 1} AND o.due_at <= $${p.length})`);
  }
  const w = where.join(' AND ');
  const total = (await sql.one<{ n: number }>(`SELECT count(*)::int AS n FROM obligations o WHERE ${w}`, p)).n;
  p.push(f.limit, f.offset);
  const rows = await sql.query<ObligationRow>(
    `SELECT ${COLS} FROM obligations o WHERE ${w} ORDER BY o.due_at NULLS LAST, o.key LIMIT $${p.length - 1} OFFSET $${p.length}`, p);
  return { rows, total };
}

export type CountRow = { addressee: string; subject_type: string; subject_id: string; open: number; overdue: number; due_soon: number; provisional: number };
export async function counts(sql: Sql, tenantId: string, now: Date, dueSoonUntil: Date): Promise<CountRow[]> {
  return sql.query<CountRow>(
    `SELECT o.addressee, o.subject_type, o.subject_id,
            count(*) FILTER (WHERE ${ACTIVE})::int AS open,
            count(*) FILTER (WHERE ${ACTIVE} AND o.due_at < $2)::int AS overdue,
            count(*) FILTER (WHERE ${ACTIVE} AND o.due_at >= $2 AND o.due_at <= $3)::int AS due_soon,
            count(*) FILTER (WHERE ${ACTIVE} AND o.due_provisional)::int AS provisional
       FROM obligations o WHERE o.tenant_id = $1 GROUP BY 1, 2, 3`,
    [tenantId, now, dueSoonUntil],
  );
}

// ---- tenants (read only: the facts and policy the rules need) -----------------------------------

export type TenantFacts = { id: string; kind: string; overseas: boolean; policy: Record<string, unknown>; created_at: Date };
export async function tenantFacts(sql: Sql, tenantId: string): Promise<TenantFacts | undefined> {
  return sql.maybeOne<TenantFacts>('SELECT id, kind, overseas, policy, created_at FROM tenants WHERE id = $1', [tenantId]);
}
/** Operator scope: every manufacturer tenant (for the back-fill sweep). */
export async function manufacturerTenants(sql: Sql): Promise<TenantFacts[]> {
  return sql.query<TenantFacts>(`SELECT id, kind, overseas, policy, created_at FROM tenants WHERE kind = 'manufacturer' ORDER BY id`);
}
export async function hasOtaProductObligation(sql: Sql, tenantId: string): Promise<boolean> {
  return !!(await sql.maybeOne(`SELECT 1 FROM obligations WHERE tenant_id = $1 AND rule = 'M22-1b' LIMIT 1`, [tenantId]));
}

// ---- reminders (operator scope across tenants) --------------------------------------------------

export type ReminderRow = { id: string; tenant_id: string; key: string; rule: string; addressee: string; subject_type: string; subject_id: string;
  title: { zh: string; en: string }; due_at: Date; due_date: string | null; due_provisional: boolean; status: string };
/** Active obligations due before `until` (overdue ones included). */
export async function activeDueBefore(sql: Sql, until: Date): Promise<ReminderRow[]> {
  return sql.query<ReminderRow>(
    `SELECT id, tenant_id, key, rule, addressee, subject_type, subject_id, title, due_at, due_date, due_provisional, status
       FROM obligations o WHERE ${ACTIVE} AND o.due_at IS NOT NULL AND o.due_at <= $1 ORDER BY o.due_at`,
    [until],
  );
}
export async function tenantPolicies(sql: Sql, tenantIds: string[]): Promise<Map<string, Record<string, unknown>>> {
  if (tenantIds.length === 0) return new Map();
  const rows = await sql.query<{ id: string; policy: Record<string, unknown> }>('SELECT id, policy FROM tenants WHERE id = ANY($1::text[])', [tenantIds]);
  return new Map(rows.map((r) => [r.id, r.policy]));
}
export async function tryAdvisoryXactLock(sql: Sql, key: number): Promise<boolean> {
  return (await sql.one<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [key])).ok;
}

// ---- calendar schedules (operator data, not tenant data) ----------------------------------------

type ScheduleRow = { year: number; source: string; issued: string; off_days: string[]; working_weekends: string[]; loaded_by: { id: string; name: string }; loaded_at: Date };
export async function loadedSchedules(sql: Sql): Promise<(HolidaySchedule & { loadedBy: { id: string; name: string }; loadedAt: string })[]> {
  const rows = await sql.query<ScheduleRow>('SELECT * FROM calendar_schedules ORDER BY year');
  return rows.map((r) => ({ year: r.year, source: r.source, issued: r.issued, offDays: r.off_days, workingWeekends: r.working_weekends,
    loadedBy: r.loaded_by, loadedAt: r.loaded_at.toISOString() }));
}
export async function upsertSchedule(sql: Sql, s: HolidaySchedule, by: { id: string; name: string }, now: Date): Promise<void> {
  await sql.query(
    `INSERT INTO calendar_schedules (year, source, issued, off_days, working_weekends, loaded_by, loaded_at) VALUES ($1,$2,$3,$4,$5,$6,$7)
     ON CONFLICT (year) DO UPDATE SET source = $2, issued = $3, off_days = $4, working_weekends = $5, loaded_by = $6, loaded_at = $7`,
    [s.year, s.source, s.issued, JSON.stringify(s.offDays), JSON.stringify(s.workingWeekends), JSON.stringify(by), now],
  );
}

export type ReminderEventRow = { id: number; type: string; subject_id: string; payload: { obligation?: Record<string, unknown> }; created_at: Date };
/** The reminder events the sweep put in the outbox for this tenant, newest first (what webhooks receive). */
export async function recentReminders(sql: Sql, tenantId: string, limit: number): Promise<ReminderEventRow[]> {
  return sql.query<ReminderEventRow>(
    `SELECT id, type, subject_id, payload, created_at FROM outbox
      WHERE tenant_id = $1 AND type IN ('obligation.due_soon', 'obligation.overdue') ORDER BY id DESC LIMIT $2`,
    [tenantId, limit],
  );
}
