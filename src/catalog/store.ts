// The only SQL of the catalog slice: imported catalog versions per tenant.
import type { Sql } from '../platform/db.ts';

export type CatalogRow = { id: string; version: string; provenance: string; data: unknown; digest: string; source: Record<string, unknown>; created_by: string; created_at: Date };

export async function latestCatalog(sql: Sql, tenantId: string): Promise<CatalogRow | undefined> {
  return sql.maybeOne<CatalogRow>('SELECT * FROM catalog_versions WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1', [tenantId]);
}

export async function getCatalogVersion(sql: Sql, tenantId: string, version: string): Promise<CatalogRow | undefined> {
  return sql.maybeOne<CatalogRow>('SELECT * FROM catalog_versions WHERE tenant_id = $1 AND version = $2', [tenantId, version]);
}

export async function listCatalogVersions(sql: Sql, tenantId: string): Promise<Omit<CatalogRow, 'data'>[]> {
  return sql.query('SELECT id, version, provenance, digest, source, created_by, created_at FROM catalog_versions WHERE tenant_id = $1 ORDER BY created_at, id', [tenantId]);
}

export async function insertCatalogVersion(sql: Sql, tenantId: string, c: { id: string; version: string; provenance: string; data: unknown; digest: string; source: object; by: string }, now: Date): Promise<void> {
  await sql.query(
    `INSERT INTO catalog_versions (id, tenant_id, version, provenance, data, digest, source, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`,
    [c.id, tenantId, c.version, c.provenance, JSON.stringify(c.data), c.digest, JSON.stringify(c.source), c.by, now],
  );
}

export async function tenantExists(sql: Sql, tenantId: string): Promise<boolean> {
  return !!(await sql.maybeOne('SELECT 1 FROM tenants WHERE id = $1 AND kind = $2', [tenantId, 'manufacturer']));
}
