// An administrator manages the organisation in the browser: field errors from the API appear under
// their fields and change nothing; a new user can sign in; an API token is shown once and works;
// a tampered audit log shows up as a broken chain.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { SCREENSHOTS, signIn, startE2E } from './harness.ts';

test('an admin adds a user and creates an API token through the organisation page', async (t) => {
  const e2e = await startE2E();
  t.after(() => e2e.close());
  const admin = await e2e.tenantWithUser();
  const page = await e2e.browser({ locale: 'en-US' });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await signIn(page, e2e.base, admin.email, admin.password);
  const usersNow = async () => (await e2e.operator('GET', `/api/v1/tenants/${admin.tenantId}/users`)).items as { email: string; role: string }[];

  await t.test('the English browser gets the English shell; the menu leads to the organisation page', async () => {
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    await page.getByRole('navigation').getByRole('link', { name: 'Organisation' }).click();
    await page.getByRole('heading', { name: 'Organisation', level: 1 }).waitFor();
  });

  const newUser = { name: 'Wang Lei', email: `wang.lei.${admin.tenantId}@e2e.example`, password: 'release manager password 1' };

  await t.test('a short password is refused with the message under the password field; nothing is created', async () => {
    await page.getByRole('button', { name: 'Add user' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill(newUser.name);
    await dialog.getByLabel('Email').fill(newUser.email);
    await dialog.getByLabel('Role').selectOption('release_manager');
    await dialog.getByLabel('Password').fill('short');
    await dialog.getByRole('button', { name: 'Add user' }).click();
    const passwordField = dialog.locator('.field', { has: page.getByLabel('Password') });
    await passwordField.locator('.field-error').waitFor();
    assert.match(await passwordField.locator('.field-error').innerText(), /at least 12 characters/);
    assert.equal(await dialog.getByLabel('Password').getAttribute('aria-invalid'), 'true');
    assert.equal(await dialog.locator('.field-invalid').count(), 1, 'only the password field is marked');
    await page.screenshot({ path: join(SCREENSHOTS, 'icvgate-e2e-add-user-error.png') });
    assert.ok(!(await usersNow()).some((u) => u.email === newUser.email), 'the refused user was not created');
  });

  await t.test('a valid user is created, listed, and can sign in', async () => {
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Password').fill(newUser.password);
    await dialog.getByRole('button', { name: 'Add user' }).click();
    await page.locator('tbody tr', { hasText: newUser.email }).waitFor();
    assert.equal(await page.getByRole('dialog').count(), 0);
    const created = (await usersNow()).find((u) => u.email === newUser.email);
    assert.equal(created?.role, 'release_manager');

    const other = await e2e.browser({ locale: 'zh-CN' });
    await signIn(other, e2e.base, newUser.email, newUser.password);
    assert.match(await other.locator('.topbar-user').innerText(), /Wang Lei[\s\S]*发布经理/);
  });

  await t.test('an API token is shown once and authenticates API calls', async () => {
    await page.getByRole('button', { name: 'Create API token' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Token name').fill('ota-backend');
    await dialog.getByLabel('Role').selectOption('release_manager');
    await dialog.getByRole('button', { name: 'Create API token' }).click();
    const token = (await dialog.getByTestId('token-created').locator('.mono').innerText()).trim();
    assert.match(token, /^icv_/);
    const res = await fetch(`${e2e.base}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).user.role, 'release_manager');
    await dialog.getByRole('button', { name: 'Close' }).first().click();

    // Revoking it from the token list stops it at once.
    const row = page.locator('tbody tr', { hasText: 'ota-backend' });
    page.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByText(/revoked/).waitFor();
    const after = await fetch(`${e2e.base}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(after.status, 401);

    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.locator('tbody tr', { hasText: 'token.revoked' }).first().waitFor();
  });

  await t.test('an audit entry altered in the database shows the chain as broken, naming the entry', async () => {
    // What an attacker with database access would do: switch off the append-only trigger and edit.
    await e2e.deps.db.tx('owner', async (sql) => {
      await sql.exec('ALTER TABLE audit_log DISABLE TRIGGER USER');
      await sql.query(`UPDATE audit_log SET action = 'user.deleted' WHERE tenant_id = $1 AND seq = 2`, [admin.tenantId]);
      await sql.exec('ALTER TABLE audit_log ENABLE TRIGGER USER');
    });
    await page.getByRole('navigation').getByRole('link', { name: 'Dashboard' }).click();
    await page.reload();
    await page.getByTestId('chain-status').filter({ hasText: 'Broken' }).waitFor();
    assert.match(await page.getByTestId('chain-note').innerText(), /First broken entry: #2/);
    await page.screenshot({ path: join(SCREENSHOTS, 'icvgate-e2e-chain-broken.png') });
  });

  assert.deepEqual(pageErrors, [], 'uncaught errors in the page');
});
