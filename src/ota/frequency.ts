// Upgrade frequency per product: the 2025 draft has regulators spot-check makers with frequent OTA,
// without a number. The thresholds are tenant policy (policy.ota.frequentUpgrades), shown as policy.
import { z } from 'zod';
import type { Actor } from '../platform/audit.ts';
import { AppError, msg } from '../platform/errors.ts';
import { readScope, type Deps } from '../platform/usecase.ts';
import { listTenantProducts } from '../products/index.ts';
import * as store from './store.ts';

export const FrequencyPolicy = z.object({ d30: z.number().int().min(1).default(2), d90: z.number().int().min(1).default(4), d365: z.number().int().min(1).default(12) });
export type FrequencyPolicy = z.infer<typeof FrequencyPolicy>;

/** Pure: counts activities per product whose planned start (else creation) lies within 30/90/365 days before `now`. */
export function frequencyOf(campaigns: { product_ids: string[]; start: string | null; created_at: Date; state: string }[], productIds: string[], now: Date, policy: FrequencyPolicy) {
  const day = 86_400_000;
  return productIds.map((productId) => {
    const times = campaigns.filter((c) => c.product_ids.includes(productId) && c.state !== 'draft')
      .map((c) => (c.start ? new Date(c.start) : c.created_at).getTime()).filter((t) => t <= now.getTime());
    const within = (days: number) => times.filter((t) => now.getTime() - t < days * day).length;
    const counts = { d30: within(30), d90: within(90), d365: within(365) };
    const flags = (['d30', 'd90', 'd365'] as const).filter((k) => counts[k] > policy[k]);
    return { productId, counts, frequent: flags.length > 0, exceeded: flags };
  });
}

export async function upgradeFrequency(deps: Deps, actor: Actor) {
  if (!actor.tenantId) throw new AppError('bad_request', msg('ota.frequencyNeedsTenant'));
  const now = deps.clock();
  return readScope(deps, actor, async (sql) => {
    const raw = ((await store.tenantPolicy(sql, actor.tenantId!)).ota as any)?.frequentUpgrades ?? {};
    const parsed = FrequencyPolicy.safeParse(raw);
    const policy = parsed.success ? parsed.data : FrequencyPolicy.parse({});
    const products = await listTenantProducts(sql, actor.tenantId!);
    const rows = frequencyOf(await store.campaignsOfProducts(sql, actor.tenantId!), products.map((p) => p.id), now, policy);
    return {
      now: now.toISOString(),
      policy: { ...policy, basis: 'policy' as const, note: 'thresholds are the tenant\'s policy: the 2025 draft names frequent OTA as a spot-check trigger without a number' },
      products: rows.map((r) => ({ ...r, model: products.find((p) => p.id === r.productId)?.model ?? r.productId })),
    };
  });
}
