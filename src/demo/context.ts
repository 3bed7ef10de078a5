// What every demo step gets and leaves for the steps after it.
import type { Tenant, User } from '../access/model.ts';
import type { Actor } from '../platform/audit.ts';
import type { Deps } from '../platform/usecase.ts';
import type { Product } from '../products/model.ts';

export type DemoTenant = { key: 'domestic' | 'overseas'; tenant: Tenant; admin: Actor; users: { email: string; password: string; role: string; name: string }[] };

export type DemoContext = {
  deps: Deps;
  /** The operator acting for the demo (creates tenants). */
  operator: Actor;
  tenants: Partial<Record<'domestic' | 'overseas', DemoTenant>>;
  /** Products by a short demo name (e.g. 'xingtuS7'), with the tenant they belong to. */
  products: Record<string, { product: Product; tenant: 'domestic' | 'overseas' }>;
  /** Free-form lines printed at the end (what to look at). */
  notes: string[];
  /** Extra results of later steps (campaigns, incidents …), keyed by step name. */
  results: Record<string, unknown>;
};

export type DemoStep = { name: string; run: (ctx: DemoContext) => Promise<void> };

export type DemoUser = User;
