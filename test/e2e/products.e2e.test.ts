// Journey 1 in the browser: a compliance officer creates a product, fills the Annex 2 parameters in the
// editor (a bad value is named under its field), attaches a test report, submits a version and compares.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { test } from 'node:test';
import { SCREENSHOTS, signIn, startE2E } from './harness.ts';

const ROOT = new URL('../..', import.meta.url).pathname;

test('a product goes from creation to a submitted version with evidence in the browser', async (t) => {
  const e2e = await startE2E();
  t.after(() => e2e.close());
  const maker = await e2e.tenantWithUser({ role: 'admin' });
  const page = await e2e.browser({ locale: 'en' });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, e2e.base, maker.email, maker.password);
  // English UI regardless of the account's stored language
  await page.evaluate(() => localStorage.setItem('icvgate.locale', 'en'));

  await t.test('the list says the catalog is a candidate list and creates a product', async () => {
    await page.goto(`${e2e.base}/products`);
    await page.getByTestId('candidate-notice').waitFor();
    assert.match(await page.getByTestId('candidate-notice').innerText(), /candidate/i);
    await page.getByTestId('new-product').click();
    await page.getByLabel('Model code (产品型号)').fill('x');
    await page.getByLabel('Trade name (Chinese)').fill('星途S9');
    await page.getByLabel('Trade name (English)').fill('Xingtu S9');
    await page.locator('dialog button[type=submit]').click();
    await page.locator('.field-error').first().waitFor();
    assert.match(await page.locator('.field-error').first().innerText(), /model code/);
    await page.getByLabel('Model code (产品型号)').fill('HXA7100BEVS9');
    await page.locator('dialog button[type=submit]').click();
    await page.waitForURL(/\/products\/prd_/);
  });

  await t.test('a bad value is named under its field; a good draft saves', async () => {
    const speed = page.getByLabel(/Operating conditions: maximum speed/);
    await speed.fill('250');
    await page.getByTestId('save-draft').click();
    await page.getByText('must be at most 200 km/h, got 250').first().waitFor();
    await speed.fill('130');
    await page.getByLabel(/Functional tier/).selectOption('navigation');
    await page.getByTestId('save-draft').click();
    await page.getByRole('status').getByText('Draft saved').waitFor();
    await page.getByTestId('completeness').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'icvgate-e2e-product-editor.png'), fullPage: true });
  });

  await t.test('a test report is uploaded and linked to a parameter', async () => {
    await page.getByRole('tab', { name: /Evidence/ }).click();
    const file = join(tmpdir(), `report-${Date.now()}.pdf`);
    writeFileSync(file, '%PDF-1.7\n% functional tier test\n%%EOF\n');
    const form = page.getByTestId('evidence-upload');
    await form.locator('input[type=file]').setInputFiles(file);
    await form.getByLabel('Title').fill('CDAS functional test report');
    await form.getByLabel('Issuing lab').fill('CATARC');
    await form.getByLabel('Report number').fill('CATARC-2026-001');
    await form.getByLabel('Issue date').fill('2026-10-01');
    await form.getByLabel('Parameters it verifies').selectOption(['cdas.tier']);
    await form.getByRole('button', { name: 'Upload report' }).click();
    await page.locator('tbody tr', { hasText: 'CATARC-2026-001' }).waitFor();
  });

  await t.test('submitting an incomplete draft names the missing parameters', async () => {
    await page.getByRole('tab', { name: /Parameters/ }).click();
    await page.getByTestId('submit-draft').click();
    await page.getByText('required: this parameter applies to the product and has no value').first().waitFor();
  });

  await t.test('editing the product turns OTA off; OTA parameters are no longer asked for', async () => {
    assert.match(await page.getByTestId('completeness').innerText(), /ota\.mode/);
    await page.getByTestId('edit-product').click();
    await page.locator('dialog').getByLabel('OTA capable').uncheck();
    await page.locator('dialog button[type=submit]').click();
    await page.locator('dialog[open]').waitFor({ state: 'detached' }).catch(() => {});
    await page.waitForFunction(() => !document.querySelector('[data-testid=completeness]')?.textContent?.includes('ota.mode'));
  });

  await t.test('the catalog page lists definitions with sources and imports the official template', async () => {
    await page.goto(`${e2e.base}/products/catalog`);
    await page.getByTestId('candidate-notice').waitFor();
    await page.locator('tbody tr', { hasText: 'cdas.odd.speedMax' }).waitFor();
    const form = page.getByTestId('catalog-import');
    await form.locator('input[type=file]').setInputFiles(join(ROOT, 'src/catalog/examples/template.example.csv'));
    await form.locator('textarea').fill(readFileSync(join(ROOT, 'src/catalog/examples/mapping.example.json'), 'utf8'));
    await form.getByRole('button', { name: 'Import official template' }).click();
    await form.getByRole('status').waitFor();
    assert.match(await form.getByRole('status').innerText(), /official-example-2026/);
    assert.match(await form.getByRole('status').innerText(), /HXA7100BEVS9/);
    await page.screenshot({ path: join(SCREENSHOTS, 'icvgate-e2e-catalog.png'), fullPage: true });
  });

  assert.deepEqual(errors, []);
});
