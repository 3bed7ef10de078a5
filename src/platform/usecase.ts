import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { appendAudit, appendAuditMany, type Actor, type AuditInput } from './audit.ts';
import type { Db, Sql } from './db.ts';
import { AppError, msg } from './errors.ts';
import { enqueueEvent, enqueueEvents, type OutboxEvent } from './outbox.ts';
import type { Clock } from './time.ts';

/** What every use case may depend on; built once in app.ts. */
export type Deps = {
  db: Db;
  clock: Clock;
  config: Config;
  log: Logger;
  /** Content-addressed file store (src/platform/blobs.ts). */
  blobs: import('./blobs.ts').BlobStore;
  /** Called after a transaction that enqueued outbox events commits (wakes the delivery worker). */
  onCommit?: () => void;
};

export type UnitOfWork = {
  sql: Sql;
  now: Date;
  actor: Actor;
  tenantId: string;
  audit(e: AuditRequest): Promise<void>;
  emit(e: EmitRequest): Promise<void>;
  /** The entries in order, as that many audit() calls would append them, in a constant number of statements. */
  auditMany(entries: AuditRequest[]): Promise<void>;
  /** The events in order, as that many emit() calls would, in one statement. */
  emitMany(events: EmitRequest[]): Promise<void>;
};

export type AuditRequest = Omit<AuditInput, 'tenantId' | 'actor' | 'at'> & { tenantId?: string };
export type EmitRequest = Omit<OutboxEvent, 'tenantId'> & { tenantId?: string };

/**
 * One use case = one transaction, scoped by row-level security to the tenant it acts in, with its
 * audit entries and outbox events written in that same transaction.
 */
export async function unitOfWork<T>(
  deps: Deps,
  actor: Actor,
  fn: (u: UnitOfWork) => Promise<T>,
  opts: { tenantId?: string } = {},
): Promise<T> {
  const tenantId = opts.tenantId ?? actor.tenantId;
  if (!tenantId) throw new AppError('bad_request', msg('platform.tenantRequired'));
  if (opts.tenantId && actor.tenantId && actor.tenantId !== opts.tenantId) {
    throw new AppError('not_found', msg('platform.notFound', { what: msg('entity.tenant'), id: opts.tenantId }));
  }
  let emitted = false;
  const result = await deps.db.tx({ tenantId }, async (sql) => fn(unitIn(sql, deps.clock(), actor, tenantId, () => { emitted = true; })));
  if (emitted) deps.onCommit?.();
  return result;
}

/**
 * The unit of work of a transaction already open (`sql`), acting in `tenantId`: what unitOfWork hands
 * to its function, and what code that opens its own transaction (the reminder sweep, a regulator's
 * decision) builds for the slices it calls. `onEmitted` runs when an event was newly enqueued.
 */
export function unitIn(sql: Sql, now: Date, actor: Actor, tenantId: string, onEmitted: () => void = () => {}): UnitOfWork {
  return {
    sql, now, actor, tenantId,
    audit: async (e) => { await appendAudit(sql, { ...e, tenantId: e.tenantId ?? tenantId, actor, at: now }); },
    emit: async (e) => { if (await enqueueEvent(sql, { ...e, tenantId: e.tenantId ?? tenantId })) onEmitted(); },
    auditMany: async (es) => {
      if (es.length) await appendAuditMany(sql, es.map((e) => ({ ...e, tenantId: e.tenantId ?? tenantId, actor, at: now })));
    },
    emitMany: async (es) => { if ((await enqueueEvents(sql, es.map((e) => ({ ...e, tenantId: e.tenantId ?? tenantId })))) > 0) onEmitted(); },
  };
}

/** A read in the actor's tenant scope (no audit, no outbox, no transaction: see Db.read). */
export function readScope<T>(deps: Deps, actor: Actor, fn: (sql: Sql) => Promise<T>, tenantId?: string): Promise<T> {
  const t = tenantId ?? actor.tenantId;
  if (tenantId && actor.tenantId && actor.tenantId !== tenantId) throw new AppError('not_found', msg('platform.notFound', { what: msg('entity.tenant'), id: tenantId }));
  return deps.db.read(t ? { tenantId: t } : 'operator', fn);
}
