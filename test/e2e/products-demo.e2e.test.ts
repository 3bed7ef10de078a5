// The demo seen in the browser: a new user signs in, sees the products with their completeness, the
// version history with a main-parameter diff, records MIIT's approval, and downloads a report.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { runDemo } from '../../src/demo/index.ts';
import { SCREENSHOTS, signIn, startE2E } from './harness.ts';

test('the demo data is live in the products pages', async (t) => {
  const e2e = await startE2E();
  t.after(() => e2e.close());
  const demo = await runDemo(e2e.deps);
  const user = demo.tenants[0].users.find((u) => u.role === 'compliance')!;
  const s7 = demo.products.find((p) => p.name === 'xingtuS7')!;
  const page = await e2e.browser({ locale: 'zh-CN' });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, e2e.base, user.email, user.password);

  await t.test('the list shows every product with its completeness, in Chinese', async () => {
    await page.goto(`${e2e.base}/products`);
    for (const model of ['HXA7000BEVAR0', 'HXA6500PHEVB2', 'HXA5040XXYBEV']) await page.locator('tbody tr', { hasText: model }).waitFor();
    assert.equal(await page.locator('tbody tr', { hasText: 'EXM6480BEVA' }).count(), 0, 'the overseas tenant\'s products are not listed');
    assert.match(await page.locator('tbody tr', { hasText: 'HXA6500PHEVB2' }).innerText(), /未就绪/);
    await page.screenshot({ path: join(SCREENSHOTS, 'icvgate-e2e-products-list.png'), fullPage: true });
  });

  await t.test('the version history shows the main-parameter change and records the approval', async () => {
    await page.goto(`${e2e.base}/products/${s7.id}?tab=versions`);
    await page.getByTestId('diff-from').selectOption('1');
    await page.getByTestId('diff-to').selectOption('2');
    await page.getByTestId('diff').getByText('主要技术参数发生变更').waitFor();
    const row = page.getByTestId('diff').locator('tbody tr', { hasText: 'cdas.odd.speedMax' });
    assert.match(await row.innerText(), /130 km\/h[\s\S]*120 km\/h/);
    await page.getByTestId('approve-2').click();
    await page.getByLabel('批准文号').fill('MIIT-ZB-2026-11-0077');
    await page.getByLabel('批准日期').fill('2026-11-20');
    await page.locator('dialog button[type=submit]').click();
    await page.locator('tbody tr', { hasText: 'MIIT-ZB-2026-11-0077' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'icvgate-e2e-product-versions.png'), fullPage: true });
  });

  await t.test('a linked report downloads with its hash checked', async () => {
    await page.goto(`${e2e.base}/products/${s7.id}?tab=evidence`);
    const link = page.locator('a[href^="/api/v1/evidence/"]').first();
    await link.waitFor();
    const href = (await link.getAttribute('href'))!;
    const r = await page.evaluate(async (url) => { const res = await fetch(url); return { status: res.status, sha: res.headers.get('x-content-sha256') }; }, href);
    assert.equal(r.status, 200);
    assert.equal(r.sha, href.split('/').pop());
  });

  assert.deepEqual(errors, []);
});
