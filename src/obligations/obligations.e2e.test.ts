// Li Na's first day in the browser: the obligations derived for an approved product are overdue and
// red, with their source; she records the MIIT receipt and the obligation turns submitted; the
// deadline calendar marks the Spring Festival and its adjusted working Saturdays.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { SCREENSHOTS, signIn, startE2E } from '../../test/e2e/harness.ts';
import { unitOfWork } from '../platform/usecase.ts';
import { syncProductObligations } from './index.ts';

test('the register in the browser: overdue on day one, a submission recorded, the calendar', async (t) => {
  const e2e = await startE2E();
  t.after(() => e2e.close());
  const admin = await e2e.tenantWithUser();
  const actor = { type: 'user' as const, id: 'usr_e2e', name: 'Li Na', tenantId: admin.tenantId, role: 'admin' };
  await unitOfWork(e2e.deps, actor, (u) => syncProductObligations(u, { id: 'prd_e2e', model: 'EXM3', cdas: true, ota: true, accessApprovedOn: '2024-06-01' }));
  const page = await e2e.browser({ locale: 'en-US' });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, e2e.base, admin.email, admin.password);

  await t.test('the menu leads to the register; the N45-3 duties are overdue', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Obligations' }).click();
    await page.getByRole('heading', { name: 'Obligation register', level: 1 }).waitFor();
    const row = page.locator('tbody tr', { hasText: 'N45-3' }).first();
    await row.waitFor();
    assert.match(await row.innerText(), /Overdue/);
    assert.equal(await page.locator('tbody tr', { hasText: 'N45-3' }).count(), 2, 'to MIIT and to SAMR');
    assert.match(await page.locator('.stat', { hasText: 'Overdue' }).first().innerText(), /2/);
    await page.screenshot({ path: join(SCREENSHOTS, 'icvgate-e2e-obligations.png'), fullPage: true });
  });

  await t.test('recording the receipt number turns the obligation submitted', async () => {
    await page.locator('tbody tr', { hasText: 'N45-3' }).filter({ hasText: 'MIIT' }).first().click();
    await page.getByText('45号').first().waitFor();
    await page.getByLabel('Channel').fill('MIIT production conformity system');
    await page.getByLabel('Receipt / filing number').fill('MIIT-E2E-0001');
    await page.getByRole('button', { name: 'Record a submission' }).click();
    await page.locator('tbody tr', { hasText: 'MIIT-E2E-0001' }).waitFor();
    await page.getByText('Submitted').first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'icvgate-e2e-obligation-detail.png'), fullPage: true });
    const list = await e2e.operator('GET', `/api/v1/tenants/${admin.tenantId}`); // the tenant still exists (sanity)
    assert.equal(list.id, admin.tenantId);
  });

  await t.test('the calendar shows February 2026 with the Spring Festival off and Saturday 14 working', async () => {
    await page.goto(`${e2e.base}/obligations/calendar?month=2026-02`);
    await page.getByRole('heading', { name: 'Deadline calendar', level: 1 }).waitFor();
    // The calendar data arrives after the heading: wait for it rather than reading the first render.
    const cell14 = page.locator('td', { has: page.locator('strong', { hasText: /^14$/ }) });
    await cell14.filter({ hasText: /working weekend/ }).waitFor({ timeout: 15_000 });
    assert.match(await cell14.innerText(), /working weekend/);
    const cell16 = page.locator('td', { has: page.locator('strong', { hasText: /^16$/ }) });
    await cell16.filter({ hasText: /day off/ }).waitFor({ timeout: 15_000 });
    assert.match(await cell16.innerText(), /day off/);
    await page.screenshot({ path: join(SCREENSHOTS, 'icvgate-e2e-obligations-calendar.png'), fullPage: true });
  });

  assert.deepEqual(errors, []);
});
