// Tells other slices (obligations first) that a product was created or approved: an outbox event
// always, and in-transaction listeners for slices that must derive their rows atomically with ours.
import { syncProductObligations } from '../obligations/index.ts';
import { digestOf } from '../platform/canonical.ts';
import { shanghaiDate } from '../platform/time.ts';
import type { UnitOfWork } from '../platform/usecase.ts';
import type { Product } from './model.ts';

export type ProductEvent =
  | { type: 'product.created'; product: Product }
  | { type: 'product.updated'; product: Product; changed: string[] }
  | { type: 'product.approved'; product: Product; version: number; approval: { reference: string; date: string; batch: string | null } };

export type ProductListener = (u: UnitOfWork, e: ProductEvent) => Promise<void>;
const listeners: ProductListener[] = [];

/** Registers a listener run inside the transaction that creates / approves a product (a failure rolls it back). */
export function onProductEvent(fn: ProductListener): () => void {
  listeners.push(fn);
  return () => { const i = listeners.indexOf(fn); if (i >= 0) listeners.splice(i, 1); };
}

export async function publish(u: UnitOfWork, e: ProductEvent): Promise<void> {
  const p = e.product;
  const payload: Record<string, unknown> = { productId: p.id, model: p.model, cdas: p.cdas, ota: p.ota, automationLevel: p.automationLevel, access: p.access };
  if (e.type === 'product.approved') Object.assign(payload, { version: e.version, approval: e.approval });
  if (e.type === 'product.updated') payload.changed = e.changed;
  await u.emit({
    type: e.type, subjectType: 'product', subjectId: p.id, payload,
    idempotencyKey: e.type === 'product.created' ? `product.created:${p.id}`
      : e.type === 'product.updated' ? `product.updated:${p.id}:${p.updatedAt}:${digestOf(p)}` : `product.approved:${p.id}:${e.version}`,
  });
  await syncObligations(u, p);
  for (const fn of listeners) await fn(u, e);
}

/** Derives the product's regulatory obligations (N45-2/3, N45-4, M22-1b …) in the same transaction. */
async function syncObligations(u: UnitOfWork, p: Product): Promise<void> {
  await syncProductObligations(u, {
    id: p.id, model: p.model, cdas: p.cdas, ota: p.ota,
    accessApprovedOn: p.access.status === 'applying' ? null : p.access.approvalDate,
    accessApplicationOn: p.access.status === 'applying' ? shanghaiDate(new Date(p.createdAt)) : null,
    productionAccessGrantedOn: null,
  });
}
