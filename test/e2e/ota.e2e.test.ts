// Journey 2 in the browser: the release manager sees the campaign classified B with its reason, the
// gate refuses to clear and lists what is missing, a receipt is recorded in a dialog, and once every
// step is recorded the campaign clears and shows its authorization.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { baselineValues, campaignBody } from '../../src/ota/test-fixtures.ts';
import { SCREENSHOTS, signIn, startE2E } from './harness.ts';

test('an OTA campaign from classification to clearance in the browser', async (t) => {
  const e2e = await startE2E();
  t.after(() => e2e.close());
  const maker = await e2e.tenantWithUser({ role: 'admin' });
  const { token } = await e2e.operator('POST', `/api/v1/tenants/${maker.tenantId}/tokens`, { name: 'ota-backend', role: 'admin' });
  const call = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(e2e.base + path, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
    const j = await r.json();
    assert.ok(r.ok, `${method} ${path} -> ${r.status} ${JSON.stringify(j)}`);
    return j;
  };
  const p = await call('POST', '/api/v1/products', { model: 'TSL7000BEVAR0', name: { zh: 'Model 3', en: 'Model 3' }, category: 'M1', cdas: true, ota: true, automationLevel: 2, access: { status: 'approved', approvalDate: '2024-01-10' } });
  await call('PUT', `/api/v1/products/${p.id}/parameters/draft`, { values: baselineValues() });
  const set = await call('POST', `/api/v1/products/${p.id}/parameters/draft/submit`, {});
  await call('POST', `/api/v1/products/${p.id}/parameters/${set.version}/approve`, { reference: 'MIIT-2024-001', date: '2024-01-10' });
  for (const o of (await call('GET', '/api/v1/obligations?limit=500')).items) {
    if ((o.rule === 'M22-1a' || o.rule === 'M22-1b') && o.status === 'open') await call('POST', `/api/v1/obligations/${o.id}/submissions`, { channel: 'MIIT EIDC', reference: `EIDC-${o.rule}` });
  }
  const now = Date.now();
  const c = await call('POST', '/api/v1/campaigns', campaignBody([p.id], {
    parameters: { 'cdas.odd.speedMax': 135 },
    window: { start: new Date(now + 20 * 86_400_000).toISOString(), end: new Date(now + 60 * 86_400_000).toISOString() },
  }));
  await call('POST', `/api/v1/campaigns/${c.id}/classify`, {});

  const page = await e2e.browser({ locale: 'en' });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, e2e.base, maker.email, maker.password);
  await page.evaluate(() => localStorage.setItem('icvgate.locale', 'en'));

  await page.goto(`${e2e.base}/campaigns`);
  await page.getByText('improve the speed-control strategy of navigation assist').click();
  await page.waitForURL(/\/campaigns\/cmp_/);
  await page.getByText('N45-7').first().waitFor();
  assert.match(await page.getByTestId('class-badge').innerText(), /B/);
  assert.match(await page.locator('body').innerText(), /130 → 135/);

  await page.getByTestId('to-awaiting_prerequisites').click();
  await page.getByTestId('to-cleared').click();
  await page.getByTestId('missing').waitFor();
  const missing = await page.getByTestId('missing').innerText();
  assert.match(missing, /miit-change-permit/);
  assert.match(missing, /samr-filing/);
  await page.screenshot({ path: join(SCREENSHOTS, 'icvgate-e2e-ota-refused.png'), fullPage: true });

  await page.getByTestId('record-miit-change-permit').click();
  await page.getByTestId('step-reference').fill('MIIT-CHANGE-2026-0042');
  await page.locator('dialog button[type=submit]').click();
  await page.getByText('MIIT-CHANGE-2026-0042').waitFor();

  await call('POST', `/api/v1/campaigns/${c.id}/steps/miit-filing`, { reference: 'EIDC-OTA-2026-0007' });
  await call('POST', `/api/v1/campaigns/${c.id}/steps/samr-filing`, { reference: 'SAMR-OTA-2026-0013' });
  await page.reload();
  await page.getByTestId('to-cleared').click();
  await page.getByText('Key id').waitFor();
  assert.match(await page.locator('body').innerText(), /Cleared/);
  await page.screenshot({ path: join(SCREENSHOTS, 'icvgate-e2e-ota-cleared.png'), fullPage: true });

  await page.goto(`${e2e.base}/vehicles`);
  await page.getByTestId('vin-lookup').waitFor();

  // Journey 2 from the release: the form, a field error under the bad hash, then class B.
  await page.goto(`${e2e.base}/campaigns`);
  await page.getByTestId('new-campaign').click();
  await page.waitForURL(/\/campaigns\/new$/);
  await page.getByTestId('products').getByText('TSL7000BEVAR0').click();
  await page.getByTestId('purpose').fill('release 2026.48: navigation assist speed control');
  await page.getByTestId('sw-0-ecu').fill('ADCU');
  await page.getByTestId('sw-0-pn').fill('ADCU-7000-01');
  await page.getByTestId('sw-0-from').fill('2026.40');
  await page.getByTestId('sw-0-to').fill('2026.48');
  await page.getByTestId('sw-0-sha256').fill('not-a-hash');
  await page.getByTestId('sw-0-size').fill('734003200');
  await page.getByTestId('swin-add').click();
  await page.getByTestId('swin-0-system').fill('CDAS');
  await page.getByTestId('swin-0-from').fill('SWIN-CDAS-1');
  await page.getByTestId('swin-0-to').fill('SWIN-CDAS-2');
  await page.getByTestId('parameters-add').click();
  await page.getByTestId('param-0-key').selectOption('cdas.odd.speedMax');
  await page.getByTestId('param-current').getByText('130').waitFor();
  await page.getByTestId('param-0-value').fill('140');
  await page.getByTestId('window-start').fill(new Date(now + 30 * 86_400_000).toISOString().slice(0, 16));
  await page.getByTestId('window-end').fill(new Date(now + 70 * 86_400_000).toISOString().slice(0, 16));
  await page.getByTestId('prod-from').fill('2025-01-01');
  await page.getByTestId('prod-to').fill('2025-12-31');
  await page.getByTestId('save-campaign').click();
  const shaField = page.locator('.field', { has: page.getByTestId('sw-0-sha256') });
  await shaField.locator('.field-error').waitFor();
  assert.match(await shaField.locator('.field-error').innerText(), /64 lower-case hex/);
  assert.match(await page.getByTestId('form-errors').innerText(), /1 field/);
  await page.screenshot({ path: join(SCREENSHOTS, 'icvgate-e2e-ota-form-error.png'), fullPage: true });

  await page.getByTestId('sw-0-sha256').fill('a'.repeat(64));
  await page.getByTestId('save-campaign').click();
  await page.waitForURL(/\/campaigns\/cmp_/);
  await page.getByText('release 2026.48: navigation assist speed control').first().waitFor();
  await page.getByTestId('classify').click();
  await page.getByTestId('class-badge').waitFor();
  assert.match(await page.getByTestId('class-badge').innerText(), /B/);
  await page.getByText('130 → 140').waitFor();

  await page.getByTestId('edit-campaign').click();
  await page.waitForURL(/\/edit$/);
  await page.getByTestId('purpose').fill('release 2026.48: navigation assist speed control, revised');
  await page.getByTestId('save-campaign').click();
  await page.getByText('navigation assist speed control, revised').first().waitFor();
  assert.match(await page.getByTestId('class-badge').innerText(), /B/);
  await page.screenshot({ path: join(SCREENSHOTS, 'icvgate-e2e-ota-form-classified.png'), fullPage: true });
  assert.deepEqual(errors, []);
});
