import type { Actor } from '../platform/audit.ts';
import { AppError, fieldError, msg } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { unitOfWork, type Deps } from '../platform/usecase.ts';
import type { CreateUserInput, User } from './model.ts';
import { authorize, MANUFACTURER_ROLES, REGULATOR_ROLES } from './policy.ts';
import { hashPassword } from './passwords.ts';
import * as store from './store.ts';

export async function createUser(deps: Deps, actor: Actor, tenantId: string, input: CreateUserInput): Promise<User> {
  authorize(actor, 'tenant:admin');
  // Both outside the transaction: hashing is slow on purpose, and the e-mail check reads across tenants
  // (the unique index still guards a race).
  if (await emailTaken(deps, input.email)) {
    throw new AppError('conflict', msg('access.emailTaken', { email: input.email }), { errors: [fieldError('email', msg('access.alreadyRegistered'))] });
  }
  const passwordHash = await hashPassword(input.password);
  return unitOfWork(deps, actor, async (u) => {
    const tenant = await store.getTenant(u.sql, tenantId);
    if (!tenant) throw new AppError('not_found', msg('platform.notFound', { what: msg('entity.tenant'), id: tenantId }));
    const allowed: readonly string[] = tenant.kind === 'regulator' ? REGULATOR_ROLES : MANUFACTURER_ROLES;
    if (!allowed.includes(input.role)) {
      throw new AppError('validation_failed', msg('access.roleUnknown', { role: input.role, kind: msg(`tenantKind.${tenant.kind}`) }), { errors: [fieldError('role', msg('access.oneOf', { values: allowed.join(', ') }))] });
    }
    const user = await store.insertUser(u.sql, tenantId, {
      id: newId('usr', u.now.getTime()), email: input.email, name: input.name, role: input.role, locale: input.locale, passwordHash, createdAt: u.now,
    });
    await u.audit({ action: 'user.created', subjectType: 'user', subjectId: user.id, after: user });
    return user;
  }, { tenantId });
}

// E-mail addresses are unique across tenants (they are the login), so the check looks across all.
function emailTaken(deps: Deps, email: string) {
  return deps.db.tx('operator', (sql) => store.emailTaken(sql, email));
}
