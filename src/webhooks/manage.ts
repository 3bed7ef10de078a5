/** Subscriptions and their delivery log (tenant use cases). */
import type { Actor } from '../platform/audit.ts';
import { AppError, msg, notFound } from '../platform/errors.ts';
import { newId, randomToken } from '../platform/ids.ts';
import { readScope, unitOfWork, type Deps } from '../platform/usecase.ts';
import type { CreateWebhookInput, Delivery, Webhook } from './model.ts';
import * as store from './store.ts';

function tenantOf(actor: Actor): string {
  if (!actor.tenantId) throw new AppError('bad_request', msg('webhooks.needTenant'));
  return actor.tenantId;
}

export async function createWebhook(deps: Deps, actor: Actor, input: CreateWebhookInput): Promise<Webhook & { secret: string }> {
  return unitOfWork(deps, actor, async (u) => {
    const secret = `whsec_${randomToken(32)}`;
    const w = await store.insertWebhook(u.sql, u.tenantId, {
      id: newId('whk', u.now.getTime()), url: input.url, secret, events: input.events, description: input.description ?? null,
      createdBy: { id: actor.id, name: actor.name },
    }, u.now);
    await u.audit({ action: 'webhook.created', subjectType: 'webhook', subjectId: w.id, after: w }); // the secret stays out of the audit log
    return { ...w, secret };
  });
}

export async function listWebhooks(deps: Deps, actor: Actor): Promise<Webhook[]> {
  const t = tenantOf(actor);
  return readScope(deps, actor, (sql) => store.listWebhooks(sql, t));
}

export async function deactivateWebhook(deps: Deps, actor: Actor, id: string): Promise<Webhook> {
  return unitOfWork(deps, actor, async (u) => {
    const before = await store.getWebhook(u.sql, u.tenantId, id);
    if (!before) throw notFound('webhook', id);
    const w = await store.deactivateWebhook(u.sql, u.tenantId, id);
    if (!w) throw new AppError('invalid_transition', msg('webhooks.inactive', { id }));
    await u.audit({ action: 'webhook.deactivated', subjectType: 'webhook', subjectId: id, before, after: w });
    return w;
  });
}

export async function deliveries(deps: Deps, actor: Actor, webhookId: string, limit: number, offset: number): Promise<{ items: Delivery[]; total: number }> {
  const t = tenantOf(actor);
  return readScope(deps, actor, async (sql) => {
    if (!(await store.getWebhook(sql, t, webhookId))) throw notFound('webhook', webhookId);
    return store.deliveriesOf(sql, t, webhookId, limit, offset);
  });
}

export async function redeliver(deps: Deps, actor: Actor, webhookId: string, deliveryId: string): Promise<{ requeued: true }> {
  return unitOfWork(deps, actor, async (u) => {
    if (!(await store.getWebhook(u.sql, u.tenantId, webhookId))) throw notFound('webhook', webhookId);
    if (!(await store.requeue(u.sql, u.tenantId, webhookId, deliveryId, u.now))) {
      throw new AppError('invalid_transition', msg('webhooks.notFailed', { deliveryId, webhookId }));
    }
    await u.audit({ action: 'webhook.delivery_requeued', subjectType: 'webhook', subjectId: webhookId, data: { deliveryId } });
    deps.onCommit?.();
    return { requeued: true as const };
  });
}
