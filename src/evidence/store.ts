// The only SQL of the evidence slice. The tenant id is the first parameter of every function.
import type { Sql } from '../platform/db.ts';
import type { Evidence, EvidenceLink } from './model.ts';

type Row = {
  id: string; sha256: string; size: number; content_type: string; filename: string | null; title: string; lab: string; report_no: string;
  issued_on: string; valid_until: string | null; uploaded_by: string; created_at: Date;
};
const toEvidence = (r: Row): Evidence => ({
  id: r.id, sha256: r.sha256, size: Number(r.size), contentType: r.content_type, filename: r.filename, title: r.title, lab: r.lab,
  reportNo: r.report_no, issuedOn: r.issued_on, validUntil: r.valid_until, uploadedBy: r.uploaded_by, createdAt: r.created_at.toISOString(),
});

export async function insertEvidence(sql: Sql, tenantId: string, e: Omit<Evidence, 'createdAt'>, now: Date): Promise<Evidence | undefined> {
  const r = await sql.maybeOne<Row>(
    `INSERT INTO evidence (id, tenant_id, sha256, size, content_type, filename, title, lab, report_no, issued_on, valid_until, uploaded_by, created_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13) ON CONFLICT (tenant_id, sha256) DO NOTHING RETURNING *`,
    [e.id, tenantId, e.sha256, e.size, e.contentType, e.filename, e.title, e.lab, e.reportNo, e.issuedOn, e.validUntil, e.uploadedBy, now],
  );
  return r && toEvidence(r);
}

export async function getBySha(sql: Sql, tenantId: string, sha256: string): Promise<Evidence | undefined> {
  const r = await sql.maybeOne<Row>('SELECT * FROM evidence WHERE tenant_id = $1 AND sha256 = $2', [tenantId, sha256]);
  return r && toEvidence(r);
}

export async function listEvidence(sql: Sql, tenantId: string): Promise<Evidence[]> {
  return (await sql.query<Row>('SELECT * FROM evidence WHERE tenant_id = $1 ORDER BY created_at DESC, id', [tenantId])).map(toEvidence);
}

export async function link(sql: Sql, tenantId: string, l: { setId: string; key: string; evidenceId: string; by: string }, now: Date): Promise<boolean> {
  const rows = await sql.query(
    `INSERT INTO evidence_links (tenant_id, parameter_set_id, key, evidence_id, created_at, created_by) VALUES ($1,$2,$3,$4,$5,$6)
     ON CONFLICT DO NOTHING RETURNING key`,
    [tenantId, l.setId, l.key, l.evidenceId, now, l.by],
  );
  return rows.length > 0;
}

export async function linksForSets(sql: Sql, tenantId: string, setIds: string[]): Promise<EvidenceLink[]> {
  if (setIds.length === 0) return [];
  const rows = await sql.query<Row & { parameter_set_id: string; key: string }>(
    `SELECT e.*, l.parameter_set_id, l.key FROM evidence_links l JOIN evidence e ON e.id = l.evidence_id
      WHERE l.tenant_id = $1 AND l.parameter_set_id = ANY($2::text[]) ORDER BY l.key, e.issued_on DESC, e.id`,
    [tenantId, setIds],
  );
  return rows.map((r) => ({ parameterSetId: r.parameter_set_id, key: r.key, evidence: toEvidence(r) }));
}

export async function copyLinks(sql: Sql, tenantId: string, fromSetId: string, toSetId: string, now: Date, by: string): Promise<void> {
  await sql.query(
    `INSERT INTO evidence_links (tenant_id, parameter_set_id, key, evidence_id, created_at, created_by)
     SELECT tenant_id, $3, key, evidence_id, $4, $5 FROM evidence_links WHERE tenant_id = $1 AND parameter_set_id = $2
     ON CONFLICT DO NOTHING`,
    [tenantId, fromSetId, toSetId, now, by],
  );
}

/** Every evidence file of one tenant, or of all tenants for an operator sweep (`tenantId` null, operator scope). */
export async function evidenceFiles(sql: Sql, tenantId: string | null): Promise<{ tenant_id: string; sha256: string; report_no: string; title: string }[]> {
  return sql.query(
    `SELECT tenant_id, sha256, report_no, title FROM evidence ${tenantId ? 'WHERE tenant_id = $1' : ''} ORDER BY tenant_id, created_at`,
    tenantId ? [tenantId] : [],
  );
}
