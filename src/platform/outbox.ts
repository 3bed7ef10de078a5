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

/**
 * Records events in the order given, as that many enqueueEvent calls would, in one statement; an
 * idempotency key already present (or repeated in `events`) adds nothing. Returns how many were new.
 */
export async function enqueueEvents(tx: Sql, events: OutboxEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  // One JSON parameter: no parameter limit, and the payloads travel as they are (no array literal to escape).
  const rows = await tx.query(
    `INSERT INTO outbox (tenant_id, type, subject_type, subject_id, payload, idempotency_key)
     SELECT "tenantId", type, "subjectType", "subjectId", payload, "idempotencyKey"
       FROM json_to_recordset($1::json) AS u("tenantId" text, type text, "subjectType" text, "subjectId" text, payload jsonb, "idempotencyKey" text, n int)
      ORDER BY n
     ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
    [JSON.stringify(events.map((e, n) => ({ tenantId: e.tenantId, type: e.type, subjectType: e.subjectType, subjectId: e.subjectId, payload: e.payload, idempotencyKey: e.idempotencyKey, n })))],
  );
  return rows.length;
}
