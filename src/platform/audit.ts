import { canonicalJson, digestOf, sha256Hex } from './canonical.ts';
import type { Sql } from './db.ts';

export type Actor = {
  type: 'user' | 'token' | 'operator' | 'system';
  id: string;
  name: string;
  tenantId: string | null;
  role: string;
  scopes?: string[];
};

export const SYSTEM_ACTOR: Actor = { type: 'system', id: 'system', name: 'icvgate', tenantId: null, role: 'system' };

export type AuditInput = {
  tenantId: string;
  actor: Actor;
  action: string; // e.g. 'product.created', 'campaign.cleared'
  subjectType: string;
  subjectId: string;
  before?: unknown;
  after?: unknown;
  data?: Record<string, unknown>;
  at: Date;
};

export type AuditEntry = {
  tenantId: string;
  seq: number;
  at: string;
  actor: { type: string; id: string; name: string };
  action: string;
  subjectType: string;
  subjectId: string;
  beforeDigest: string | null;
  afterDigest: string | null;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
};

export const GENESIS = '0'.repeat(64);

/** The hash of an entry: SHA-256 over the canonical JSON of everything but the hash itself. */
export function entryHash(e: Omit<AuditEntry, 'hash'>): string {
  return sha256Hex(canonicalJson(e));
}

/** The entry `input` becomes when appended after `prev` (the chain's head, none for the first entry). */
function chained(input: AuditInput, prev: { seq: number; hash: string } | undefined): AuditEntry {
  const body: Omit<AuditEntry, 'hash'> = {
    tenantId: input.tenantId,
    seq: Number(prev?.seq ?? 0) + 1,
    at: input.at.toISOString(),
    actor: { type: input.actor.type, id: input.actor.id, name: input.actor.name },
    action: input.action,
    subjectType: input.subjectType,
    subjectId: input.subjectId,
    beforeDigest: input.before === undefined ? null : digestOf(input.before),
    afterDigest: input.after === undefined ? null : digestOf(input.after),
    data: JSON.parse(canonicalJson(input.data ?? {})),
    prevHash: prev?.hash ?? GENESIS,
  };
  return { ...body, hash: entryHash(body) };
}

/** Appends one entry to the tenant's chain, inside the caller's transaction. */
export async function appendAudit(tx: Sql, input: AuditInput): Promise<AuditEntry> {
  const head = await tx.maybeOne<{ seq: number; hash: string }>(
    'SELECT seq, hash FROM audit_heads WHERE tenant_id = $1 FOR UPDATE',
    [input.tenantId],
  );
  const entry = chained(input, head);
  await tx.query(
    `INSERT INTO audit_log (tenant_id, seq, at, actor, action, subject_type, subject_id, before_digest, after_digest, data, prev_hash, hash)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
    [entry.tenantId, entry.seq, entry.at, JSON.stringify(entry.actor), entry.action, entry.subjectType, entry.subjectId,
      entry.beforeDigest, entry.afterDigest, JSON.stringify(entry.data), entry.prevHash, entry.hash],
  );
  await tx.query(
    `INSERT INTO audit_heads (tenant_id, seq, hash) VALUES ($1,$2,$3)
     ON CONFLICT (tenant_id) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash`,
    [entry.tenantId, entry.seq, entry.hash],
  );
  return entry;
}

/**
 * Appends entries in the order given, exactly as that many appendAudit calls would (same seq, same
 * hashes), in three statements per tenant whatever their number: the head locked once, the entries
 * chained in node, one INSERT of them all, the head moved once.
 */
export async function appendAuditMany(tx: Sql, inputs: AuditInput[]): Promise<AuditEntry[]> {
  const tenants = [...new Set(inputs.map((i) => i.tenantId))].sort();
  const out: AuditEntry[] = new Array(inputs.length);
  for (const tenantId of tenants) {
    const mine = inputs.flatMap((input, i) => (input.tenantId === tenantId ? [i] : []));
    let head = await tx.maybeOne<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_heads WHERE tenant_id = $1 FOR UPDATE', [tenantId]);
    const entries: AuditEntry[] = [];
    for (const i of mine) {
      const e = chained(inputs[i], head);
      entries.push(e); out[i] = e; head = e;
    }
    // One JSON parameter: no parameter limit, nothing to escape into array literals.
    await tx.query(
      `INSERT INTO audit_log (tenant_id, seq, at, actor, action, subject_type, subject_id, before_digest, after_digest, data, prev_hash, hash)
       SELECT $1, seq, at, actor, action, "subjectType", "subjectId", "beforeDigest", "afterDigest", data, "prevHash", hash
         FROM json_to_recordset($2::json) AS u(seq bigint, at timestamptz, actor jsonb, action text, "subjectType" text, "subjectId" text,
                                               "beforeDigest" text, "afterDigest" text, data jsonb, "prevHash" text, hash text)
        ORDER BY seq`,
      [tenantId, JSON.stringify(entries)],
    );
    await tx.query(
      `INSERT INTO audit_heads (tenant_id, seq, hash) VALUES ($1,$2,$3)
       ON CONFLICT (tenant_id) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash`,
      [tenantId, head!.seq, head!.hash],
    );
  }
  return out;
}

export type VerifyResult =
  | { ok: true; entries: number; tenants: number }
  | { ok: false; entries: number; firstBroken: { tenantId: string; seq: number; id?: number; reason: string } };

type Row = {
  id: number; tenant_id: string; seq: number; at: Date; actor: AuditEntry['actor']; action: string;
  subject_type: string; subject_id: string; before_digest: string | null; after_digest: string | null;
  data: Record<string, unknown>; prev_hash: string; hash: string;
};

export function rowToEntry(r: Row): AuditEntry {
  return {
    tenantId: r.tenant_id, seq: Number(r.seq), at: new Date(r.at).toISOString(), actor: r.actor, action: r.action,
    subjectType: r.subject_type, subjectId: r.subject_id, beforeDigest: r.before_digest, afterDigest: r.after_digest,
    data: r.data, prevHash: r.prev_hash, hash: r.hash,
  };
}

/** Walks each tenant's chain in sequence order and names the first entry that does not hold. */
export async function verifyAudit(sql: Sql, tenantId?: string, onProgress?: (n: number) => void): Promise<VerifyResult> {
  const heads = await sql.query<{ tenant_id: string; seq: number; hash: string }>(
    `SELECT tenant_id, seq, hash FROM audit_heads ${tenantId ? 'WHERE tenant_id = $1' : ''} ORDER BY tenant_id`,
    tenantId ? [tenantId] : [],
  );
  let entries = 0;
  for (const head of heads) {
    let prev = GENESIS, expectSeq = 1, lastId = 0;
    for (;;) {
      const rows = await sql.query<Row>(
        'SELECT * FROM audit_log WHERE tenant_id = $1 AND seq >= $2 ORDER BY seq LIMIT 5000',
        [head.tenant_id, expectSeq],
      );
      if (rows.length === 0) break;
      for (const r of rows) {
        const e = rowToEntry(r);
        const broken = (reason: string) => ({ ok: false as const, entries, firstBroken: { tenantId: e.tenantId, seq: e.seq, id: Number(r.id), reason } });
        if (e.seq !== expectSeq) return { ok: false, entries, firstBroken: { tenantId: e.tenantId, seq: expectSeq, reason: `entry ${expectSeq} is missing` } };
        if (Number(r.id) <= lastId) return broken('entry is out of order');
        if (e.prevHash !== prev) return broken('previous hash does not match the entry before it');
        const { hash, ...body } = e;
        if (entryHash(body) !== hash) return broken('content does not match its hash');
        prev = hash; expectSeq++; lastId = Number(r.id); entries++;
      }
      onProgress?.(entries);
    }
    if (expectSeq - 1 !== Number(head.seq) || prev !== head.hash) {
      return { ok: false, entries, firstBroken: { tenantId: head.tenant_id, seq: expectSeq, reason: `chain ends at ${expectSeq - 1} but its head is at ${head.seq}` } };
    }
  }
  return { ok: true, entries, tenants: heads.length };
}
