// Journey 4 in the browser: a manufacturer builds and submits a recall filing; the SAMR reviewer sees
// it, checks the downloaded package against its manifest, and asks for more information; the
// manufacturer sees the question.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { test } from 'node:test';
import { EXAMPLE_CONTENT, EXAMPLE_EVIDENCE } from '../../src/filings/examples.ts';
import { SCREENSHOTS, signIn, startE2E } from './harness.ts';

test('a recall filing goes from the manufacturer to the SAMR reviewer and back with a question', async (t) => {
  const e2e = await startE2E();
  t.after(() => e2e.close());
  for (const bytes of EXAMPLE_EVIDENCE.values()) await e2e.deps.blobs!.put(bytes);
  const maker = await e2e.tenantWithUser({ role: 'compliance' });
  const samr = await e2e.operator('POST', '/api/v1/tenants', { kind: 'regulator', regulator: 'SAMR', name: { zh: '国家市场监督管理总局', en: 'SAMR' } });
  const reviewer = { email: `chen.jie.${samr.id}@e2e.example`, password: 'correct horse battery staple' };
  await e2e.operator('POST', `/api/v1/tenants/${samr.id}/users`, { ...reviewer, name: '陈洁', role: 'regulator', locale: 'zh-CN' });

  const page = await e2e.browser();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, e2e.base, maker.email, maker.password);
  let filingId = '';

  await t.test('the manufacturer builds the package in the form and records the receipt number', async () => {
    await page.goto(`${e2e.base}/filings`);
    await page.getByLabel('类型').first().selectOption('recall-filing');
    await page.getByLabel('申报对象编号').fill('cmp_lka_fix');
    await page.getByLabel('补充输入（JSON）').fill(JSON.stringify({ content: EXAMPLE_CONTENT['recall-filing'] }));
    await page.getByRole('button', { name: '生成', exact: true }).click();
    await page.waitForURL(/\/filings\/fil_/);
    filingId = page.url().split('/').pop()!;
    await page.getByText('已生成，未报送').first().waitFor();
    await page.getByLabel('报送渠道').selectOption('samr-recall-platform');
    await page.getByLabel('回执号或备案号').fill('S2026M0001V');
    await page.getByRole('button', { name: '保存' }).click();
    await page.locator('tbody tr', { hasText: 'S2026M0001V' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'icvgate-e2e-filing-submitted.png'), fullPage: true });
  });

  const reg = await e2e.browser();
  reg.on('pageerror', (e) => errors.push(e.message));
  await signIn(reg, e2e.base, reviewer.email, reviewer.password);

  await t.test('the reviewer sees it among the filings addressed to SAMR and checks the package', async () => {
    await reg.goto(`${e2e.base}/regulator`);
    await reg.getByRole('heading', { name: '报送至国家市场监督管理总局的申报', level: 1 }).waitFor();
    await reg.locator('tbody tr', { hasText: 'cmp_lka_fix' }).click();
    await reg.waitForURL(new RegExp(`/regulator/${filingId}`));
    const zip = await reg.evaluate(async (id) => Array.from(new Uint8Array(await (await fetch(`/api/v1/regulator/filings/${id}/package.zip`)).arrayBuffer())), filingId);
    const path = join(tmpdir(), `${filingId}.zip`);
    writeFileSync(path, Buffer.from(zip));
    await reg.locator('input[type=file]').setInputFiles(path);
    await reg.getByRole('status').waitFor();
    assert.match(await reg.getByRole('status').innerText(), /全部 \d+ 个文件与 SHA-256 一致/);
    assert.match(await reg.getByRole('status').innerText(), /申报包哈希与登记值一致/);
  });

  await t.test('the reviewer asks for more information; the manufacturer sees the question', async () => {
    await reg.getByLabel('意见').selectOption('info_requested');
    await reg.getByLabel('理由或问题').fill('请补充弯道工况的验证报告。');
    await reg.getByRole('button', { name: '保存' }).click();
    await reg.locator('tbody tr', { hasText: '请补充弯道工况的验证报告。' }).waitFor();
    await reg.screenshot({ path: join(SCREENSHOTS, 'icvgate-e2e-regulator-decision.png'), fullPage: true });
    await page.goto(`${e2e.base}/filings/${filingId}`);
    await page.locator('tbody tr', { hasText: '请补充弯道工况的验证报告。' }).waitFor();
    assert.ok((await page.getByText('要求补充材料').count()) > 0);
  });

  assert.deepEqual(errors, []);
});
