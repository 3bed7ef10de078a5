import type { Actor } from '../platform/audit.ts';
import type { Sql } from '../platform/db.ts';
import { AppError, fieldError, msg, validationFailed, type FieldError } from '../platform/errors.ts';
import { unitOfWork, type Deps, type UnitOfWork } from '../platform/usecase.ts';
import { applies } from '../regimes/cn-2025/parameters.ts';
import { catalogOf, ensureDraft, requireProduct, requireSet, type SetRef } from '../products/sets.ts';
import type { Evidence } from './model.ts';
import * as store from './store.ts';

/** Checks that every key exists in the set's catalog and applies to the product. */
export async function checkLinkTarget(sql: Sql, tenantId: string, productId: string, ref: SetRef, keys: string[], draftMayBeNew = false) {
  const product = await requireProduct(sql, tenantId, productId);
  const set = ref === 'draft' && draftMayBeNew ? undefined : await requireSet(sql, tenantId, product, ref);
  const catalog = await catalogOf(sql, tenantId, set);
  const errors: FieldError[] = [];
  keys.forEach((k, i) => {
    const def = catalog.byKey.get(k);
    if (!def) errors.push(fieldError(`keys.${i}`, msg('evidence.unknownKey', { key: k, version: catalog.version })));
    else if (!applies(def, product)) errors.push(fieldError(`keys.${i}`, msg('evidence.keyNotApplicable', { key: k, model: product.model })));
  });
  if (errors.length) throw validationFailed(errors, msg('evidence.cannotLink'));
  return { product, set };
}

export async function linkInTx(u: UnitOfWork, productId: string, ref: SetRef, evidence: Evidence, keys: string[]): Promise<string[]> {
  const { product } = await checkLinkTarget(u.sql, u.tenantId, productId, ref, keys, true);
  const set = ref === 'draft' ? (await ensureDraft(u.sql, u.tenantId, product, u.now, u.actor.name)).draft : await requireSet(u.sql, u.tenantId, product, ref);
  const added: string[] = [];
  for (const key of [...new Set(keys)]) {
    if (await store.link(u.sql, u.tenantId, { setId: set.id, key, evidenceId: evidence.id, by: u.actor.name }, u.now)) added.push(key);
  }
  if (added.length) {
    await u.audit({
      action: 'evidence.linked', subjectType: 'product', subjectId: product.id,
      data: { evidenceId: evidence.id, sha256: evidence.sha256, parameterSetId: set.id, version: set.version, keys: added },
    });
  }
  return added;
}

/** Links an uploaded report to parameter keys of a version (or the draft). */
export async function linkEvidence(deps: Deps, actor: Actor, productId: string, ref: SetRef, input: { sha256: string; keys: string[] }) {
  return unitOfWork(deps, actor, async (u) => {
    const evidence = await store.getBySha(u.sql, u.tenantId, input.sha256);
    if (!evidence) throw new AppError('not_found', msg('evidence.notFoundUpload', { sha256: input.sha256 }), { errors: [fieldError('sha256', msg('evidence.noSuchHash'))] });
    return { evidence, linked: await linkInTx(u, productId, ref, evidence, input.keys) };
  });
}
