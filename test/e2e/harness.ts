// Shared set-up for browser tests: the real app (built SPA + API) on a free port over a test
// database, an operator client to create fixtures, and Debian chromium driven by playwright-core.
// A missing chromium fails the test (never a skip): CI installs it with apt-get.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { buildApp } from '../../src/app.ts';
import type { App } from '../../src/platform/http.ts';
import { OPERATOR_TOKEN, testDeps, testUscc, type TestDeps } from '../support.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
export const CHROMIUM = process.env.ICVGATE_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--no-first-run', '--disable-quic', '--disable-sync'];
/** Where tests put screenshots (look at them when changing the UI). */
export const SCREENSHOTS = process.env.ICVGATE_SCREENSHOTS ?? tmpdir();

export type E2E = {
  base: string;
  deps: TestDeps;
  app: App;
  /** An operator-authenticated JSON call that must succeed (fixtures). */
  operator: <T = any>(method: string, path: string, body?: unknown) => Promise<T>;
  /** A manufacturer (default) or regulator tenant with a user (admin / regulator) who signs in with `email` / `password`. */
  tenantWithUser: (opts?: { kind?: 'manufacturer' | 'regulator'; regulator?: 'MIIT' | 'SAMR'; name?: { zh: string; en: string }; role?: string; email?: string; userName?: string }) => Promise<{
    tenantId: string; email: string; password: string; name: { zh: string; en: string };
  }>;
  /** A fresh browser profile and page; closed by `close()`. */
  browser: (opts?: { locale?: string }) => Promise<Page>;
  close: () => Promise<void>;
};

/** Builds web/dist when stale (as `npm start` does), starts the app and returns the fixtures. */
export async function startE2E(): Promise<E2E> {
  assert.ok(existsSync(CHROMIUM), `chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium)`);
  execFileSync(process.execPath, [join(ROOT, 'scripts/build-web.mjs')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  assert.ok(existsSync(join(ROOT, 'web/dist/index.html')), 'web/dist/index.html was not built');

  // Real time: a browser drops a session cookie whose expiry lies in the past of its own clock.
  const deps = await testDeps({ now: new Date().toISOString(), config: { webDir: join(ROOT, 'web/dist') } });
  const app = await buildApp(deps);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  assert.ok(address && typeof address === 'object');
  const base = `http://127.0.0.1:${address.port}`;

  const operator = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    assert.ok(res.ok, `${method} ${path} -> ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };

  let serial = 0;
  const tenantWithUser: E2E['tenantWithUser'] = async (opts = {}) => {
    const regulator = opts.kind === 'regulator';
    const agency = opts.regulator ?? 'SAMR';
    const name = opts.name ?? (regulator
      ? (agency === 'SAMR' ? { zh: '国家市场监督管理总局', en: 'State Administration for Market Regulation' } : { zh: '工业和信息化部', en: 'Ministry of Industry and Information Technology' })
      : { zh: '测试汽车（上海）有限公司', en: 'Test Motors (Shanghai) Co., Ltd.' });
    const tenant = await operator('POST', '/api/v1/tenants', regulator
      ? { kind: 'regulator', regulator: agency, name }
      : { kind: 'manufacturer', overseas: false, uscc: testUscc(), name });
    const email = opts.email ?? `${tenant.id}.${++serial}@e2e.example`;
    const password = 'correct horse battery staple';
    await operator('POST', `/api/v1/tenants/${tenant.id}/users`, {
      email, password, name: opts.userName ?? (regulator ? '陈洁' : '李娜'), role: opts.role ?? (regulator ? 'regulator' : 'admin'), locale: 'zh-CN',
    });
    return { tenantId: tenant.id, email, password, name };
  };

  const contexts: BrowserContext[] = [];
  const profiles: string[] = [];
  const browser = async (opts: { locale?: string } = {}) => {
    const profile = mkdtempSync(join(tmpdir(), 'icvgate-chromium-'));
    profiles.push(profile);
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      locale: opts.locale ?? 'zh-CN',
      viewport: { width: 1440, height: 900 },
    });
    contexts.push(context);
    // Generous: the machine is shared; nothing here asserts on time.
    context.setDefaultTimeout(60_000);
    return context.pages()[0] ?? (await context.newPage());
  };

  const close = async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await app.close();
    await deps.close();
    for (const p of profiles) rmSync(p, { recursive: true, force: true });
  };
  return { base, deps, app, operator, tenantWithUser, browser, close };
}

/** Signs in through the login form (labels in either language) and waits for the shell. */
export async function signIn(page: Page, base: string, email: string, password: string): Promise<void> {
  await page.goto(base + '/');
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=password]').fill(password);
  await page.locator('form button[type=submit]').click();
  await page.getByTestId('tenant-name').waitFor();
}
