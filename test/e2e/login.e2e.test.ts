// Browser test of the web shell against the real server: Debian chromium driven by playwright-core,
// the built SPA served by the API server, a real database (PGlite, or PostgreSQL with TEST_DATABASE_URL).
// It fails, never skips, when chromium is missing: CI installs it (apt-get install chromium).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { buildApp } from '../../src/app.ts';
import type { App } from '../../src/platform/http.ts';
import { OPERATOR_TOKEN, testDeps, testUscc, type TestDeps } from '../support.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const CHROMIUM = process.env.ICVGATE_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--no-first-run', '--disable-quic', '--disable-sync'];
const SCREENSHOTS = process.env.ICVGATE_SCREENSHOTS ?? tmpdir();

const TENANT = { zh: '测试汽车（上海）有限公司', en: 'Test Motors (Shanghai) Co., Ltd.' };
const ADMIN = { email: 'li.na@test-motors.example', name: '李娜', password: 'correct horse battery staple' };

async function call(base: string, method: string, path: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  assert.ok(res.ok, `${method} ${path} -> ${res.status} ${JSON.stringify(json)}`);
  return json;
}

test('sign in through the form, see the dashboard with real data, switch languages, sign out', async (t) => {
  assert.ok(existsSync(CHROMIUM), `chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium)`);

  // The SPA as `npm start` serves it: built only when web/ or the catalogs changed.
  execFileSync(process.execPath, [join(ROOT, 'scripts/build-web.mjs')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  assert.ok(existsSync(join(ROOT, 'web/dist/index.html')), 'web/dist/index.html was not built');

  // Real time: the browser drops a session cookie whose expiry lies in the past of its own clock.
  const deps: TestDeps = await testDeps({ now: new Date().toISOString(), config: { webDir: join(ROOT, 'web/dist') } });
  let app: App | undefined;
  let context: BrowserContext | undefined;
  const profile = mkdtempSync(join(tmpdir(), 'icvgate-chromium-'));
  t.after(async () => {
    await context?.close().catch(() => {});
    await app?.close();
    await deps.close();
    rmSync(profile, { recursive: true, force: true });
  });

  app = await buildApp(deps);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  assert.ok(address && typeof address === 'object');
  const base = `http://127.0.0.1:${address.port}`;

  const tenant = await call(base, 'POST', '/api/v1/tenants', { kind: 'manufacturer', overseas: false, uscc: testUscc(), name: TENANT });
  await call(base, 'POST', `/api/v1/tenants/${tenant.id}/users`, { ...ADMIN, role: 'admin', locale: 'zh-CN' });

  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    locale: 'zh-CN',
    viewport: { width: 1440, height: 900 },
  });
  context.setDefaultTimeout(60_000);
  const page: Page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));

  await t.test('an anonymous visit shows the login form in Chinese (browser language)', async () => {
    await page.goto(base + '/');
    await page.getByRole('heading', { name: '登录' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
  });

  await t.test('a wrong password shows the API problem detail and keeps the form', async () => {
    await page.getByLabel('邮箱').fill(ADMIN.email);
    await page.getByLabel('密码').fill('not the password');
    await page.getByRole('button', { name: '登录' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(text, /e-mail or password is wrong/);
    assert.match(text, /unauthenticated/);
  });

  await t.test('signing in shows the dashboard with the tenant, users, audit entries and chain status', async () => {
    await page.getByLabel('密码').fill(ADMIN.password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByTestId('dashboard-tenant').filter({ hasText: TENANT.zh }).waitFor();
    assert.equal(await page.getByTestId('tenant-name').innerText().then((s) => s.includes(TENANT.zh)), true);
    await page.getByTestId('chain-status').filter({ hasText: '校验通过' }).waitFor();
    const audit = page.locator('section.panel', { has: page.getByRole('heading', { name: '最新审计记录' }) });
    await audit.locator('tbody tr', { hasText: 'session.created' }).first().waitFor();
    const rows = await audit.locator('tbody tr').allInnerTexts();
    assert.ok(rows.some((r) => r.includes('user.created')), `audit rows: ${rows.join(' | ')}`);
    const users = page.locator('section.panel', { hasText: ADMIN.email });
    await users.getByText('管理员').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'icvgate-e2e-dashboard-zh.png'), fullPage: true });
  });

  await t.test('switching to English translates the shell and survives a reload', async () => {
    await page.getByTestId('lang-en').click();
    await page.getByTestId('dashboard-tenant').filter({ hasText: TENANT.en }).waitFor();
    await page.getByRole('heading', { name: 'Latest audit entries' }).waitFor();
    await page.getByTestId('chain-status').filter({ hasText: 'Verified' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    await page.reload();
    await page.getByRole('heading', { name: 'Latest audit entries' }).waitFor();
    assert.equal(await page.evaluate(() => localStorage.getItem('icvgate.locale')), 'en');
    await page.screenshot({ path: join(SCREENSHOTS, 'icvgate-e2e-dashboard-en.png'), fullPage: true });
  });

  await t.test('the menu and deep links reach the audit log page', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/audit');
    await page.locator('tbody tr', { hasText: 'session.created' }).first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'icvgate-e2e-audit-en.png') });
    await page.goto(base + '/audit?subject=' + encodeURIComponent(tenant.id));
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
  });

  assert.deepEqual(pageErrors, [], 'uncaught errors in the page');
});
