import { z } from 'zod';
import { PERMISSIONS, ROLES } from './policy.ts';

export const LocalizedName = z.object({ zh: z.string().trim().min(1).max(200), en: z.string().trim().min(1).max(200) });

const Importer = z.object({
  name: LocalizedName,
  uscc: z.string().trim().max(18).optional(),
});

export const CreateTenant = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('manufacturer'),
    name: LocalizedName,
    overseas: z.boolean().default(false),
    uscc: z.string().trim().toUpperCase().optional().describe('unified social credit code; required for domestic manufacturers'),
    country: z.string().trim().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 country code, e.g. DE').optional(),
    importer: Importer.optional().describe('importer in China that is the producer for SAMR recall duties'),
    policy: z.record(z.string(), z.unknown()).optional(),
  }),
  z.object({
    kind: z.literal('regulator'),
    regulator: z.enum(['MIIT', 'SAMR']),
    name: LocalizedName,
  }),
]);
export type CreateTenantInput = z.infer<typeof CreateTenant>;

export const Tenant = z.object({
  id: z.string(),
  kind: z.enum(['manufacturer', 'regulator']),
  name: LocalizedName,
  overseas: z.boolean(),
  country: z.string().nullable(),
  uscc: z.string().nullable(),
  importer: Importer.nullable(),
  regulator: z.enum(['MIIT', 'SAMR']).nullable(),
  policy: z.record(z.string(), z.unknown()),
  regime: z.string(),
  createdAt: z.string(),
});
export type Tenant = z.infer<typeof Tenant>;

export const CreateUser = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  name: z.string().trim().min(1).max(200),
  role: z.enum(ROLES).exclude(['operator']),
  password: z.string().min(12, 'at least 12 characters').max(200),
  locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
});
export type CreateUserInput = z.infer<typeof CreateUser>;

export const User = z.object({
  id: z.string(), tenantId: z.string(), email: z.string(), name: z.string(), role: z.string(), locale: z.string(), createdAt: z.string(),
});
export type User = z.infer<typeof User>;

export const CreateToken = z.object({
  name: z.string().trim().min(1).max(100),
  role: z.enum(ROLES).exclude(['operator']).optional(),
  scopes: z.array(z.enum(PERMISSIONS)).max(PERMISSIONS.length).optional(),
}).refine((t) => !!t.role !== !!(t.scopes && t.scopes.length), { message: 'give either role or scopes', path: ['role'] });
export type CreateTokenInput = z.infer<typeof CreateToken>;

export const TokenCreated = z.object({ id: z.string(), name: z.string(), role: z.string(), scopes: z.array(z.string()), token: z.string() });

export const TokenListing = z.object({
  id: z.string(), name: z.string(), role: z.string(), scopes: z.array(z.string()), createdBy: z.string().nullable(),
  createdAt: z.string(), revokedAt: z.string().nullable(),
});

export const Login = z.object({ email: z.string().trim().toLowerCase().max(254), password: z.string().max(200) });

export const Me = z.object({
  user: z.object({ id: z.string(), name: z.string(), email: z.string().nullable(), role: z.string() }),
  tenant: z.object({ id: z.string(), kind: z.string(), name: LocalizedName, regulator: z.string().nullable() }).nullable(),
  permissions: z.array(z.string()),
});
