// Step 1: a domestic and an overseas manufacturer, each with users to sign in with.
import { createTenant } from '../access/create-tenant.ts';
import { createUser } from '../access/create-user.ts';
import type { CreateUserInput } from '../access/model.ts';
import { withUsccCheck } from '../identifiers/uscc.ts';
import type { Actor } from '../platform/audit.ts';
import { AppError, msg } from '../platform/errors.ts';
import type { DemoContext, DemoStep, DemoTenant } from './context.ts';

export const DEMO_PASSWORD = 'icvgate-demo-2026';
export const DOMESTIC_USCC = withUsccCheck('91310115MA1K4DEMO'.replace(/O/g, '0'));
const IMPORTER_USCC = withUsccCheck('91310000MA1FEXM01');

const USERS: Record<DemoTenant['key'], { email: string; name: string; role: CreateUserInput['role']; locale: 'zh-CN' | 'en' }[]> = {
  domestic: [
    { email: 'admin@huaxing-auto.demo', name: '陈静 (admin)', role: 'admin', locale: 'zh-CN' },
    { email: 'compliance@huaxing-auto.demo', name: '刘洋 (compliance)', role: 'compliance', locale: 'zh-CN' },
    { email: 'release@huaxing-auto.demo', name: '王磊 (release manager)', role: 'release_manager', locale: 'zh-CN' },
    { email: 'safety@huaxing-auto.demo', name: '赵敏 (engineer)', role: 'engineer', locale: 'zh-CN' },
  ],
  overseas: [
    { email: 'admin@example-motors.demo', name: 'Anna Becker (admin)', role: 'admin', locale: 'en' },
    { email: 'compliance@example-motors.demo', name: '李娜 Li Na (compliance)', role: 'compliance', locale: 'zh-CN' },
  ],
};

async function makeTenant(ctx: DemoContext, key: DemoTenant['key']) {
  const tenant = await createTenant(ctx.deps, ctx.operator, key === 'domestic'
    ? { kind: 'manufacturer', overseas: false, uscc: DOMESTIC_USCC, name: { zh: '华兴智能汽车（上海）有限公司', en: 'Huaxing Intelligent Auto (Shanghai) Co., Ltd.' } }
    : {
      kind: 'manufacturer', overseas: true, country: 'DE', name: { zh: '示例汽车股份公司', en: 'Example Motors AG' },
      importer: { name: { zh: '示例汽车（中国）进口有限公司', en: 'Example Motors (China) Import Co., Ltd.' }, uscc: IMPORTER_USCC },
    });
  const users: DemoTenant['users'] = [];
  let admin: Actor | undefined;
  for (const u of USERS[key]) {
    const user = await createUser(ctx.deps, ctx.operator, tenant.id, { ...u, password: DEMO_PASSWORD });
    users.push({ email: u.email, password: DEMO_PASSWORD, role: u.role, name: u.name });
    if (u.role === 'admin') admin = { type: 'user', id: user.id, name: user.name, tenantId: tenant.id, role: 'admin' };
  }
  ctx.tenants[key] = { key, tenant, admin: admin!, users };
}

export const tenantsStep: DemoStep = {
  name: 'tenants',
  async run(ctx) {
    try {
      await makeTenant(ctx, 'domestic');
    } catch (e) {
      // createTenant's own check cannot see other tenants under row-level security: the unique index answers then.
      if ((e instanceof AppError && e.code === 'conflict') || /tenants_uscc/.test(String((e as Error)?.message))) {
        throw new AppError('conflict', msg('platform.demoLoaded'));
      }
      throw e;
    }
    await makeTenant(ctx, 'overseas');
  },
};
