// The web shell end to end: Debian chromium against the real server and database (PGlite, or
// PostgreSQL with TEST_DATABASE_URL). Fails when chromium is missing; see harness.ts.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { SCREENSHOTS, startE2E } from './harness.ts';

test('sign in through the form, see the dashboard with real data, switch languages, sign out', async (t) => {
  const e2e = await startE2E();
  t.after(() => e2e.close());
  const { base } = e2e;
  const user = await e2e.tenantWithUser({ email: 'li.na@test-motors.example' });
  const page: Page = await e2e.browser({ locale: 'zh-CN' });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));

  await t.test('an anonymous visit shows the login form in Chinese (browser language)', async () => {
    await page.goto(base + '/');
    await page.getByRole('heading', { name: '登录' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
  });

  await t.test('a wrong password shows the API problem detail, in Chinese, and keeps the form', async () => {
    await page.getByLabel('邮箱').fill(user.email);
    await page.getByLabel('密码').fill('not the password');
    await page.getByRole('button', { name: '登录' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(text, /电子邮箱或密码错误/); // the API answers in the language the UI sends (Accept-Language)
    assert.match(text, /unauthenticated/);
  });

  await t.test('signing in shows the dashboard with the tenant, users, audit entries and chain status', async () => {
    await page.getByLabel('密码').fill(user.password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByTestId('dashboard-tenant').filter({ hasText: user.name.zh }).waitFor();
    assert.ok((await page.getByTestId('tenant-name').innerText()).includes(user.name.zh));
    await page.getByTestId('chain-status').filter({ hasText: '校验通过' }).waitFor();
    const audit = page.locator('section.panel', { has: page.getByRole('heading', { name: '最新审计记录' }) });
    await audit.locator('tbody tr', { hasText: 'session.created' }).first().waitFor();
    const rows = await audit.locator('tbody tr').allInnerTexts();
    assert.ok(rows.some((r) => r.includes('user.created')), `audit rows: ${rows.join(' | ')}`);
    assert.ok(rows.some((r) => r.includes('tenant.created')), `audit rows: ${rows.join(' | ')}`);
    const users = page.locator('section.panel', { hasText: user.email });
    await users.getByText('管理员').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'icvgate-e2e-dashboard-zh.png'), fullPage: true });
  });

  await t.test('switching to English translates the shell and survives a reload', async () => {
    await page.getByTestId('lang-en').click();
    await page.getByTestId('dashboard-tenant').filter({ hasText: user.name.en }).waitFor();
    await page.getByRole('heading', { name: 'Latest audit entries' }).waitFor();
    await page.getByTestId('chain-status').filter({ hasText: 'Verified' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    await page.reload();
    await page.getByRole('heading', { name: 'Latest audit entries' }).waitFor();
    assert.equal(await page.evaluate(() => localStorage.getItem('icvgate.locale')), 'en');
    await page.screenshot({ path: join(SCREENSHOTS, 'icvgate-e2e-dashboard-en.png'), fullPage: true });
  });

  await t.test('the menu and deep links reach the audit log page; unknown paths say so', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/audit');
    await page.locator('tbody tr', { hasText: 'session.created' }).first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'icvgate-e2e-audit-en.png') });
    await page.goto(base + '/audit?subject=' + encodeURIComponent(user.tenantId));
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    await page.locator('tbody tr', { hasText: 'tenant.created' }).first().waitFor();
    assert.equal(await page.locator('tbody tr', { hasText: 'session.created' }).count(), 0, 'the subject filter applies');
    await page.goto(base + '/no/such/page');
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
  });

  await t.test('switching back to Chinese', async () => {
    await page.getByTestId('lang-zh-CN').click();
    await page.getByRole('navigation').getByRole('link', { name: '概览' }).click();
    await page.getByRole('heading', { name: '最新审计记录' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
  });

  await t.test('signing out ends the session', async () => {
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByRole('heading', { name: '登录' }).waitFor();
    const status = await page.evaluate(() => fetch('/api/v1/me').then((r) => r.status));
    assert.equal(status, 401);
    assert.equal(await page.locator('.notice').count(), 0, 'a deliberate sign-out is not reported as an expired session');
  });

  await t.test('a session that ends elsewhere brings back the login page with a notice', async () => {
    await page.locator('input[name=email]').fill(user.email);
    await page.locator('input[name=password]').fill(user.password);
    await page.locator('form button[type=submit]').click();
    await page.getByTestId('tenant-name').waitFor();
    assert.equal(await page.title(), '概览 · icvgate');
    await page.context().clearCookies();
    await page.getByRole('navigation').getByRole('link', { name: '审计日志' }).click();
    await page.locator('.notice', { hasText: '会话已结束' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/audit', 'the URL stays, so signing in returns to the page');
  });

  assert.deepEqual(pageErrors, [], 'uncaught errors in the page');
});
