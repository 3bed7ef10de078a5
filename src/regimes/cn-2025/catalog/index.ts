import { readFileSync } from 'node:fs';
import { zodFieldErrors } from '../../../platform/errors.ts';
import { CatalogData, type ParameterDef } from './schema.ts';

export * from './schema.ts';

/** A catalog checked and indexed by key. */
export type Catalog = CatalogData & { byKey: ReadonlyMap<string, ParameterDef> };

export class CatalogError extends Error {
  constructor(readonly issues: { path: string; message: string }[], what: string) {
    super(`${what} is not a valid parameter catalog:\n` + issues.map((i) => `  ${i.path || '(root)'}: ${i.message}`).join('\n'));
  }
}

/** Checks catalog data against the schema; throws a CatalogError naming every bad field. */
export function parseCatalog(data: unknown, what = 'the catalog'): Catalog {
  const r = CatalogData.safeParse(data, { reportInput: true });
  if (!r.success) {
    // Field errors that keep their zod issue, so the API can give them in the caller's language.
    throw new CatalogError(zodFieldErrors(r.error.issues), what);
  }
  return Object.freeze({ ...r.data, byKey: new Map(r.data.parameters.map((p) => [p.key, p])) });
}

const SHIPPED_PATH = new URL('./parameters.json', import.meta.url);

/** The candidate catalog shipped in the rule pack, checked at start-up (module load). */
export const SHIPPED_CATALOG: Catalog = parseCatalog(JSON.parse(readFileSync(SHIPPED_PATH, 'utf8')), 'src/regimes/cn-2025/catalog/parameters.json');

/** The catalog as the API shows it (without the key index). */
export function catalogView(c: Catalog): CatalogData {
  const { byKey: _drop, ...rest } = c;
  return rest;
}
