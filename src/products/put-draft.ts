import type { Actor } from '../platform/audit.ts';
import { msg, validationFailed } from '../platform/errors.ts';
import { unitOfWork, type Deps } from '../platform/usecase.ts';
import { validateValues } from '../regimes/cn-2025/parameters.ts';
import type { ParameterSet } from './model.ts';
import { facts } from './rules.ts';
import { ensureDraft, requireProduct } from './sets.ts';
import * as store from './store.ts';

/** Replaces the draft's values; every bad key is reported and nothing is written. */
export async function putDraft(deps: Deps, actor: Actor, productId: string, values: Record<string, unknown>): Promise<ParameterSet> {
  return unitOfWork(deps, actor, async (u) => {
    const product = await requireProduct(u.sql, u.tenantId, productId, true);
    const { draft, catalog } = await ensureDraft(u.sql, u.tenantId, product, u.now, actor.name);
    const r = validateValues(catalog, facts(product), values);
    if (r.errors.length) throw validationFailed(r.errors, msg('products.draftInvalid', { model: product.model }));
    const after = (await store.updateDraft(u.sql, u.tenantId, draft.id, { values: r.values }, u.now))!;
    await u.audit({
      action: 'parameters.draft_saved', subjectType: 'product', subjectId: product.id, before: draft.values, after: after.values,
      data: { parameterSetId: draft.id, catalogVersion: catalog.version, keys: Object.keys(r.values).length },
    });
    return after;
  });
}
