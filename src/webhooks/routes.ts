import { z } from 'zod';
import type { App } from '../platform/http.ts';
import type { Deps } from '../platform/usecase.ts';
import { createWebhook, deactivateWebhook, deliveries, listWebhooks, redeliver } from './manage.ts';
import { CreateWebhook, Delivery, Webhook, WebhookCreated } from './model.ts';

const tags = ['webhooks'];
const Params = z.object({ webhookId: z.string().max(100) });

export async function webhookRoutes(app: App, deps: Deps) {
  app.post('/api/v1/webhooks', {
    schema: { tags, summary: 'Subscribe a URL to events (signed with HMAC-SHA256; the secret is shown once)', body: CreateWebhook, response: { 201: WebhookCreated } },
    config: { permission: 'webhooks:write' },
  }, async (req, reply) => reply.code(201).send(await createWebhook(deps, req.actor, req.body)));

  app.get('/api/v1/webhooks', {
    schema: { tags, response: { 200: z.object({ items: z.array(Webhook) }) } },
    config: { permission: 'webhooks:read' },
  }, async (req) => ({ items: await listWebhooks(deps, req.actor) }));

  app.delete('/api/v1/webhooks/:webhookId', {
    schema: { tags, summary: 'Deactivate a subscription (its delivery log stays)', params: Params, response: { 200: Webhook } },
    config: { permission: 'webhooks:write' },
  }, async (req) => deactivateWebhook(deps, req.actor, req.params.webhookId));

  app.get('/api/v1/webhooks/:webhookId/deliveries', {
    schema: { tags, summary: 'Delivery log: every event sent to this webhook, with each attempt', params: Params,
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100), offset: z.coerce.number().int().min(0).default(0) }).strict(),
      response: { 200: z.object({ items: z.array(Delivery), total: z.number() }) } },
    config: { permission: 'webhooks:read' },
  }, async (req) => deliveries(deps, req.actor, req.params.webhookId, req.query.limit, req.query.offset));

  app.post('/api/v1/webhooks/:webhookId/deliveries/:deliveryId/retry', {
    schema: { tags, summary: 'Queue a failed delivery again (after the endpoint is fixed)', params: Params.extend({ deliveryId: z.string().max(100) }),
      response: { 200: z.object({ requeued: z.literal(true) }) } },
    config: { permission: 'webhooks:write' },
  }, async (req) => redeliver(deps, req.actor, req.params.webhookId, req.params.deliveryId));
}
