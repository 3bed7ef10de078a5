import { checkUscc } from '../identifiers/uscc.ts';
import type { Actor } from '../platform/audit.ts';
import { AppError, fieldError, msg, validationFailed, type FieldError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { unitOfWork, type Deps } from '../platform/usecase.ts';
import { REGIME } from '../regimes/cn-2025/index.ts';
import type { CreateTenantInput, Tenant } from './model.ts';
import { authorize } from './policy.ts';
import * as store from './store.ts';

/** Hooks other slices register to act on a new tenant in the same transaction (e.g. back-filled obligations). */
export type TenantCreatedHook = (u: import('../platform/usecase.ts').UnitOfWork, tenant: Tenant) => Promise<void>;
const hooks: TenantCreatedHook[] = [];
export function onTenantCreated(hook: TenantCreatedHook) { hooks.push(hook); }

export function checkTenantInput(input: CreateTenantInput): FieldError[] {
  const errors: FieldError[] = [];
  if (input.kind !== 'manufacturer') return errors;
  if (input.overseas) {
    if (!input.country) errors.push(fieldError('country', msg('access.overseasCountryRequired')));
    if (input.country === 'CN') errors.push(fieldError('country', msg('access.overseasNotCn')));
    if (input.importer?.uscc) {
      const c = checkUscc(input.importer.uscc);
      if (!c.ok) errors.push(fieldError('importer.uscc', msg('access.usccInvalid', { reason: c })));
    }
  } else {
    if (!input.uscc) errors.push(fieldError('uscc', msg('access.usccRequired')));
    else {
      const c = checkUscc(input.uscc);
      if (!c.ok) errors.push(fieldError('uscc', msg('access.usccInvalid', { reason: c })));
    }
  }
  return errors;
}

export async function createTenant(deps: Deps, actor: Actor, input: CreateTenantInput): Promise<Tenant> {
  authorize(actor, 'tenants:create');
  const errors = checkTenantInput(input);
  if (errors.length) throw validationFailed(errors);
  const id = newId('ten', deps.clock().getTime());
  // Looked up across all tenants (outside the new tenant's scope); the unique index still guards a race.
  if (input.kind === 'manufacturer' && input.uscc && (await deps.db.tx('operator', (sql) => store.findTenantByUscc(sql, input.uscc!)))) {
    throw new AppError('conflict', msg('access.usccTaken', { uscc: input.uscc }), { errors: [fieldError('uscc', msg('access.alreadyRegistered'))] });
  }
  return unitOfWork(deps, actor, async (u) => {
    const tenant = await store.insertTenant(u.sql, {
      id,
      kind: input.kind,
      name: input.name,
      overseas: input.kind === 'manufacturer' ? input.overseas : false,
      country: input.kind === 'manufacturer' ? (input.country ?? (input.overseas ? null : 'CN')) : 'CN',
      uscc: input.kind === 'manufacturer' ? (input.uscc ?? null) : null,
      importer: input.kind === 'manufacturer' ? (input.importer ?? null) : null,
      regulator: input.kind === 'regulator' ? input.regulator : null,
      policy: input.kind === 'manufacturer' ? (input.policy ?? {}) : {},
      regime: REGIME.id,
      createdAt: u.now,
    });
    await u.audit({ action: 'tenant.created', subjectType: 'tenant', subjectId: tenant.id, after: tenant });
    for (const hook of hooks) await hook(u, tenant);
    return tenant;
  }, { tenantId: id });
}
