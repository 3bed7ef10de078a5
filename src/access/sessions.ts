import type { Actor } from '../platform/audit.ts';
import { sha256Hex } from '../platform/canonical.ts';
import { AppError, msg } from '../platform/errors.ts';
import { randomToken } from '../platform/ids.ts';
import { unitOfWork, type Deps } from '../platform/usecase.ts';
import { verifyPassword } from './passwords.ts';
import { permissionsOf } from './policy.ts';
import * as store from './store.ts';

// A fixed argon2id hash so an unknown e-mail costs as much time as a wrong password.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$/iFuSG/DQAWr2Fa5nKu+mA$QDzXMsPRrRrQJmn7SKLvSCnEE8aP8ReDu7BxOYbZHt0';

export async function login(deps: Deps, email: string, password: string) {
  const found = await deps.db.tx('operator', (sql) => store.findLogin(sql, email));
  const ok = await verifyPassword(found?.passwordHash ?? DUMMY_HASH, password);
  if (!found || !ok || found.disabled) throw new AppError('unauthenticated', msg('access.badCredentials'));
  const secret = randomToken();
  const actor: Actor = { type: 'user', id: found.id, name: found.name, tenantId: found.tenantId, role: found.role };
  const expiresAt = new Date(deps.clock().getTime() + deps.config.sessionHours * 3600_000);
  await unitOfWork(deps, actor, async (u) => {
    await store.insertSession(u.sql, u.tenantId, { id: sha256Hex(secret), userId: found.id, createdAt: u.now, expiresAt });
    await u.audit({ action: 'session.created', subjectType: 'user', subjectId: found.id });
  });
  return { secret, expiresAt, me: await me(deps, actor) };
}

export async function logout(deps: Deps, actor: Actor, secret: string) {
  await unitOfWork(deps, actor, async (u) => {
    if (await store.deleteSession(u.sql, u.tenantId, sha256Hex(secret))) {
      await u.audit({ action: 'session.ended', subjectType: 'user', subjectId: actor.id });
    }
  });
}

export async function me(deps: Deps, actor: Actor) {
  const permissions = [...permissionsOf(actor)];
  if (!actor.tenantId) return { user: { id: actor.id, name: actor.name, email: null, role: actor.role }, tenant: null, permissions };
  return deps.db.tx({ tenantId: actor.tenantId }, async (sql) => {
    const tenant = await store.getTenant(sql, actor.tenantId!);
    const user = actor.type === 'user' ? await store.getUser(sql, actor.tenantId!, actor.id) : undefined;
    return {
      user: { id: actor.id, name: actor.name, email: user?.email ?? null, role: actor.role },
      tenant: tenant ? { id: tenant.id, kind: tenant.kind, name: tenant.name, regulator: tenant.regulator } : null,
      permissions,
    };
  });
}
