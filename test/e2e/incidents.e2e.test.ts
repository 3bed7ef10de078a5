// Incidents in the browser: telematics events arrive by the API; the compliance user sees the queue
// ordered by deadline with countdowns, opens a case, adds a report version, and looks at the signals
// chart where a repeated failure opened a defect assessment.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { vinCheckCharacter } from '../../src/identifiers/vin.ts';
import { SCREENSHOTS, signIn, startE2E } from './harness.ts';

const vin = (n: number) => {
  const v = `LSVAU2180N2${String(300000 + n).slice(-6)}`;
  return v.slice(0, 8) + vinCheckCharacter(v) + v.slice(9);
};

test('the incident queue, a case with its versions, and the signals chart', async (t) => {
  const e2e = await startE2E();
  t.after(() => e2e.close());
  const maker = await e2e.tenantWithUser({ role: 'admin' });
  const { token } = await e2e.operator('POST', `/api/v1/tenants/${maker.tenantId}/tokens`, { name: 'telematics', role: 'engineer' });
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
  const events = [
    { eventId: 'e2e-s1', type: 'collision', vin: vin(1), occurredAt: hoursAgo(3), awareAt: hoursAgo(2.5), cdas: { function: 'NOA', engagement: 'verified_engaged', secondsBeforeImpact: 1 },
      software: [{ ecu: 'ADCU', version: '3.0.0' }], location: { province: '上海市', city: '上海市' }, severity: { hospitalInjury: true } },
    { eventId: 'e2e-s3', type: 'intrusion', vin: vin(2), occurredAt: hoursAgo(2), cdas: { function: 'remote parking', engagement: 'unknown' } },
    ...[1, 2, 3, 4, 5].map((n) => ({ eventId: `e2e-f${n}`, type: 'cdas_failure', vin: vin(10 + n), occurredAt: hoursAgo(n), faultCode: 'LKA-042',
      cdas: { function: 'LKA', engagement: 'verified_engaged' }, software: [{ ecu: 'ADCU', version: '3.0.0' }] })),
  ];
  const res = await fetch(`${e2e.base}/api/v1/incidents/events`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson', 'idempotency-key': 'e2e-1' },
    body: events.map((e) => JSON.stringify(e)).join('\n'),
  });
  assert.equal(res.status, 201, await res.clone().text());
  assert.equal((await res.json()).assessmentsOpened, 1);

  const page = await e2e.browser();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, e2e.base, maker.email, maker.password);

  await t.test('the queue lists the S1 collision first, with a countdown', async () => {
    await page.goto(`${e2e.base}/incidents`);
    const rows = page.locator('tbody tr');
    await rows.first().filter({ hasText: 'S1' }).waitFor();
    const first = await rows.first().innerText();
    assert.match(first, /剩余|left/);
    assert.ok((await rows.allInnerTexts()).some((r) => r.includes('S3')));
    await page.screenshot({ path: join(SCREENSHOTS, 'icvgate-e2e-incidents-queue.png'), fullPage: true });
  });

  await t.test('the case page shows the decision, the timeline, and takes a report version', async () => {
    await page.locator('tbody tr').first().click();
    await page.waitForURL(/\/incidents\/inc_/);
    await page.getByText('INC-S1').first().waitFor();
    await page.getByRole('heading', { name: '时间线' }).waitFor();
    await page.getByLabel('追加到事件描述的文字').fill('NOA engaged, rear-end collision on the Yan\'an elevated road.');
    await page.getByRole('button', { name: '保存版本' }).click();
    await page.getByText('rear-end collision on the Yan').waitFor();
    await page.getByRole('heading', { name: /^报告版本/ }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'icvgate-e2e-incident-case.png'), fullPage: true });
  });

  await t.test('the signals page charts the repeated failure and shows the open assessment blocking 3.0.0', async () => {
    await page.goto(`${e2e.base}/signals`);
    await page.locator('svg.series-chart').first().waitFor();
    await page.getByText('禁止推送 3.0.0').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'icvgate-e2e-signals.png'), fullPage: true });
  });

  assert.deepEqual(errors, []);
});
