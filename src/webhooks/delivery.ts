/**
 * Outbox -> webhooks, after commit, at least once. Fan-out writes one delivery per (webhook, event);
 * a worker leases due deliveries in a short transaction, posts them outside any transaction, and
 * settles the result only while it still holds the lease. A worker that dies between sending and
 * settling leaves an expiring lease: the delivery is sent again with the same Idempotency-Key.
 */
import { newId } from '../platform/ids.ts';
import type { Db } from '../platform/db.ts';
import type { Clock } from '../platform/time.ts';
import { resolvePolicy } from '../regimes/cn-2025/obligations.ts';
import { matches } from './model.ts';
import { SIGNATURE_HEADER, signatureHeader } from './signing.ts';
import * as store from './store.ts';

export const BACKOFF_BASE_MS = 30_000;
export const BACKOFF_MAX_MS = 3_600_000;
export const LEASE_MS = 120_000;

/** Delay before attempt n+1 after n failed attempts: 30 s doubling, capped at one hour. */
export function backoffMs(failedAttempts: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, failedAttempts - 1), BACKOFF_MAX_MS);
}

export async function fanOut(db: Db, clock: Clock, batch = 500): Promise<number> {
  return db.tx('operator', async (sql) => {
    const events = await store.unfannedEvents(sql, batch);
    if (events.length === 0) return 0;
    const hooks = await store.activeWebhooksOf(sql, [...new Set(events.map((e) => e.tenant_id))]);
    const now = clock();
    for (const e of events) {
      for (const h of hooks) {
        if (h.tenant_id !== e.tenant_id || !matches(h.events, e.type)) continue;
        await store.insertDelivery(sql, { id: newId('dlv', now.getTime()), tenantId: e.tenant_id, webhookId: h.id, outboxId: e.id, eventType: e.type, idempotencyKey: e.idempotency_key }, now);
      }
      await store.markFanned(sql, e.id, e.tenant_id, now);
    }
    return events.length;
  });
}

/** The body is the same on every attempt, so receivers can deduplicate on the idempotency key. */
export function deliveryBody(c: store.Claimed): string {
  return JSON.stringify({
    id: c.idempotency_key,
    type: c.type,
    tenantId: c.tenant_id,
    subject: { type: c.subject_type, id: c.subject_id },
    createdAt: new Date(c.event_created_at).toISOString(),
    data: c.payload,
  });
}

export type DeliverOptions = {
  db: Db;
  clock: Clock;
  timeoutMs?: number;
  batch?: number;
  /** For tests that simulate a process dying between sending and recording: return false to abandon. */
  afterSend?: (deliveryId: string) => boolean | Promise<boolean>;
};

/** One pass: lease what is due, post each, settle. Returns how many were attempted. */
export async function deliverDue(o: DeliverOptions): Promise<{ attempted: number; delivered: number; failed: number; abandoned: number }> {
  const now = o.clock();
  const lease = new Date(now.getTime() + LEASE_MS);
  const claimed = await o.db.tx('operator', (sql) => store.claimDue(sql, now, lease, o.batch ?? 50));
  const out = { attempted: claimed.length, delivered: 0, failed: 0, abandoned: 0 };
  for (const c of claimed) {
    const body = deliveryBody(c);
    const started = performance.now();
    let statusCode: number | null = null, error: string | null = null;
    try {
      const res = await fetch(c.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'icvgate-webhooks/1',
          'idempotency-key': c.idempotency_key,
          'x-icvgate-event': c.type,
          'x-icvgate-delivery': c.id,
          'x-icvgate-attempt': String(c.attempts),
          [SIGNATURE_HEADER]: signatureHeader(c.secret, body, o.clock()),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
      });
      statusCode = res.status;
      await res.body?.cancel().catch(() => {});
      if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
    } catch (e) {
      error = (e as Error).name === 'TimeoutError' ? 'timed out' : `${(e as Error).message}${(e as any).cause?.code ? ` (${(e as any).cause.code})` : ''}`;
    }
    const durationMs = Math.round(performance.now() - started);
    if (o.afterSend && !(await o.afterSend(c.id))) { out.abandoned++; continue; }
    const at = o.clock();
    const maxAttempts = resolvePolicy(c.policy).policy.webhookMaxAttempts;
    const ok = error === null;
    const status = ok ? 'delivered' : c.attempts >= maxAttempts ? 'failed' : 'pending';
    await o.db.tx('operator', async (sql) => {
      await store.insertAttempt(sql, { tenantId: c.tenant_id, deliveryId: c.id, attempt: c.attempts, at, statusCode, error, durationMs });
      await store.settle(sql, c.id, c.lease_until, {
        status, lastStatus: statusCode, lastError: error,
        nextAttemptAt: ok ? undefined : new Date(at.getTime() + backoffMs(c.attempts)),
        deliveredAt: ok ? at : undefined,
      });
    });
    if (ok) out.delivered++; else if (status === 'failed') out.failed++;
  }
  return out;
}

/** Fan out and deliver until nothing is due now. */
export async function drain(o: DeliverOptions): Promise<{ attempted: number; delivered: number }> {
  let attempted = 0, delivered = 0;
  for (let i = 0; i < 1000; i++) {
    const fanned = await fanOut(o.db, o.clock);
    const r = await deliverDue(o);
    attempted += r.attempted; delivered += r.delivered;
    if (fanned === 0 && r.attempted === 0) break;
  }
  return { attempted, delivered };
}
