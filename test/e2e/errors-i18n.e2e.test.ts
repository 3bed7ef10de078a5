// The web UI shows the API's problem details in the reader's language: it sends Accept-Language with
// every call, and the API answers field errors and details in zh-CN or en (codes and paths unchanged).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { SCREENSHOTS, signIn, startE2E } from './harness.ts';

test('a field error from the API appears under its field in Chinese, then in English after switching', async (t) => {
  const e2e = await startE2E();
  t.after(() => e2e.close());
  const admin = await e2e.tenantWithUser();
  const page = await e2e.browser({ locale: 'zh-CN' });
  await signIn(page, e2e.base, admin.email, admin.password);
  await page.goto(e2e.base + '/organisation');
  await page.getByRole('heading', { name: '组织设置', level: 1 }).waitFor();

  const submitShortPassword = async (labels: { add: string; name: string; email: string; password: string }) => {
    await page.getByRole('button', { name: labels.add }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(labels.name).fill('Zhao Min');
    await dialog.getByLabel(labels.email).fill(`zhao.min.${admin.tenantId}@e2e.example`);
    await dialog.getByLabel(labels.password).fill('short');
    await dialog.getByRole('button', { name: labels.add }).click();
    const field = dialog.locator('.field', { has: page.getByLabel(labels.password) });
    await field.locator('.field-error').waitFor();
    return { dialog, text: await field.locator('.field-error').innerText() };
  };

  await t.test('zh-CN: the zod message of the route schema, in Chinese', async () => {
    const { dialog, text } = await submitShortPassword({ add: '添加用户', name: '姓名', email: '邮箱', password: '密码' });
    assert.equal(text, '至少 12 个字符');
    await page.screenshot({ path: join(SCREENSHOTS, 'icvgate-e2e-field-error-zh.png') });
    await dialog.getByRole('button', { name: '取消' }).click();
  });

  await t.test('en: the same error in English once the reader switches language', async () => {
    await page.getByTestId('lang-en').click();
    await page.getByRole('heading', { name: 'Organisation', level: 1 }).waitFor();
    const { text } = await submitShortPassword({ add: 'Add user', name: 'Name', email: 'Email', password: 'Password' });
    assert.equal(text, 'at least 12 characters');
  });
});
