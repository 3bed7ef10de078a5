import type { Actor } from '../platform/audit.ts';
import { AppError, msg } from '../platform/errors.ts';

/** Every permission a route or use case may ask for. Slices add theirs here. */
export const PERMISSIONS = [
  'tenant:read', 'tenant:admin', 'tenants:create',
  'audit:read',
  'products:read', 'products:write', 'products:approve', 'evidence:read', 'evidence:write', 'catalog:admin',
  'vehicles:read', 'vehicles:write',
  'campaigns:read', 'campaigns:write', 'campaigns:approve', 'rollout:write', 'gate:check',
  'obligations:read', 'obligations:write', 'obligations:approve', 'calendar:admin',
  'filings:read', 'filings:write',
  'incidents:read', 'incidents:write', 'incidents:intake', 'incidents:personal', 'incidents:decide',
  'webhooks:read', 'webhooks:write',
  'regulator:read', 'regulator:decide',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const MANUFACTURER_ROLES = ['admin', 'compliance', 'release_manager', 'engineer', 'auditor'] as const;
export const REGULATOR_ROLES = ['regulator', 'auditor'] as const;
export const ROLES = ['admin', 'compliance', 'release_manager', 'engineer', 'auditor', 'regulator', 'operator'] as const;
export type Role = (typeof ROLES)[number];

const READ: Permission[] = ['tenant:read', 'audit:read', 'products:read', 'evidence:read', 'vehicles:read', 'campaigns:read',
  'obligations:read', 'filings:read', 'incidents:read', 'webhooks:read'];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS.filter((p) => !['tenants:create', 'catalog:admin', 'calendar:admin', 'regulator:read', 'regulator:decide'].includes(p)),
  compliance: [...READ, 'products:write', 'products:approve', 'evidence:write', 'obligations:write', 'obligations:approve',
    'filings:write', 'incidents:write', 'incidents:personal', 'incidents:decide', 'campaigns:approve', 'webhooks:write'],
  release_manager: [...READ, 'vehicles:write', 'campaigns:write', 'campaigns:approve', 'rollout:write', 'gate:check', 'filings:write', 'evidence:write'],
  engineer: [...READ, 'incidents:write', 'incidents:intake', 'evidence:write', 'rollout:write', 'gate:check'],
  auditor: READ,
  regulator: ['tenant:read', 'audit:read', 'regulator:read', 'regulator:decide'],
  operator: PERMISSIONS,
};

export function permissionsOf(actor: Actor): readonly Permission[] {
  if (actor.type === 'token' && actor.scopes && actor.scopes.length > 0) return actor.scopes as Permission[];
  return ROLE_PERMISSIONS[actor.role as Role] ?? [];
}

export function can(actor: Actor, permission: Permission): boolean {
  return permissionsOf(actor).includes(permission);
}

export function authorize(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) {
    throw new AppError('forbidden', msg('access.roleForbids', { role: actor.role, permission }), { details: { permission } });
  }
}
