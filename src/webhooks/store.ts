// The only SQL of the webhooks slice. Tenant-scoped functions take the tenant id first; the
// delivery functions run in operator scope across tenants.
import type { Sql } from '../platform/db.ts';
import type { Delivery, Webhook } from './model.ts';

type WebhookRow = { id: string; tenant_id: string; url: string; secret: string; events: string[]; description: string | null; active: boolean; created_at: Date };
const toWebhook = (r: WebhookRow): Webhook => ({
  id: r.id, url: r.url, events: r.events, description: r.description, active: r.active, createdAt: r.created_at.toISOString(),
});

export async function insertWebhook(sql: Sql, tenantId: string, w: { id: string; url: string; secret: string; events: string[]; description: string | null; createdBy: unknown }, now: Date): Promise<Webhook> {
  const r = await sql.one<WebhookRow>(
    `INSERT INTO webhooks (id, tenant_id, url, secret, events, description, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING *`,
    [w.id, tenantId, w.url, w.secret, JSON.stringify(w.events), w.description, JSON.stringify(w.createdBy), now],
  );
  return toWebhook(r);
}

export async function listWebhooks(sql: Sql, tenantId: string): Promise<Webhook[]> {
  return (await sql.query<WebhookRow>('SELECT * FROM webhooks WHERE tenant_id = $1 ORDER BY created_at, id', [tenantId])).map(toWebhook);
}

export async function getWebhook(sql: Sql, tenantId: string, id: string): Promise<Webhook | undefined> {
  const r = await sql.maybeOne<WebhookRow>('SELECT * FROM webhooks WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  return r && toWebhook(r);
}

export async function deactivateWebhook(sql: Sql, tenantId: string, id: string): Promise<Webhook | undefined> {
  const r = await sql.maybeOne<WebhookRow>('UPDATE webhooks SET active = false WHERE tenant_id = $1 AND id = $2 AND active RETURNING *', [tenantId, id]);
  return r && toWebhook(r);
}

type DeliveryRow = {
  id: string; webhook_id: string; outbox_id: number; event_type: string; idempotency_key: string; status: Delivery['status']; attempts: number;
  next_attempt_at: Date; last_status: number | null; last_error: string | null; delivered_at: Date | null; created_at: Date;
};
type AttemptRow = { delivery_id: string; attempt: number; at: Date; status_code: number | null; error: string | null; duration_ms: number };

export async function deliveriesOf(sql: Sql, tenantId: string, webhookId: string, limit: number, offset: number): Promise<{ items: Delivery[]; total: number }> {
  const total = (await sql.one<{ n: number }>('SELECT count(*)::int AS n FROM webhook_deliveries WHERE tenant_id = $1 AND webhook_id = $2', [tenantId, webhookId])).n;
  const rows = await sql.query<DeliveryRow>(
    `SELECT * FROM webhook_deliveries WHERE tenant_id = $1 AND webhook_id = $2 ORDER BY outbox_id DESC LIMIT $3 OFFSET $4`, [tenantId, webhookId, limit, offset]);
  const attempts = rows.length
    ? await sql.query<AttemptRow>('SELECT * FROM webhook_attempts WHERE tenant_id = $1 AND delivery_id = ANY($2::text[]) ORDER BY attempt', [tenantId, rows.map((r) => r.id)])
    : [];
  return {
    total,
    items: rows.map((r) => ({
      id: r.id, webhookId: r.webhook_id, outboxId: r.outbox_id, eventType: r.event_type, idempotencyKey: r.idempotency_key, status: r.status,
      attempts: r.attempts, nextAttemptAt: r.status === 'pending' ? r.next_attempt_at.toISOString() : null, lastStatus: r.last_status, lastError: r.last_error,
      deliveredAt: r.delivered_at?.toISOString() ?? null, createdAt: r.created_at.toISOString(),
      log: attempts.filter((a) => a.delivery_id === r.id).map((a) => ({ attempt: a.attempt, at: a.at.toISOString(), statusCode: a.status_code, error: a.error, durationMs: a.duration_ms })),
    })),
  };
}

// ---- delivery (operator scope) -------------------------------------------------------------------

export type OutboxRow = { id: number; tenant_id: string; type: string; subject_type: string; subject_id: string; payload: unknown; idempotency_key: string; created_at: Date };

/** Outbox events not yet fanned out, oldest first; rows another instance is fanning out are skipped. */
export async function unfannedEvents(sql: Sql, limit: number): Promise<OutboxRow[]> {
  return sql.query<OutboxRow>(
    `SELECT o.* FROM outbox o WHERE NOT EXISTS (SELECT 1 FROM outbox_fanout f WHERE f.outbox_id = o.id)
      ORDER BY o.id LIMIT $1 FOR UPDATE OF o SKIP LOCKED`, [limit]);
}

export async function activeWebhooksOf(sql: Sql, tenantIds: string[]): Promise<WebhookRow[]> {
  if (tenantIds.length === 0) return [];
  return sql.query<WebhookRow>('SELECT * FROM webhooks WHERE active AND tenant_id = ANY($1::text[])', [tenantIds]);
}

export async function insertDelivery(sql: Sql, d: { id: string; tenantId: string; webhookId: string; outboxId: number; eventType: string; idempotencyKey: string }, now: Date): Promise<void> {
  await sql.query(
    `INSERT INTO webhook_deliveries (id, tenant_id, webhook_id, outbox_id, event_type, idempotency_key, next_attempt_at, created_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$7) ON CONFLICT (webhook_id, outbox_id) DO NOTHING`,
    [d.id, d.tenantId, d.webhookId, d.outboxId, d.eventType, d.idempotencyKey, now],
  );
}

export async function markFanned(sql: Sql, outboxId: number, tenantId: string, now: Date): Promise<void> {
  await sql.query('INSERT INTO outbox_fanout (outbox_id, tenant_id, done_at) VALUES ($1,$2,$3) ON CONFLICT DO NOTHING', [outboxId, tenantId, now]);
}

export type Claimed = {
  id: string; tenant_id: string; webhook_id: string; attempts: number; lease_until: Date; url: string; secret: string; policy: Record<string, unknown>;
  outbox_id: number; type: string; subject_type: string; subject_id: string; payload: unknown; idempotency_key: string; event_created_at: Date;
};

/** Leases due deliveries to this worker; an expired lease (a worker that died mid-delivery) is due again. */
export async function claimDue(sql: Sql, now: Date, leaseUntil: Date, limit: number): Promise<Claimed[]> {
  return sql.query<Claimed>(
    `WITH due AS (
       SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id AND w.active
        WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND (d.lease_until IS NULL OR d.lease_until <= $1)
        ORDER BY d.next_attempt_at, d.outbox_id LIMIT $3 FOR UPDATE OF d SKIP LOCKED),
     claimed AS (
       UPDATE webhook_deliveries d SET lease_until = $2, attempts = d.attempts + 1 FROM due WHERE d.id = due.id RETURNING d.*)
     SELECT c.id, c.tenant_id, c.webhook_id, c.attempts, c.lease_until, w.url, w.secret, t.policy,
            o.id AS outbox_id, o.type, o.subject_type, o.subject_id, o.payload, o.idempotency_key, o.created_at AS event_created_at
       FROM claimed c JOIN webhooks w ON w.id = c.webhook_id JOIN outbox o ON o.id = c.outbox_id JOIN tenants t ON t.id = c.tenant_id
      ORDER BY c.outbox_id`,
    [now, leaseUntil, limit],
  );
}

export async function insertAttempt(sql: Sql, a: { tenantId: string; deliveryId: string; attempt: number; at: Date; statusCode: number | null; error: string | null; durationMs: number }): Promise<void> {
  await sql.query(
    `INSERT INTO webhook_attempts (tenant_id, delivery_id, attempt, at, status_code, error, duration_ms) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
    [a.tenantId, a.deliveryId, a.attempt, a.at, a.statusCode, a.error, a.durationMs],
  );
}

/** Records the outcome only while this worker still holds the lease it claimed with. */
export async function settle(
  sql: Sql, id: string, lease: Date,
  r: { status: 'pending' | 'delivered' | 'failed'; nextAttemptAt?: Date; lastStatus: number | null; lastError: string | null; deliveredAt?: Date },
): Promise<boolean> {
  const rows = await sql.query(
    `UPDATE webhook_deliveries SET status = $3, next_attempt_at = COALESCE($4, next_attempt_at), lease_until = NULL,
            last_status = $5, last_error = $6, delivered_at = $7
      WHERE id = $1 AND lease_until = $2 AND status = 'pending' RETURNING id`,
    [id, lease, r.status, r.nextAttemptAt ?? null, r.lastStatus, r.lastError, r.deliveredAt ?? null],
  );
  return rows.length > 0;
}

/** A failed delivery is queued again, as a new series of attempts (its log is kept). */
export async function requeue(sql: Sql, tenantId: string, webhookId: string, deliveryId: string, now: Date): Promise<boolean> {
  const rows = await sql.query(
    `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = $4, lease_until = NULL
      WHERE tenant_id = $1 AND webhook_id = $2 AND id = $3 AND status = 'failed' RETURNING id`,
    [tenantId, webhookId, deliveryId, now],
  );
  return rows.length > 0;
}
