import type { Sql } from './db.ts';

export type OutboxEvent = {
  tenantId: string;
  type: string; // e.g. 'obligation.overdue', 'campaign.cleared'
  subjectType: string;
  subjectId: string;
  payload: Record<string, unknown>;
  /** Same key, same event: a re-run sweep never enqueues twice. */
  idempotencyKey: string;
};

/** Records an event in the caller's transaction; delivery happens after commit. */
export async function enqueueEvent(tx: Sql, e: OutboxEvent): Promise<boolean> {
  const rows = await tx.query(
    `INSERT INTO outbox (tenant_id, type, subject_type, subject_id, payload, idempotency_key)
     VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
    [e.tenantId, e.type, e.subjectType, e.subjectId, JSON.stringify(e.payload), e.idempotencyKey],
  );
  return rows.length > 0;
}
