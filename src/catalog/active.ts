import type { Sql } from '../platform/db.ts';
import { AppError, msg } from '../platform/errors.ts';
import { parseCatalog, SHIPPED_CATALOG, type Catalog } from '../regimes/cn-2025/catalog/index.ts';
import * as store from './store.ts';

const parsed = new Map<string, Catalog>(); // by digest: imported catalogs are immutable

function fromRow(row: store.CatalogRow): Catalog {
  let c = parsed.get(row.digest);
  if (!c) { c = parseCatalog(row.data, `catalog version ${row.version}`); parsed.set(row.digest, c); }
  return c;
}

/** The tenant's active catalog: its latest imported version, else the candidate catalog of the rule pack. */
export async function activeCatalog(sql: Sql, tenantId: string): Promise<Catalog> {
  const row = await store.latestCatalog(sql, tenantId);
  return row ? fromRow(row) : SHIPPED_CATALOG;
}

/** A catalog version by name, as recorded on a parameter set. */
export async function catalogVersion(sql: Sql, tenantId: string, version: string): Promise<Catalog> {
  if (version === SHIPPED_CATALOG.version) return SHIPPED_CATALOG;
  const row = await store.getCatalogVersion(sql, tenantId, version);
  if (!row) throw new AppError('not_found', msg('catalog.versionNotFound', { version }), { details: { version } });
  return fromRow(row);
}
