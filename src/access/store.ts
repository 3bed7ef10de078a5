import type { Sql } from '../platform/db.ts';
import type { Tenant, User } from './model.ts';

const tenantRow = (r: any): Tenant => ({
  id: r.id, kind: r.kind, name: { zh: r.name_zh, en: r.name_en }, overseas: r.overseas, country: r.country,
  uscc: r.uscc, importer: r.importer, regulator: r.regulator, policy: r.policy, regime: r.regime,
  createdAt: new Date(r.created_at).toISOString(),
});

export async function insertTenant(sql: Sql, t: Omit<Tenant, 'createdAt'> & { createdAt: Date }): Promise<Tenant> {
  const r = await sql.one(
    `INSERT INTO tenants (id, kind, name_zh, name_en, overseas, country, uscc, importer, regulator, policy, regime, created_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) RETURNING *`,
    [t.id, t.kind, t.name.zh, t.name.en, t.overseas, t.country, t.uscc, t.importer ? JSON.stringify(t.importer) : null,
      t.regulator, JSON.stringify(t.policy), t.regime, t.createdAt],
  );
  return tenantRow(r);
}

export async function getTenant(sql: Sql, tenantId: string): Promise<Tenant | undefined> {
  const r = await sql.maybeOne('SELECT * FROM tenants WHERE id = $1', [tenantId]);
  return r && tenantRow(r);
}

export async function findTenantByUscc(sql: Sql, uscc: string): Promise<Tenant | undefined> {
  const r = await sql.maybeOne('SELECT * FROM tenants WHERE uscc = $1', [uscc]);
  return r && tenantRow(r);
}

/** Operator view: every tenant (row-level security lets only the operator scope see them all). */
export async function listTenants(sql: Sql): Promise<Tenant[]> {
  return (await sql.query('SELECT * FROM tenants ORDER BY created_at, id')).map(tenantRow);
}

export async function updateTenantPolicy(sql: Sql, tenantId: string, policy: Record<string, unknown>): Promise<Tenant | undefined> {
  const r = await sql.maybeOne('UPDATE tenants SET policy = $2 WHERE id = $1 RETURNING *', [tenantId, JSON.stringify(policy)]);
  return r && tenantRow(r);
}

const userRow = (r: any): User => ({
  id: r.id, tenantId: r.tenant_id, email: r.email, name: r.name, role: r.role, locale: r.locale,
  createdAt: new Date(r.created_at).toISOString(),
});

export async function insertUser(sql: Sql, tenantId: string, u: Omit<User, 'tenantId' | 'createdAt'> & { passwordHash: string; createdAt: Date }): Promise<User> {
  const r = await sql.one(
    `INSERT INTO users (id, tenant_id, email, name, role, password_hash, locale, created_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING *`,
    [u.id, tenantId, u.email, u.name, u.role, u.passwordHash, u.locale, u.createdAt],
  );
  return userRow(r);
}

export async function listUsers(sql: Sql, tenantId: string): Promise<User[]> {
  return (await sql.query('SELECT * FROM users WHERE tenant_id = $1 ORDER BY created_at, id', [tenantId])).map(userRow);
}

export async function getUser(sql: Sql, tenantId: string, userId: string): Promise<User | undefined> {
  const r = await sql.maybeOne('SELECT * FROM users WHERE tenant_id = $1 AND id = $2', [tenantId, userId]);
  return r && userRow(r);
}

/** Login looks a user up before any tenant is known, so it runs in the operator scope. */
export async function findLogin(sql: Sql, email: string): Promise<(User & { passwordHash: string; disabled: boolean }) | undefined> {
  const r = await sql.maybeOne('SELECT * FROM users WHERE lower(email) = lower($1)', [email]);
  return r && { ...userRow(r), passwordHash: r.password_hash, disabled: !!r.disabled_at };
}

export async function emailTaken(sql: Sql, email: string): Promise<boolean> {
  return !!(await sql.maybeOne('SELECT 1 FROM users WHERE lower(email) = lower($1)', [email]));
}

export type TokenRow = { id: string; tenantId: string | null; name: string; role: string; scopes: string[]; revoked: boolean };

export async function insertToken(sql: Sql, tenantId: string | null, t: { id: string; name: string; role: string; scopes: string[]; hash: string; createdBy: string; createdAt: Date }) {
  await sql.query(
    `INSERT INTO api_tokens (id, tenant_id, name, role, scopes, token_hash, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
    [t.id, tenantId, t.name, t.role, t.scopes, t.hash, t.createdBy, t.createdAt],
  );
}

export async function findTokenByHash(sql: Sql, hash: string): Promise<TokenRow | undefined> {
  const r = await sql.maybeOne('SELECT * FROM api_tokens WHERE token_hash = $1', [hash]);
  return r && { id: r.id, tenantId: r.tenant_id, name: r.name, role: r.role, scopes: r.scopes ?? [], revoked: !!r.revoked_at };
}

export type TokenListing = { id: string; name: string; role: string; scopes: string[]; createdBy: string | null; createdAt: string; revokedAt: string | null };
const tokenListing = (r: any): TokenListing => ({
  id: r.id, name: r.name, role: r.role, scopes: r.scopes ?? [], createdBy: r.created_by,
  createdAt: new Date(r.created_at).toISOString(), revokedAt: r.revoked_at ? new Date(r.revoked_at).toISOString() : null,
});

export async function listTokens(sql: Sql, tenantId: string): Promise<TokenListing[]> {
  return (await sql.query('SELECT * FROM api_tokens WHERE tenant_id = $1 ORDER BY created_at, id', [tenantId])).map(tokenListing);
}

/** Revokes once; returns the row (with its hash, to drop it from the lookup cache) or undefined when unknown. */
export async function revokeToken(sql: Sql, tenantId: string, tokenId: string, now: Date): Promise<(TokenListing & { hash: string; changed: boolean }) | undefined> {
  const r = await sql.maybeOne(
    `WITH prev AS (SELECT id, revoked_at FROM api_tokens WHERE tenant_id = $1 AND id = $2 FOR UPDATE)
     UPDATE api_tokens t SET revoked_at = COALESCE(t.revoked_at, $3) FROM prev WHERE t.id = prev.id
     RETURNING t.*, (prev.revoked_at IS NULL) AS changed`, [tenantId, tokenId, now]);
  return r && { ...tokenListing(r), hash: r.token_hash, changed: r.changed };
}

export async function countOperatorTokens(sql: Sql): Promise<number> {
  return (await sql.one<{ n: number }>('SELECT count(*)::int AS n FROM api_tokens WHERE tenant_id IS NULL AND revoked_at IS NULL')).n;
}

export async function insertSession(sql: Sql, tenantId: string, s: { id: string; userId: string; createdAt: Date; expiresAt: Date }) {
  await sql.query('INSERT INTO sessions (id, tenant_id, user_id, created_at, expires_at) VALUES ($1,$2,$3,$4,$5)',
    [s.id, tenantId, s.userId, s.createdAt, s.expiresAt]);
}

export async function findSession(sql: Sql, id: string, now: Date) {
  const r = await sql.maybeOne(
    `SELECT u.*, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.id = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL`,
    [id, now],
  );
  return r && userRow(r);
}

export async function deleteSession(sql: Sql, tenantId: string, id: string): Promise<boolean> {
  return (await sql.query('DELETE FROM sessions WHERE tenant_id = $1 AND id = $2 RETURNING id', [tenantId, id])).length > 0;
}

export async function listAudit(sql: Sql, tenantId: string, f: { subjectType?: string; subjectId?: string; actor?: string; after?: number; before?: number; limit: number }) {
  const where = ['tenant_id = $1'];
  const params: unknown[] = [tenantId];
  const add = (cond: string, v: unknown) => { params.push(v); where.push(cond.replace('?', `$${params.length}`)); };
  if (f.subjectType) add('subject_type = ?', f.subjectType);
  if (f.subjectId) add('subject_id = ?', f.subjectId);
  if (f.actor) add(`actor->>'id' = ?`, f.actor);
  if (f.after !== undefined) add('seq > ?', f.after);
  if (f.before !== undefined) add('seq < ?', f.before);
  const total = (await sql.one<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE ${where.join(' AND ')}`, params)).n;
  params.push(f.limit);
  const rows = await sql.query(`SELECT * FROM audit_log WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT $${params.length}`, params);
  return { rows, total };
}
