// The tenant's signing keys: one active key signs; retired keys stay published so what they signed
// keeps verifying. Private keys live in the tenant's rows (row-level security); see docs/ota.md.
import type { Actor } from '../platform/audit.ts';
import type { Sql } from '../platform/db.ts';
import { newId } from '../platform/ids.ts';
import { unitOfWork, type Deps, type UnitOfWork } from '../platform/usecase.ts';
import { newSigningKey, type SigningKey } from './signing.ts';
import * as store from './store.ts';

export async function activeSigningKey(u: UnitOfWork): Promise<SigningKey> {
  const k = await store.activeKey(u.sql, u.tenantId);
  if (k) return { kid: k.kid, publicJwk: k.public_jwk, privateJwk: k.private_jwk };
  return createKey(u);
}

async function createKey(u: UnitOfWork): Promise<SigningKey> {
  const key = await newSigningKey(newId('key', u.now.getTime()));
  await store.insertKey(u.sql, u.tenantId, { kid: key.kid, publicJwk: key.publicJwk, privateJwk: key.privateJwk, at: u.now });
  await u.audit({ action: 'ota.signing_key.created', subjectType: 'signing_key', subjectId: key.kid, data: { kid: key.kid, publicJwk: key.publicJwk } });
  return key;
}

export async function rotateSigningKey(deps: Deps, actor: Actor): Promise<{ kid: string; retired: string | null }> {
  return unitOfWork(deps, actor, async (u) => {
    const old = await store.activeKey(u.sql, u.tenantId);
    const k = await createKey(u);
    return { kid: k.kid, retired: old?.kid ?? null };
  });
}

/** The public JWKS: every key ever used, newest first, without private parts. */
export async function jwks(sql: Sql, tenantId: string): Promise<{ keys: Record<string, unknown>[] }> {
  const rows = await store.publishedKeys(sql, tenantId);
  return { keys: rows.map((r) => { const { d: _d, ...pub } = r.public_jwk as Record<string, unknown>; return { ...pub, kid: r.kid, alg: 'EdDSA', use: 'sig' }; }) };
}
