/** Roles a user or token can have in each kind of tenant (src/access/policy.ts). */
export const ROLES_OF_KIND: Record<'manufacturer' | 'regulator', string[]> = {
  manufacturer: ['admin', 'compliance', 'release_manager', 'engineer', 'auditor'],
  regulator: ['regulator', 'auditor'],
};
