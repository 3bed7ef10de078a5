import { z } from 'zod';

const EventPattern = z.string().trim().regex(/^(\*|[a-z][a-z_]*(\.[a-z_]+)*(\.\*)?)$/, 'an event type like obligation.overdue, a prefix like obligation.*, or *');

export const CreateWebhook = z.object({
  url: z.string().trim().max(2000).refine((u) => { try { const x = new URL(u); return x.protocol === 'https:' || x.protocol === 'http:'; } catch { return false; } },
    'an absolute http(s) URL'),
  events: z.array(EventPattern).min(1).max(50).default(['*']),
  description: z.string().trim().max(500).optional(),
}).strict();
export type CreateWebhookInput = z.infer<typeof CreateWebhook>;

export const Webhook = z.object({
  id: z.string(), url: z.string(), events: z.array(z.string()), description: z.string().nullable(), active: z.boolean(), createdAt: z.string(),
});
export type Webhook = z.infer<typeof Webhook>;
export const WebhookCreated = Webhook.extend({ secret: z.string().describe('HMAC-SHA256 key for the X-Icvgate-Signature header; shown once') });

export const Attempt = z.object({ attempt: z.number(), at: z.string(), statusCode: z.number().nullable(), error: z.string().nullable(), durationMs: z.number() });
export const Delivery = z.object({
  id: z.string(), webhookId: z.string(), outboxId: z.number(), eventType: z.string(), idempotencyKey: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']), attempts: z.number(), nextAttemptAt: z.string().nullable(),
  lastStatus: z.number().nullable(), lastError: z.string().nullable(), deliveredAt: z.string().nullable(), createdAt: z.string(),
  log: z.array(Attempt),
});
export type Delivery = z.infer<typeof Delivery>;

/** Does an event type match a subscription pattern ('*', exact, or 'prefix.*')? */
export function matches(patterns: string[], type: string): boolean {
  return patterns.some((p) => p === '*' || p === type || (p.endsWith('.*') && type.startsWith(p.slice(0, -1))));
}
