import type { Actor } from '../platform/audit.ts';
import { digestOf, sha256Hex } from '../platform/canonical.ts';
import { AppError, conflict, fieldError, msg, validationFailed, withMsgOf, zodFieldErrors, type FieldError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { unitOfWork, type Deps } from '../platform/usecase.ts';
import { ensureDraft, workingSet } from '../products/sets.ts';
import { listTenantProducts } from '../products/index.ts';
import { CatalogError, parseCatalog, SHIPPED_CATALOG, catalogView } from '../regimes/cn-2025/catalog/index.ts';
import { buildCatalog, Mapping } from './mapping.ts';
import * as store from './store.ts';
import { parseCsv, parseXlsx } from './tabular.ts';

export type ImportReport = {
  version: string;
  provenance: 'official' | 'candidate';
  parameters: number;
  digest: string;
  products: { productId: string; model: string; draftCreated: boolean; values: number; unmapped: { key: string; reason: string }[] }[];
};

/**
 * Installs a new catalog version from the official template and moves every product's working
 * parameters to it by key. Values that no longer map are kept on the draft (`unmapped`) and reported.
 * Bad input (file, mapping, any row) writes nothing.
 */
export async function importCatalog(deps: Deps, actor: Actor, input: { file: Buffer; filename: string; mapping: unknown }, opts: { tenantId?: string } = {}): Promise<ImportReport> {
  const m = Mapping.safeParse(input.mapping, { reportInput: true });
  if (!m.success) throw validationFailed(zodFieldErrors(m.error.issues, 'mapping'), msg('catalog.mappingInvalid'));
  const mapping = m.data;
  const isXlsx = /\.xlsx$/i.test(input.filename) || input.file.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  const table = isXlsx ? parseXlsx(input.file, mapping.sheet) : parseCsv(input.file.toString('utf8'));
  const built = buildCatalog(table, mapping);
  if (built.errors.length) throw validationFailed(built.errors, msg('catalog.templateCannotImport', { filename: input.filename }));
  if (built.lines.length === 0) throw validationFailed([fieldError('file', msg('catalog.templateNoRows'))]);
  let catalog;
  try {
    catalog = parseCatalog(built.data, `template ${input.filename}`);
  } catch (e) {
    if (!(e instanceof CatalogError)) throw e;
    const errors: FieldError[] = e.issues.map((i) => {
      const m = /^parameters\.(\d+)\.?(.*)$/.exec(i.path);
      if (!m) return i;
      const line = built.lines[Number(m[1])];
      return withMsgOf({ path: `line ${line}: ${m[2] || 'row'}`, line, message: i.message }, i);
    });
    throw validationFailed(errors, msg('catalog.templateInvalid', { filename: input.filename }));
  }
  if (catalog.version === SHIPPED_CATALOG.version) throw conflict(msg('catalog.shippedName', { version: catalog.version }));
  const data = catalogView(catalog);
  const digest = digestOf(data);

  return unitOfWork(deps, actor, async (u) => {
    if (!(await store.tenantExists(u.sql, u.tenantId))) throw new AppError('not_found', msg('catalog.tenantNotFound', { id: u.tenantId }), { details: { tenantId: u.tenantId } });
    if (await store.getCatalogVersion(u.sql, u.tenantId, catalog.version)) {
      throw new AppError('conflict', msg('catalog.alreadyInstalled', { version: catalog.version }), { errors: [fieldError('mapping.version', msg('catalog.alreadyInstalledShort'))] });
    }
    await store.insertCatalogVersion(u.sql, u.tenantId, {
      id: newId('cat', u.now.getTime()), version: catalog.version, provenance: catalog.provenance, data, digest,
      source: { filename: input.filename, fileSha256: sha256Hex(input.file), mapping }, by: actor.name,
    }, u.now);
    const products: ImportReport['products'] = [];
    for (const p of await listTenantProducts(u.sql, u.tenantId)) {
      const before = await workingSet(u.sql, u.tenantId, p.id);
      if (!before) continue; // nothing recorded yet: the product starts on the new catalog
      const { draft, created } = await ensureDraft(u.sql, u.tenantId, p, u.now, actor.name);
      products.push({
        productId: p.id, model: p.model, draftCreated: created, values: Object.keys(draft.values).length,
        unmapped: Object.entries(draft.unmapped).map(([key, v]) => ({ key, reason: v.reason })),
      });
    }
    const report: ImportReport = { version: catalog.version, provenance: catalog.provenance, parameters: catalog.parameters.length, digest, products };
    await u.audit({
      action: 'catalog.imported', subjectType: 'catalog', subjectId: catalog.version, after: data,
      data: { filename: input.filename, fileSha256: sha256Hex(input.file), parameters: catalog.parameters.length, products: products.length,
        unmapped: products.reduce((n, p) => n + p.unmapped.length, 0) },
    });
    return report;
  }, opts);
}
