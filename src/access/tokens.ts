import type { Actor } from '../platform/audit.ts';
import { sha256Hex } from '../platform/canonical.ts';
import { AppError, fieldError, msg } from '../platform/errors.ts';
import { newId, randomToken } from '../platform/ids.ts';
import { unitOfWork, type Deps } from '../platform/usecase.ts';
import type { CreateTokenInput } from './model.ts';
import { forgetToken } from './authenticate.ts';
import { authorize, permissionsOf, type Permission } from './policy.ts';
import * as store from './store.ts';

export const TOKEN_PREFIX = 'icv_';
export const hashToken = (token: string) => sha256Hex(token);

/** Creates an API token; the secret is returned once and only its hash is stored. */
export async function createToken(deps: Deps, actor: Actor, tenantId: string, input: CreateTokenInput) {
  authorize(actor, 'tenant:admin');
  const scopes = input.scopes ?? [];
  const mine = permissionsOf(actor);
  const beyond = scopes.filter((s) => !mine.includes(s as Permission));
  if (beyond.length && actor.type !== 'operator') {
    throw new AppError('forbidden', msg('access.scopesBeyond', { scopes: beyond.join(', ') }));
  }
  const token = TOKEN_PREFIX + randomToken();
  return unitOfWork(deps, actor, async (u) => {
    const tenant = await store.getTenant(u.sql, tenantId);
    if (!tenant) throw new AppError('not_found', msg('platform.notFound', { what: msg('entity.tenant'), id: tenantId }));
    const role = input.role ?? 'scoped';
    if (tenant.kind === 'regulator' && input.role && !['regulator', 'auditor'].includes(input.role)) {
      throw new AppError('validation_failed', msg('access.roleUnknown', { role: input.role, kind: msg('tenantKind.regulator') }), { errors: [fieldError('role', msg('access.oneOf', { values: 'regulator, auditor' }))] });
    }
    const id = newId('tok', u.now.getTime());
    await store.insertToken(u.sql, tenantId, { id, name: input.name, role, scopes, hash: hashToken(token), createdBy: actor.id, createdAt: u.now });
    await u.audit({ action: 'token.created', subjectType: 'api_token', subjectId: id, data: { name: input.name, role, scopes } });
    return { id, name: input.name, role, scopes, token };
  }, { tenantId });
}

export async function revokeToken(deps: Deps, actor: Actor, tenantId: string, tokenId: string) {
  authorize(actor, 'tenant:admin');
  const row = await unitOfWork(deps, actor, async (u) => {
    const r = await store.revokeToken(u.sql, tenantId, tokenId, u.now);
    if (!r) throw new AppError('not_found', msg('platform.notFound', { what: msg('entity.token'), id: tokenId }));
    if (r.changed) await u.audit({ action: 'token.revoked', subjectType: 'api_token', subjectId: tokenId, data: { name: r.name } });
    return r;
  }, { tenantId });
  forgetToken(row.hash);
  const { hash: _h, changed: _c, ...listing } = row;
  return listing;
}
