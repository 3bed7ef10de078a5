/** The access slice's public API for other slices. */
export { getTenant } from './store.ts';
export { authorize, can, permissionsOf, type Permission } from './policy.ts';
export { onTenantCreated } from './create-tenant.ts';
export type { Tenant } from './model.ts';
