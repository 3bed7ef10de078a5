import type { Actor } from '../platform/audit.ts';
import { conflict, msg } from '../platform/errors.ts';
import { unitOfWork, type Deps } from '../platform/usecase.ts';
import { REGIME } from '../regimes/cn-2025/index.ts';
import { publish } from './events.ts';
import type { ApproveInput, ParameterSet, Product } from './model.ts';
import { accessAfterApproval } from './rules.ts';
import { requireProduct, requireSet } from './sets.ts';
import * as store from './store.ts';

/** Records MIIT's approval of a submitted version; it becomes the product's approved baseline. */
export async function approveVersion(deps: Deps, actor: Actor, productId: string, version: number, input: ApproveInput): Promise<{ product: Product; version: ParameterSet }> {
  return unitOfWork(deps, actor, async (u) => {
    const product = await requireProduct(u.sql, u.tenantId, productId, true);
    const set = await requireSet(u.sql, u.tenantId, product, version);
    if (set.status === 'approved') throw conflict(msg('products.alreadyApproved', { version, model: product.model, reference: set.approval!.reference }), { version });
    if (product.baselineVersion !== null && version < product.baselineVersion) {
      throw conflict(msg('products.olderThanBaseline', { version, baseline: product.baselineVersion }), { version, baselineVersion: product.baselineVersion });
    }
    const approved = await store.approveVersion(u.sql, u.tenantId, set.id, { reference: input.reference, date: input.date, batch: input.batch ?? null, by: actor.name }, u.now);
    if (!approved) throw conflict(msg('products.notSubmitted', { version, model: product.model }));
    // The product keeps the date and batch of its access approval (obligations depend on it, e.g.
    // approved before the notice -> N45-3); a later approval's own date and batch stay on its version.
    const after = await store.setBaseline(u.sql, u.tenantId, product.id, {
      version, status: accessAfterApproval(product),
      batch: product.access.approvalDate ? product.access.batch : input.batch ?? null,
      approvalDate: product.access.approvalDate ?? input.date,
    }, u.now);
    await u.audit({
      action: 'parameters.approved', subjectType: 'product', subjectId: product.id, before: product, after,
      data: { parameterSetId: set.id, version, reference: input.reference, date: input.date, batch: input.batch ?? null, digest: set.digest, regime: REGIME.id, regimeVersion: REGIME.version },
    });
    await publish(u, { type: 'product.approved', product: after, version, approval: { reference: input.reference, date: input.date, batch: input.batch ?? null } });
    return { product: after, version: approved };
  });
}
