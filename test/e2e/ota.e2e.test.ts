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
  assert.deepEqual(errors, []);
});
