import { AppError, msg } from './errors.ts';
import type { Sql } from './db.ts';

/**
 * Replays the stored response of a request already handled under the same key, in the caller's
 * transaction. The same key with a different body is a conflict, never a silent second write.
 */
export async function findIdempotent<T>(tx: Sql, tenantId: string, scope: string, key: string, requestDigest: string): Promise<T | undefined> {
  const row = await tx.maybeOne<{ request_digest: string; response: T }>(
    'SELECT request_digest, response FROM idempotency_keys WHERE tenant_id = $1 AND scope = $2 AND key = $3',
    [tenantId, scope, key],
  );
  if (!row) return undefined;
  if (row.request_digest !== requestDigest) {
    throw new AppError('idempotency_conflict', msg('platform.idempotencyReused', { key }), { details: { key } });
  }
  return row.response;
}

export async function saveIdempotent(tx: Sql, tenantId: string, scope: string, key: string, requestDigest: string, response: unknown): Promise<void> {
  await tx.query(
    'INSERT INTO idempotency_keys (tenant_id, scope, key, request_digest, response) VALUES ($1,$2,$3,$4,$5)',
    [tenantId, scope, key, requestDigest, JSON.stringify(response)],
  );
}
