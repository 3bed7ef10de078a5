import type { Actor } from '../platform/audit.ts';
import { digestOf } from '../platform/canonical.ts';
import { AppError, conflict, msg, validationFailed } from '../platform/errors.ts';
import { unitOfWork, type Deps } from '../platform/usecase.ts';
import { diffValues, validateValues } from '../regimes/cn-2025/parameters.ts';
import { REGIME } from '../regimes/cn-2025/index.ts';
import type { ParameterSet } from './model.ts';
import { facts } from './rules.ts';
import { catalogOf, requireProduct } from './sets.ts';
import * as store from './store.ts';

/** Freezes the draft as the next numbered version; it must be complete and valid. */
export async function submitDraft(deps: Deps, actor: Actor, productId: string): Promise<ParameterSet> {
  return unitOfWork(deps, actor, async (u) => {
    const product = await requireProduct(u.sql, u.tenantId, productId, true);
    const draft = await store.getDraft(u.sql, u.tenantId, product.id, true);
    if (!draft) throw new AppError('not_found', msg('products.noDraftToSubmit', { model: product.model }), { details: { productId } });
    const catalog = await catalogOf(u.sql, u.tenantId, draft);
    const r = validateValues(catalog, facts(product), draft.values, { requireComplete: true });
    if (r.errors.length) throw validationFailed(r.errors, msg('products.draftCannotSubmit', { model: product.model }));
    const latest = await store.latestVersion(u.sql, u.tenantId, product.id);
    if (latest && latest.catalogVersion === draft.catalogVersion && diffValues(catalog, latest.values, draft.values).length === 0) {
      throw conflict(msg('products.draftEqualsVersion', { version: latest.version }), { version: latest.version });
    }
    const version = (latest?.version ?? 0) + 1;
    const digest = digestOf({ productId: product.id, version, catalogVersion: draft.catalogVersion, values: draft.values });
    const frozen = await store.freezeDraft(u.sql, u.tenantId, draft.id, { version, digest, by: actor.name }, u.now);
    if (!frozen) throw conflict(msg('products.draftChanged'));
    await u.audit({
      action: 'parameters.submitted', subjectType: 'product', subjectId: product.id, after: frozen.values,
      data: { parameterSetId: frozen.id, version, digest, catalogVersion: frozen.catalogVersion, regime: REGIME.id, regimeVersion: REGIME.version },
    });
    return frozen;
  });
}
