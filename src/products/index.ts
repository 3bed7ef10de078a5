// The products slice as other slices use it (OTA classification, obligations, filings, demo).
// Functions taking (sql, tenantId) run inside the caller's unit of work: pass `u.sql, u.tenantId`.
import { activeCatalog, catalogVersion } from '../catalog/active.ts';
import type { Sql } from '../platform/db.ts';
import type { Catalog } from '../regimes/cn-2025/catalog/index.ts';
import type { ParameterSet, Product } from './model.ts';
import { completenessIn, type ProductCompleteness } from './queries.ts';
import * as store from './store.ts';

export type { Product, ParameterSet } from './model.ts';
export type { Catalog, ParameterDef } from '../regimes/cn-2025/catalog/index.ts';
export { SHIPPED_CATALOG } from '../regimes/cn-2025/catalog/index.ts';
export { diffValues, validateValues, completeness, applies, type DiffEntry, type Values, type ParamValue } from '../regimes/cn-2025/parameters.ts';
export { onProductEvent, type ProductEvent, type ProductListener } from './events.ts';
export { createProduct } from './create-product.ts';
export { updateProduct } from './update-product.ts';
export { putDraft } from './put-draft.ts';
export { submitDraft } from './submit-draft.ts';
export { approveVersion } from './approve-version.ts';
export { getProduct, listProducts, diffVersions, productCompleteness, completenessRegister, type ProductCompleteness } from './queries.ts';
export { activeCatalog, catalogVersion };

export type ProductWithBaseline = {
  product: Product;
  /** The approved baseline (MIIT-approved version) or null when none is approved yet. */
  baseline: (ParameterSet & { catalog: Catalog }) | null;
};

/** A product of the tenant with its approved baseline values and the catalog they were recorded under; undefined when unknown. */
export async function getProductWithBaseline(sql: Sql, tenantId: string, productId: string): Promise<ProductWithBaseline | undefined> {
  const product = await store.getProduct(sql, tenantId, productId);
  if (!product) return undefined;
  if (product.baselineVersion === null) return { product, baseline: null };
  const set = (await store.getVersion(sql, tenantId, productId, product.baselineVersion))!;
  return { product, baseline: { ...set, catalog: await catalogVersion(sql, tenantId, set.catalogVersion) } };
}

export function findProductByModel(sql: Sql, tenantId: string, model: string): Promise<Product | undefined> {
  return store.getProductByModel(sql, tenantId, model);
}

export function listTenantProducts(sql: Sql, tenantId: string): Promise<Product[]> {
  return store.listProducts(sql, tenantId);
}

/** Completeness of one product measured on a given date (Asia/Shanghai, YYYY-MM-DD), e.g. for a filing package. */
export async function completenessOf(sql: Sql, tenantId: string, productId: string, today: string): Promise<ProductCompleteness | undefined> {
  const product = await store.getProduct(sql, tenantId, productId);
  return product && completenessIn(sql, tenantId, product, today);
}

/** The tenant's active catalog with `main` flags, for classification. */
export function catalogFor(sql: Sql, tenantId: string): Promise<Catalog> {
  return activeCatalog(sql, tenantId);
}
