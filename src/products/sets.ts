// Finding and preparing parameter sets inside a unit of work.
import { activeCatalog, catalogVersion } from '../catalog/active.ts';
import { copyEvidenceLinks } from '../evidence/index.ts';
import type { Sql } from '../platform/db.ts';
import { AppError, msg, notFound } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import type { Catalog } from '../regimes/cn-2025/catalog/index.ts';
import type { ParameterSet, Product } from './model.ts';
import { facts, migrateValues } from './rules.ts';
import * as store from './store.ts';

/** The tenant a products request acts in: operators have none here. */
export function tenantOf(actor: { tenantId: string | null }): string {
  if (!actor.tenantId) throw new AppError('bad_request', msg('products.needTenant'));
  return actor.tenantId;
}

export async function requireProduct(sql: Sql, tenantId: string, productId: string, lock = false): Promise<Product> {
  const p = lock ? await store.lockProduct(sql, tenantId, productId) : await store.getProduct(sql, tenantId, productId);
  if (!p) throw notFound('product', productId);
  return p;
}

export type SetRef = 'draft' | 'baseline' | number;

export async function findSet(sql: Sql, tenantId: string, product: Product, ref: SetRef): Promise<ParameterSet | undefined> {
  if (ref === 'draft') return store.getDraft(sql, tenantId, product.id);
  if (ref === 'baseline') return product.baselineVersion === null ? undefined : store.getVersion(sql, tenantId, product.id, product.baselineVersion);
  return store.getVersion(sql, tenantId, product.id, ref);
}

export async function requireSet(sql: Sql, tenantId: string, product: Product, ref: SetRef): Promise<ParameterSet> {
  const s = await findSet(sql, tenantId, product, ref);
  if (!s) throw new AppError('not_found', ref === 'baseline' ? msg('products.noBaseline', { model: product.model })
    : ref === 'draft' ? msg('products.noDraft', { model: product.model }) : msg('products.noVersion', { model: product.model, version: ref }), { details: { version: ref } });
  return s;
}

/** The draft, created from the latest version (values moved to the active catalog, evidence links carried over) if there is none. */
export async function ensureDraft(sql: Sql, tenantId: string, product: Product, now: Date, by: string): Promise<{ draft: ParameterSet; catalog: Catalog; created: boolean }> {
  const catalog = await activeCatalog(sql, tenantId);
  const existing = await store.getDraft(sql, tenantId, product.id, true);
  if (existing) {
    if (existing.catalogVersion === catalog.version) return { draft: existing, catalog, created: false };
    const moved = migrateValues(catalog, facts(product), existing.values, existing.catalogVersion, existing.unmapped);
    const draft = (await store.updateDraft(sql, tenantId, existing.id, { values: moved.values, unmapped: moved.unmapped, catalogVersion: catalog.version }, now))!;
    return { draft, catalog, created: false };
  }
  const latest = await store.latestVersion(sql, tenantId, product.id);
  const moved = latest ? migrateValues(catalog, facts(product), latest.values, latest.catalogVersion, latest.unmapped) : { values: {}, unmapped: {} };
  const draft = await store.insertDraft(sql, tenantId, {
    id: newId('pset'), productId: product.id, catalogVersion: catalog.version, values: moved.values, unmapped: moved.unmapped, basedOn: latest?.version ?? null,
  }, now);
  if (latest) await copyEvidenceLinks(sql, tenantId, latest.id, draft.id, now, by);
  return { draft, catalog, created: true };
}

/** The set completeness is measured on: the draft when there is one, else the latest version. */
export async function workingSet(sql: Sql, tenantId: string, productId: string): Promise<ParameterSet | undefined> {
  return (await store.getDraft(sql, tenantId, productId)) ?? (await store.latestVersion(sql, tenantId, productId));
}

export async function catalogOf(sql: Sql, tenantId: string, set: ParameterSet | undefined): Promise<Catalog> {
  return set ? catalogVersion(sql, tenantId, set.catalogVersion) : activeCatalog(sql, tenantId);
}
