// Read-only use cases: product pages, diffs, completeness and the register.
import type { Actor } from '../platform/audit.ts';
import type { Sql } from '../platform/db.ts';
import { readScope, type Deps } from '../platform/usecase.ts';
import { shanghaiDate } from '../platform/time.ts';
import { evidenceForSets } from '../evidence/index.ts';
import { completeness, diffValues, RULES, type Completeness, type DiffEntry } from '../regimes/cn-2025/parameters.ts';
import type { RuleRef } from '../regimes/cn-2025/index.ts';
import { catalogVersion } from '../catalog/active.ts';
import type { ParameterSet, Product } from './model.ts';
import { facts } from './rules.ts';
import { catalogOf, requireProduct, requireSet, tenantOf, workingSet, type SetRef } from './sets.ts';
import * as store from './store.ts';

export type ProductDetail = Product & { sets: ParameterSet[]; draft: ParameterSet | null; baseline: ParameterSet | null };

export function listProducts(deps: Deps, actor: Actor): Promise<Product[]> {
  return readScope(deps, actor, (sql) => store.listProducts(sql, tenantOf(actor)));
}

export function getProduct(deps: Deps, actor: Actor, productId: string): Promise<ProductDetail> {
  return readScope(deps, actor, async (sql) => {
    const p = await requireProduct(sql, tenantOf(actor), productId);
    const sets = await store.listSets(sql, tenantOf(actor), productId);
    return {
      ...p, sets,
      draft: sets.find((s) => s.status === 'draft') ?? null,
      baseline: p.baselineVersion === null ? null : sets.find((s) => s.version === p.baselineVersion) ?? null,
    };
  });
}

export function getParameterSet(deps: Deps, actor: Actor, productId: string, ref: SetRef) {
  return readScope(deps, actor, async (sql) => {
    const p = await requireProduct(sql, tenantOf(actor), productId);
    const set = await requireSet(sql, tenantOf(actor), p, ref);
    const links = await evidenceForSets(sql, tenantOf(actor), [set.id]);
    return { ...set, evidence: links.map((l) => ({ key: l.key, ...l.evidence })) };
  });
}

export type DiffResult = { productId: string; from: { version: number | null; catalogVersion: string }; to: { version: number | null; catalogVersion: string }; changes: DiffEntry[]; mainChanged: boolean; rules: RuleRef[] };

export function diffVersions(deps: Deps, actor: Actor, productId: string, from: SetRef, to: SetRef): Promise<DiffResult> {
  return readScope(deps, actor, async (sql) => {
    const p = await requireProduct(sql, tenantOf(actor), productId);
    const a = await requireSet(sql, tenantOf(actor), p, from);
    const b = await requireSet(sql, tenantOf(actor), p, to);
    // Labels and main flags come from the newer side's catalog.
    const catalog = await catalogVersion(sql, tenantOf(actor), b.catalogVersion);
    const changes = diffValues(catalog, a.values, b.values);
    return {
      productId, from: { version: a.version, catalogVersion: a.catalogVersion }, to: { version: b.version, catalogVersion: b.catalogVersion },
      changes, mainChanged: changes.some((c) => c.main), rules: [RULES.mainChange],
    };
  });
}

export type ProductCompleteness = Completeness & { productId: string; model: string; workingVersion: number | 'draft' | null };

export async function completenessIn(sql: Sql, tenantId: string, product: Product, today: string, set?: ParameterSet | null): Promise<ProductCompleteness> {
  const working = set === undefined ? await workingSet(sql, tenantId, product.id) : set ?? undefined;
  const catalog = await catalogOf(sql, tenantId, working);
  const links = working ? await evidenceForSets(sql, tenantId, [working.id]) : [];
  const c = completeness(catalog, facts(product), working?.values ?? {}, links.map((l) => ({
    key: l.key, validUntil: l.evidence.validUntil, title: l.evidence.title, sha256: l.evidence.sha256,
  })), today);
  return { productId: product.id, model: product.model, workingVersion: working ? (working.version ?? 'draft') : null, ...c };
}

export function productCompleteness(deps: Deps, actor: Actor, productId: string): Promise<ProductCompleteness> {
  return readScope(deps, actor, async (sql) => {
    const p = await requireProduct(sql, tenantOf(actor), productId);
    return completenessIn(sql, tenantOf(actor), p, shanghaiDate(deps.clock()));
  });
}

export type RegisterRow = ProductCompleteness & { product: Product };

/** Completeness of every product of the tenant. */
export function completenessRegister(deps: Deps, actor: Actor): Promise<RegisterRow[]> {
  return readScope(deps, actor, async (sql) => {
    const today = shanghaiDate(deps.clock());
    const products = await store.listProducts(sql, tenantOf(actor));
    const sets = new Map((await store.listWorkingSets(sql, tenantOf(actor))).map((s) => [s.productId, s]));
    const out: RegisterRow[] = [];
    for (const p of products) out.push({ product: p, ...(await completenessIn(sql, tenantOf(actor), p, today, sets.get(p.id) ?? null)) });
    return out;
  });
}
