import { timingSafeEqual } from 'node:crypto';
import type { Actor } from '../platform/audit.ts';
import { sha256Hex } from '../platform/canonical.ts';
import type { Deps } from '../platform/usecase.ts';
import * as store from './store.ts';
import { hashToken } from './tokens.ts';

export const SESSION_COOKIE = 'icvgate_session';
const CACHE_MS = 5_000; // a revoked token stops working within this time
const cache = new Map<string, { actor: Actor | null; until: number }>();

/** Compares digests in constant time; the bootstrap token's digest is computed once per value. */
let bootstrapDigest: { token: string; digest: Buffer } | undefined;
function isBootstrap(bearerDigest: string, bootstrap: string): boolean {
  if (bootstrapDigest?.token !== bootstrap) bootstrapDigest = { token: bootstrap, digest: Buffer.from(sha256Hex(bootstrap)) };
  return timingSafeEqual(Buffer.from(bearerDigest), bootstrapDigest.digest);
}

/** Drops a token from this instance's lookup cache (other instances see a revocation within CACHE_MS). */
export function forgetToken(tokenHash: string) {
  cache.delete('t:' + tokenHash);
}

export const OPERATOR_ACTOR: Actor = { type: 'operator', id: 'operator', name: 'operator', tenantId: null, role: 'operator' };

/** Resolves a bearer token or a session cookie to an actor, or null. */
export async function authenticate(deps: Deps, bearer: string | undefined, sessionCookie: string | undefined): Promise<Actor | null> {
  if (bearer) {
    const digest = hashToken(bearer); // one hash per request: the cache key, the lookup and the bootstrap comparison
    if (deps.config.bootstrapToken && isBootstrap(digest, deps.config.bootstrapToken)) return { ...OPERATOR_ACTOR, id: 'operator:bootstrap', name: 'operator (bootstrap token)' };
    const key = 't:' + digest;
    const hit = cache.get(key);
    const nowMs = Date.now();
    if (hit && hit.until > nowMs) return hit.actor;
    const row = await deps.db.tx('operator', (sql) => store.findTokenByHash(sql, digest));
    const actor: Actor | null = !row || row.revoked ? null : row.tenantId === null
      ? { ...OPERATOR_ACTOR, id: row.id, name: `operator (${row.name})` }
      : { type: 'token', id: row.id, name: `token ${row.name}`, tenantId: row.tenantId, role: row.role, scopes: row.scopes };
    cache.set(key, { actor, until: nowMs + CACHE_MS });
    if (cache.size > 10_000) cache.delete(cache.keys().next().value!);
    return actor;
  }
  if (sessionCookie) {
    const user = await deps.db.tx('operator', (sql) => store.findSession(sql, sha256Hex(sessionCookie), deps.clock()));
    if (!user) return null;
    return { type: 'user', id: user.id, name: user.name, tenantId: user.tenantId, role: user.role };
  }
  return null;
}
