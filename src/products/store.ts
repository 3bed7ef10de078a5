// The only SQL of the products slice. The tenant id is the first parameter of every function.
import type { Sql } from '../platform/db.ts';
import type { ParameterSet, Product } from './model.ts';

type ProductRow = {
  id: string; tenant_id: string; model: string; name_zh: string; name_en: string; category: string; manufacturer: { zh: string; en: string } | null;
  cdas: boolean; ota: boolean; automation_level: number; access_status: Product['access']['status']; announcement_batch: string | null;
  approval_date: string | null; baseline_version: number | null; created_at: Date; updated_at: Date;
};

const toProduct = (r: ProductRow): Product => ({
  id: r.id, tenantId: r.tenant_id, model: r.model, name: { zh: r.name_zh, en: r.name_en }, category: r.category,
  manufacturer: r.manufacturer, cdas: r.cdas, ota: r.ota, automationLevel: r.automation_level,
  access: { status: r.access_status, batch: r.announcement_batch, approvalDate: r.approval_date },
  baselineVersion: r.baseline_version, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
});

export async function insertProduct(sql: Sql, tenantId: string, p: Omit<Product, 'tenantId' | 'createdAt' | 'updatedAt' | 'baselineVersion'>, now: Date): Promise<Product | undefined> {
  const r = await sql.maybeOne<ProductRow>(
    `INSERT INTO products (id, tenant_id, model, name_zh, name_en, category, manufacturer, cdas, ota, automation_level,
       access_status, announcement_batch, approval_date, created_at, updated_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$14) ON CONFLICT (tenant_id, model) DO NOTHING RETURNING *`,
    [p.id, tenantId, p.model, p.name.zh, p.name.en, p.category, p.manufacturer ? JSON.stringify(p.manufacturer) : null, p.cdas, p.ota,
      p.automationLevel, p.access.status, p.access.batch, p.access.approvalDate, now],
  );
  return r && toProduct(r);
}

export async function getProduct(sql: Sql, tenantId: string, id: string): Promise<Product | undefined> {
  const r = await sql.maybeOne<ProductRow>('SELECT * FROM products WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  return r && toProduct(r);
}

export async function getProductByModel(sql: Sql, tenantId: string, model: string): Promise<Product | undefined> {
  const r = await sql.maybeOne<ProductRow>('SELECT * FROM products WHERE tenant_id = $1 AND model = $2', [tenantId, model]);
  return r && toProduct(r);
}

export async function listProducts(sql: Sql, tenantId: string): Promise<Product[]> {
  return (await sql.query<ProductRow>('SELECT * FROM products WHERE tenant_id = $1 ORDER BY model', [tenantId])).map(toProduct);
}

export async function updateProduct(sql: Sql, tenantId: string, p: Product, now: Date): Promise<Product> {
  return toProduct(await sql.one<ProductRow>(
    `UPDATE products SET name_zh = $3, name_en = $4, category = $5, manufacturer = $6, cdas = $7, ota = $8, automation_level = $9,
       access_status = $10, announcement_batch = $11, approval_date = $12, updated_at = $13
      WHERE tenant_id = $1 AND id = $2 RETURNING *`,
    [tenantId, p.id, p.name.zh, p.name.en, p.category, p.manufacturer ? JSON.stringify(p.manufacturer) : null, p.cdas, p.ota, p.automationLevel,
      p.access.status, p.access.batch, p.access.approvalDate, now],
  ));
}

export async function setBaseline(sql: Sql, tenantId: string, id: string, a: { version: number; status: Product['access']['status']; batch: string | null; approvalDate: string }, now: Date): Promise<Product> {
  return toProduct(await sql.one<ProductRow>(
    `UPDATE products SET baseline_version = $3, access_status = $4, announcement_batch = $5, approval_date = $6, updated_at = $7
      WHERE tenant_id = $1 AND id = $2 RETURNING *`,
    [tenantId, id, a.version, a.status, a.batch, a.approvalDate, now],
  ));
}

type SetRow = {
  id: string; product_id: string; version: number | null; status: ParameterSet['status']; catalog_version: string;
  param_values: ParameterSet['values']; unmapped: ParameterSet['unmapped']; digest: string | null; based_on: number | null;
  created_at: Date; updated_at: Date; submitted_at: Date | null; submitted_by: string | null;
  approval_reference: string | null; approval_date: string | null; approval_batch: string | null; approved_at: Date | null; approved_by: string | null;
};

const toSet = (r: SetRow): ParameterSet => ({
  id: r.id, productId: r.product_id, version: r.version, status: r.status, catalogVersion: r.catalog_version, values: r.param_values,
  unmapped: r.unmapped, digest: r.digest, basedOn: r.based_on, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
  submittedAt: r.submitted_at?.toISOString() ?? null, submittedBy: r.submitted_by,
  approval: r.approval_reference ? { reference: r.approval_reference, date: r.approval_date!, batch: r.approval_batch, recordedAt: r.approved_at!.toISOString(), recordedBy: r.approved_by! } : null,
});

export async function getDraft(sql: Sql, tenantId: string, productId: string, lock = false): Promise<ParameterSet | undefined> {
  const r = await sql.maybeOne<SetRow>(`SELECT * FROM parameter_sets WHERE tenant_id = $1 AND product_id = $2 AND status = 'draft'${lock ? ' FOR UPDATE' : ''}`, [tenantId, productId]);
  return r && toSet(r);
}

export async function getVersion(sql: Sql, tenantId: string, productId: string, version: number): Promise<ParameterSet | undefined> {
  const r = await sql.maybeOne<SetRow>('SELECT * FROM parameter_sets WHERE tenant_id = $1 AND product_id = $2 AND version = $3', [tenantId, productId, version]);
  return r && toSet(r);
}

export async function latestVersion(sql: Sql, tenantId: string, productId: string): Promise<ParameterSet | undefined> {
  const r = await sql.maybeOne<SetRow>('SELECT * FROM parameter_sets WHERE tenant_id = $1 AND product_id = $2 AND version IS NOT NULL ORDER BY version DESC LIMIT 1', [tenantId, productId]);
  return r && toSet(r);
}

export async function listSets(sql: Sql, tenantId: string, productId: string): Promise<ParameterSet[]> {
  return (await sql.query<SetRow>('SELECT * FROM parameter_sets WHERE tenant_id = $1 AND product_id = $2 ORDER BY version DESC NULLS FIRST', [tenantId, productId])).map(toSet);
}

export async function listWorkingSets(sql: Sql, tenantId: string): Promise<ParameterSet[]> {
  // The draft when there is one, else the latest version: what completeness is measured on.
  return (await sql.query<SetRow>(
    `SELECT DISTINCT ON (product_id) * FROM parameter_sets WHERE tenant_id = $1 ORDER BY product_id, version DESC NULLS FIRST`, [tenantId],
  )).map(toSet);
}

export async function insertDraft(sql: Sql, tenantId: string, d: { id: string; productId: string; catalogVersion: string; values: object; unmapped: object; basedOn: number | null }, now: Date): Promise<ParameterSet> {
  return toSet(await sql.one<SetRow>(
    `INSERT INTO parameter_sets (id, tenant_id, product_id, version, status, catalog_version, param_values, unmapped, based_on, created_at, updated_at)
     VALUES ($1,$2,$3,NULL,'draft',$4,$5,$6,$7,$8,$8) RETURNING *`,
    [d.id, tenantId, d.productId, d.catalogVersion, JSON.stringify(d.values), JSON.stringify(d.unmapped), d.basedOn, now],
  ));
}

export async function updateDraft(sql: Sql, tenantId: string, id: string, d: { values: object; unmapped?: object; catalogVersion?: string }, now: Date): Promise<ParameterSet | undefined> {
  const r = await sql.maybeOne<SetRow>(
    `UPDATE parameter_sets SET param_values = $3, unmapped = COALESCE($4, unmapped), catalog_version = COALESCE($5, catalog_version), updated_at = $6
      WHERE tenant_id = $1 AND id = $2 AND status = 'draft' RETURNING *`,
    [tenantId, id, JSON.stringify(d.values), d.unmapped ? JSON.stringify(d.unmapped) : null, d.catalogVersion ?? null, now],
  );
  return r && toSet(r);
}

export async function freezeDraft(sql: Sql, tenantId: string, id: string, f: { version: number; digest: string; by: string }, now: Date): Promise<ParameterSet | undefined> {
  const r = await sql.maybeOne<SetRow>(
    `UPDATE parameter_sets SET status = 'submitted', version = $3, digest = $4, submitted_at = $5, submitted_by = $6, updated_at = $5
      WHERE tenant_id = $1 AND id = $2 AND status = 'draft' RETURNING *`,
    [tenantId, id, f.version, f.digest, now, f.by],
  );
  return r && toSet(r);
}

export async function approveVersion(sql: Sql, tenantId: string, id: string, a: { reference: string; date: string; batch: string | null; by: string }, now: Date): Promise<ParameterSet | undefined> {
  const r = await sql.maybeOne<SetRow>(
    `UPDATE parameter_sets SET status = 'approved', approval_reference = $3, approval_date = $4, approval_batch = $5, approved_at = $6, approved_by = $7, updated_at = $6
      WHERE tenant_id = $1 AND id = $2 AND status = 'submitted' RETURNING *`,
    [tenantId, id, a.reference, a.date, a.batch, now, a.by],
  );
  return r && toSet(r);
}

export async function lockProduct(sql: Sql, tenantId: string, id: string): Promise<Product | undefined> {
  const r = await sql.maybeOne<ProductRow>('SELECT * FROM products WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [tenantId, id]);
  return r && toProduct(r);
}

