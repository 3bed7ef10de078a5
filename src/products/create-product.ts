import type { Actor } from '../platform/audit.ts';
import { AppError, fieldError, msg } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { unitOfWork, type Deps } from '../platform/usecase.ts';
import { publish } from './events.ts';
import type { CreateProductInput, Product } from './model.ts';
import * as store from './store.ts';

export async function createProduct(deps: Deps, actor: Actor, input: CreateProductInput, opts: { tenantId?: string } = {}): Promise<Product> {
  return unitOfWork(deps, actor, async (u) => {
    const access = input.access ?? { status: 'applying' as const };
    const product = await store.insertProduct(u.sql, u.tenantId, {
      id: newId('prd', u.now.getTime()), model: input.model, name: input.name, category: input.category, manufacturer: input.manufacturer ?? null,
      cdas: input.cdas, ota: input.ota, automationLevel: input.automationLevel,
      access: { status: access.status, batch: access.batch ?? null, approvalDate: access.approvalDate ?? null },
    }, u.now);
    if (!product) {
      throw new AppError('conflict', msg('products.modelExists', { model: input.model }), { errors: [fieldError('model', msg('products.modelExistsShort'))], details: { model: input.model } });
    }
    await u.audit({ action: 'product.created', subjectType: 'product', subjectId: product.id, after: product, data: { model: product.model } });
    await publish(u, { type: 'product.created', product });
    return product;
  }, opts);
}
