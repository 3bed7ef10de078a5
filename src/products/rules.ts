// Pure rules of the products slice (no clock, no IO).
import type { Catalog } from '../regimes/cn-2025/catalog/index.ts';
import { normalizeValue, applies, type ProductFacts, type Values } from '../regimes/cn-2025/parameters.ts';
import type { ParameterSet, Product } from './model.ts';

export type Unmapped = ParameterSet['unmapped'];

/**
 * Moves values to another catalog version by key. A value whose key is gone, no longer applies or no
 * longer passes its definition is kept in `unmapped` with the reason: never dropped.
 */
export function migrateValues(to: Catalog, product: ProductFacts, values: Record<string, unknown>, fromCatalog: string, carried: Unmapped = {}): { values: Values; unmapped: Unmapped } {
  const out: Values = {};
  const unmapped: Unmapped = { ...carried };
  for (const [key, value] of Object.entries(values)) {
    const def = to.byKey.get(key);
    if (!def) { unmapped[key] = { value, reason: `no parameter ${key} in catalog ${to.version}`, fromCatalog }; continue; }
    if (!applies(def, product)) { unmapped[key] = { value, reason: `${key} does not apply to this product in catalog ${to.version}`, fromCatalog }; continue; }
    const r = normalizeValue(def, value);
    if (r.ok) out[key] = r.value;
    else unmapped[key] = { value, reason: `${key} in catalog ${to.version}: ${r.message}`, fromCatalog };
  }
  return { values: out, unmapped };
}

/**
 * The access status after MIIT approves a parameter version. The first recorded approval approves an
 * applying product and leaves an approved one as it is (the supplement of N45-3 is not a change);
 * an approval over an existing baseline is a change (变更).
 */
export function accessAfterApproval(p: Pick<Product, 'access' | 'baselineVersion'>): Product['access']['status'] {
  if (p.baselineVersion !== null) return 'changed';
  return p.access.status === 'applying' ? 'approved' : p.access.status;
}

export function facts(p: Pick<Product, 'cdas' | 'ota'>): ProductFacts {
  return { cdas: p.cdas, ota: p.ota };
}
