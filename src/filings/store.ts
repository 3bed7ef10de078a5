import type { Sql } from '../platform/db.ts';
import type { Authority, FilingKind, SubjectType } from './kinds.ts';
import type { DecisionKind, FilingState } from './model.ts';

/** The only SQL of the filings slice. Manufacturer functions take the tenant id first; regulator reads go through `addressedTo`. */

export type FilingRow = {
  id: string; tenantId: string; kind: FilingKind; addressee: Authority; subjectType: SubjectType; subjectId: string; version: number;
  supersedes: string | null; supersededBy: string | null; schemaId: string; document: any; contentDigest: string; subjectDigest: string | null;
  manifest: any; packageSha256: string; packageSize: number; pdfSha256: string; state: FilingState;
  createdBy: { id: string; name: string }; createdAt: Date; manufacturerName: { zh: string; en: string };
};
export type SubmissionRow = {
  id: string; tenantId: string; filingId: string; addressee: string; channel: string; submittedOn: string; reference: string | null;
  note: string | null; packageSha256: string; obligationIds: string[]; recordedBy: { id: string; name: string }; recordedAt: Date;
};
export type DecisionRow = {
  id: string; tenantId: string; filingId: string; authority: Authority; regulatorTenantId: string; decision: DecisionKind; reason: string | null;
  reference: string | null; decidedOn: string; decidedBy: { id: string; name: string }; obligationIds: string[]; recordedAt: Date;
};

const FILING_COLS = `f.id, f.tenant_id AS "tenantId", f.kind, f.addressee, f.subject_type AS "subjectType", f.subject_id AS "subjectId",
  f.version, f.supersedes, f.superseded_by AS "supersededBy", f.schema_id AS "schemaId", f.document, f.content_digest AS "contentDigest",
  f.subject_digest AS "subjectDigest", f.manifest, f.package_sha256 AS "packageSha256", f.package_size AS "packageSize",
  f.pdf_sha256 AS "pdfSha256", f.state, f.created_by AS "createdBy", f.created_at AS "createdAt",
  jsonb_build_object('zh', t.name_zh, 'en', t.name_en) AS "manufacturerName"`;
const FROM = `FROM filings f JOIN tenants t ON t.id = f.tenant_id`;

export type NewFiling = Omit<FilingRow, 'supersededBy' | 'state' | 'manufacturerName'>;

export async function insertFiling(sql: Sql, tenantId: string, f: NewFiling): Promise<void> {
  await sql.query(
    `INSERT INTO filings (id, tenant_id, kind, addressee, subject_type, subject_id, version, supersedes, schema_id, document, content_digest,
       subject_digest, manifest, package_sha256, package_size, pdf_sha256, state, created_by, created_at, updated_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,'built',$17,$18,$18)`,
    [f.id, tenantId, f.kind, f.addressee, f.subjectType, f.subjectId, f.version, f.supersedes, f.schemaId, JSON.stringify(f.document),
      f.contentDigest, f.subjectDigest, JSON.stringify(f.manifest), f.packageSha256, f.packageSize, f.pdfSha256, JSON.stringify(f.createdBy), f.createdAt],
  );
}

export function getFiling(sql: Sql, tenantId: string, id: string): Promise<FilingRow | undefined> {
  return sql.maybeOne<FilingRow>(`SELECT ${FILING_COLS} ${FROM} WHERE f.tenant_id = $1 AND f.id = $2`, [tenantId, id]);
}

/** Locks the chain head so two corrections of the same filing cannot both become version n+1. */
export function latestInChain(sql: Sql, tenantId: string, kind: string, addressee: string, subjectId: string): Promise<FilingRow | undefined> {
  return sql.maybeOne<FilingRow>(
    `SELECT ${FILING_COLS} ${FROM} WHERE f.tenant_id = $1 AND f.kind = $2 AND f.addressee = $3 AND f.subject_id = $4
      ORDER BY f.version DESC LIMIT 1 FOR UPDATE OF f`,
    [tenantId, kind, addressee, subjectId],
  );
}

export async function listFilings(sql: Sql, tenantId: string, q: { kind?: string; state?: string; subject?: string; addressee?: string; limit: number; offset: number }) {
  const where = ['f.tenant_id = $1'];
  const params: unknown[] = [tenantId];
  for (const [col, v] of [['f.kind', q.kind], ['f.state', q.state], ['f.subject_id', q.subject], ['f.addressee', q.addressee]] as const) {
    if (v) { params.push(v); where.push(`${col} = $${params.length}`); }
  }
  const total = (await sql.one<{ n: number }>(`SELECT count(*)::int AS n ${FROM} WHERE ${where.join(' AND ')}`, params)).n;
  params.push(q.limit, q.offset);
  const items = await sql.query<FilingRow>(
    `SELECT ${FILING_COLS} ${FROM} WHERE ${where.join(' AND ')} ORDER BY f.created_at DESC, f.id DESC LIMIT $${params.length - 1} OFFSET $${params.length}`, params);
  return { items, total };
}

export function filingsOfSubject(sql: Sql, tenantId: string, subjectType: string, subjectId: string): Promise<FilingRow[]> {
  return sql.query<FilingRow>(`SELECT ${FILING_COLS} ${FROM} WHERE f.tenant_id = $1 AND f.subject_type = $2 AND f.subject_id = $3
    ORDER BY f.kind, f.addressee, f.version`, [tenantId, subjectType, subjectId]);
}

/** A conditional transition: no row when the filing is not in one of the expected states (caller answers 409). */
export function transition(sql: Sql, tenantId: string, id: string, from: readonly FilingState[], to: FilingState, now: Date): Promise<{ id: string } | undefined> {
  return sql.maybeOne(
    `UPDATE filings SET state = $4, updated_at = $5 WHERE tenant_id = $1 AND id = $2 AND state = ANY($3::text[]) AND superseded_by IS NULL RETURNING id`,
    [tenantId, id, from, to, now],
  );
}

export async function markSuperseded(sql: Sql, tenantId: string, id: string, by: string, now: Date): Promise<boolean> {
  const rows = await sql.query(`UPDATE filings SET superseded_by = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2 AND superseded_by IS NULL RETURNING id`,
    [tenantId, id, by, now]);
  return rows.length === 1;
}

const SUB_COLS = `id, tenant_id AS "tenantId", filing_id AS "filingId", addressee, channel, submitted_on AS "submittedOn", reference, note,
  package_sha256 AS "packageSha256", obligation_ids AS "obligationIds", recorded_by AS "recordedBy", recorded_at AS "recordedAt"`;

export async function insertSubmission(sql: Sql, tenantId: string, s: Omit<SubmissionRow, 'tenantId'>): Promise<void> {
  await sql.query(
    `INSERT INTO filing_submissions (id, tenant_id, filing_id, addressee, channel, submitted_on, reference, note, package_sha256, obligation_ids, recorded_by, recorded_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
    [s.id, tenantId, s.filingId, s.addressee, s.channel, s.submittedOn, s.reference, s.note, s.packageSha256, JSON.stringify(s.obligationIds),
      JSON.stringify(s.recordedBy), s.recordedAt],
  );
}

export function submissionByReference(sql: Sql, tenantId: string, filingId: string, reference: string): Promise<SubmissionRow | undefined> {
  return sql.maybeOne<SubmissionRow>(`SELECT ${SUB_COLS} FROM filing_submissions WHERE tenant_id = $1 AND filing_id = $2 AND reference = $3`, [tenantId, filingId, reference]);
}

export function submissionsOf(sql: Sql, tenantId: string, filingIds: string[]): Promise<SubmissionRow[]> {
  return sql.query<SubmissionRow>(`SELECT ${SUB_COLS} FROM filing_submissions WHERE tenant_id = $1 AND filing_id = ANY($2::text[]) ORDER BY recorded_at, id`, [tenantId, filingIds]);
}

const DEC_COLS = `id, tenant_id AS "tenantId", filing_id AS "filingId", authority, regulator_tenant_id AS "regulatorTenantId", decision, reason, reference,
  decided_on AS "decidedOn", decided_by AS "decidedBy", obligation_ids AS "obligationIds", recorded_at AS "recordedAt"`;

export async function insertDecision(sql: Sql, tenantId: string, d: Omit<DecisionRow, 'tenantId'>): Promise<void> {
  await sql.query(
    `INSERT INTO filing_decisions (id, tenant_id, filing_id, authority, regulator_tenant_id, decision, reason, reference, decided_on, decided_by, obligation_ids, recorded_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
    [d.id, tenantId, d.filingId, d.authority, d.regulatorTenantId, d.decision, d.reason, d.reference, d.decidedOn, JSON.stringify(d.decidedBy),
      JSON.stringify(d.obligationIds), d.recordedAt],
  );
}

export function decisionsOf(sql: Sql, tenantId: string, filingIds: string[]): Promise<DecisionRow[]> {
  return sql.query<DecisionRow>(`SELECT ${DEC_COLS} FROM filing_decisions WHERE tenant_id = $1 AND filing_id = ANY($2::text[]) ORDER BY recorded_at, id`, [tenantId, filingIds]);
}

export type TenantFacts = { id: string; kind: string; nameZh: string; nameEn: string; overseas: boolean; country: string | null; uscc: string | null;
  importer: { name: { zh: string; en: string }; uscc?: string } | null; regulator: Authority | null };

/** The tenant row as the package cover names it (read-only; the access slice owns the table). */
export function tenantFacts(sql: Sql, tenantId: string): Promise<TenantFacts | undefined> {
  return sql.maybeOne<TenantFacts>(
    `SELECT id, kind, name_zh AS "nameZh", name_en AS "nameEn", overseas, country, uscc, importer, regulator FROM tenants WHERE id = $1`, [tenantId]);
}

// ---- the regulator's view ----------------------------------------------------------------------------------
// Regulator transactions run with operator scope (they read across manufacturers), so row-level security
// does not narrow them: this one function is the only way they read filings, and it always filters by
// addressee and by "was submitted". Submissions and decisions are then loaded for the ids it returned.

export type AddressedQuery = { filingId?: string; kind?: string; state?: string; manufacturer?: string; limit?: number; offset?: number };

export async function addressedTo(sql: Sql, authority: Authority, q: AddressedQuery): Promise<{ items: FilingRow[]; total: number }> {
  const where = [`f.addressee = $1`, `f.state <> 'built'`];
  const params: unknown[] = [authority];
  for (const [col, v] of [['f.id', q.filingId], ['f.kind', q.kind], ['f.state', q.state], ['f.tenant_id', q.manufacturer]] as const) {
    if (v) { params.push(v); where.push(`${col} = $${params.length}`); }
  }
  const total = (await sql.one<{ n: number }>(`SELECT count(*)::int AS n ${FROM} WHERE ${where.join(' AND ')}`, params)).n;
  params.push(q.limit ?? 50, q.offset ?? 0);
  const items = await sql.query<FilingRow>(
    `SELECT ${FILING_COLS} ${FROM} WHERE ${where.join(' AND ')} ORDER BY f.created_at DESC, f.id DESC LIMIT $${params.length - 1} OFFSET $${params.length}`, params);
  return { items, total };
}
