// `icvgate demo`: fills a fresh system with two manufacturers and live data, step by step.
import type { Actor } from '../platform/audit.ts';
import type { Deps } from '../platform/usecase.ts';
import type { DemoContext } from './context.ts';
import { STEPS } from './steps.ts';

export type { DemoContext, DemoStep } from './context.ts';

export type DemoSummary = {
  tenants: { key: string; id: string; name: string; overseas: boolean; users: { email: string; password: string; role: string }[] }[];
  products: { name: string; id: string; model: string; tenant: string }[];
  notes: string[];
  results: Record<string, unknown>;
  steps: string[];
};

const DEMO_OPERATOR: Actor = { type: 'operator', id: 'demo', name: 'icvgate demo', tenantId: null, role: 'operator' };

export async function runDemo(deps: Deps, opts: { steps?: typeof STEPS; onStep?: (name: string) => void } = {}): Promise<DemoSummary> {
  const ctx: DemoContext = { deps, operator: DEMO_OPERATOR, tenants: {}, products: {}, notes: [], results: {} };
  const done: string[] = [];
  for (const step of opts.steps ?? STEPS) {
    opts.onStep?.(step.name);
    await step.run(ctx);
    done.push(step.name);
  }
  return {
    tenants: Object.values(ctx.tenants).map((t) => ({
      key: t!.key, id: t!.tenant.id, name: t!.tenant.name.en, overseas: t!.tenant.overseas,
      users: t!.users.map(({ email, password, role }) => ({ email, password, role })),
    })),
    products: Object.entries(ctx.products).map(([name, p]) => ({ name, id: p.product.id, model: p.product.model, tenant: p.tenant })),
    notes: ctx.notes,
    results: ctx.results,
    steps: done,
  };
}
