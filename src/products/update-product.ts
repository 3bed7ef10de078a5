import { catalogVersion } from '../catalog/active.ts';
import type { Actor } from '../platform/audit.ts';
import { fieldError, msg, validationFailed } from '../platform/errors.ts';
import { unitOfWork, type Deps } from '../platform/usecase.ts';
import { publish } from './events.ts';
import type { Product, UpdateProductInput } from './model.ts';
import { facts, migrateValues } from './rules.ts';
import { requireProduct } from './sets.ts';
import * as store from './store.ts';

/**
 * Changes a product's facts. When CDAS or OTA changes, draft values that no longer apply move to
 * `unmapped` (kept, with the reason), and the product's obligations are derived again.
 */
export async function updateProduct(deps: Deps, actor: Actor, productId: string, input: UpdateProductInput): Promise<Product> {
  return unitOfWork(deps, actor, async (u) => {
    const before = await requireProduct(u.sql, u.tenantId, productId, true);
    const next: Product = {
      ...before,
      name: input.name ?? before.name,
      category: input.category ?? before.category,
      manufacturer: input.manufacturer === undefined ? before.manufacturer : input.manufacturer,
      cdas: input.cdas ?? before.cdas,
      ota: input.ota ?? before.ota,
      automationLevel: input.automationLevel ?? before.automationLevel,
      access: input.access ? { status: input.access.status, batch: input.access.batch ?? null, approvalDate: input.access.approvalDate ?? null } : before.access,
    };
    if (next.cdas && next.automationLevel < 2) {
      throw validationFailed([fieldError(input.automationLevel !== undefined ? 'automationLevel' : 'cdas', msg('schema.cdasLevel2'))]);
    }
    const changed = (Object.keys(input) as (keyof UpdateProductInput)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(next[k]));
    if (changed.length === 0) return before;
    const after = await store.updateProduct(u.sql, u.tenantId, next, u.now);
    if (before.cdas !== after.cdas || before.ota !== after.ota) {
      const draft = await store.getDraft(u.sql, u.tenantId, after.id, true);
      if (draft) {
        const catalog = await catalogVersion(u.sql, u.tenantId, draft.catalogVersion);
        const moved = migrateValues(catalog, facts(after), draft.values, draft.catalogVersion, draft.unmapped);
        await store.updateDraft(u.sql, u.tenantId, draft.id, { values: moved.values, unmapped: moved.unmapped }, u.now);
      }
    }
    await u.audit({ action: 'product.updated', subjectType: 'product', subjectId: after.id, before, after, data: { changed } });
    await publish(u, { type: 'product.updated', product: after, changed });
    return after;
  });
}
