// Step: the two regulators (MIIT, SAMR) with a reviewer each, and the supplementary-parameters
// package of an approved product built and submitted to both, so the regulator view has real work.
import { createTenant } from '../access/create-tenant.ts';
import { createUser } from '../access/create-user.ts';
import { createFiling, recordFilingSubmission } from '../filings/index.ts';
import { shanghaiDate } from '../platform/time.ts';
import type { DemoStep } from './context.ts';
import { DEMO_PASSWORD } from './tenants.ts';

const REGULATORS = [
  { regulator: 'MIIT' as const, name: { zh: '工业和信息化部', en: 'MIIT' }, email: 'reviewer@miit.demo', user: '孙伟 Sun Wei (MIIT reviewer)' },
  { regulator: 'SAMR' as const, name: { zh: '国家市场监督管理总局', en: 'SAMR' }, email: 'reviewer@samr.demo', user: '陈洁 Chen Jie (SAMR reviewer)' },
];

export const regulatorsStep: DemoStep = {
  name: 'regulators',
  async run(ctx) {
    const logins: { regulator: string; id: string; email: string; password: string }[] = [];
    for (const r of REGULATORS) {
      const tenant = await createTenant(ctx.deps, ctx.operator, { kind: 'regulator', regulator: r.regulator, name: r.name });
      await createUser(ctx.deps, ctx.operator, tenant.id, { email: r.email, name: r.user, role: 'regulator', password: DEMO_PASSWORD, locale: 'zh-CN' });
      logins.push({ regulator: r.regulator, id: tenant.id, email: r.email, password: DEMO_PASSWORD });
    }
    ctx.results.regulators = logins;

    const domestic = ctx.tenants.domestic;
    const product = ctx.products.xingtuS7;
    if (domestic && product) {
      const today = shanghaiDate(ctx.deps.clock());
      for (const addressee of ['MIIT', 'SAMR'] as const) {
        const { filing } = await createFiling(ctx.deps, domestic.admin, { kind: 'supplementary-parameters', subject: product.product.id, addressee });
        await recordFilingSubmission(ctx.deps, domestic.admin, filing.id, {
          channel: addressee === 'MIIT' ? 'other' : 'samr-recall-platform', submittedOn: today, reference: `${addressee}-SUP-2026-0001`,
          note: addressee === 'MIIT' ? 'MIIT product access and production conformity system' : undefined,
        });
      }
      ctx.notes.push(`${product.product.model}: supplementary parameters filed with MIIT and SAMR; sign in as reviewer@samr.demo to review the package`);
    }
  },
};
