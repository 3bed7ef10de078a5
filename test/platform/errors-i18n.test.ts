// Error responses in the caller's language: the same bad requests sent with Accept-Language zh-CN and
// en give the same status, code, field paths and gate codes, with Chinese text for zh and English for en.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { campaignBody, productWithBaseline } from '../../src/ota/test-fixtures.ts';
import { requestLocale } from '../../src/platform/messages.ts';
import { testApp, testUscc, type TestApp, type TestTenant } from '../support.ts';

let t: TestApp, a: TestTenant, auditor: TestTenant, campaignId: string, productId: string;
before(async () => {
  t = await testApp();
  a = await t.tenant();
  auditor = await t.token(a.tenantId, 'auditor');
  const p = await productWithBaseline(t, a, { model: 'TSL7000BEVAR0' });
  productId = p.id;
  const c = await t.app.inject({ method: 'POST', url: '/api/v1/campaigns', headers: a.auth, payload: campaignBody([p.id], { parameters: { 'cdas.odd.speedMax': 135 } }) });
  assert.equal(c.statusCode, 201, c.body);
  campaignId = c.json().id;
});
after(() => t.close());

const CJK = /[\u4e00-\u9fff]/;
type Req = { method?: 'GET' | 'POST' | 'PUT'; url: string | (() => string); headers?: () => Record<string, string>; payload?: unknown };
type Case = { name: string; status: number; code: string; req: Req; en?: RegExp; zh?: RegExp };

const bigBody = JSON.stringify({ kind: 'manufacturer', pad: 'x'.repeat(1_100_000) });
const json = { 'content-type': 'application/json' };

const CASES: Case[] = [
  { name: '422 from the route schema (zod issues)', status: 422, code: 'validation_failed',
    req: { method: 'POST', url: '/api/v1/tenants', headers: () => t.operator, payload: { kind: 'manufacturer', name: { zh: '', en: 7 }, uscc: testUscc() } },
    en: /^the request is not valid: /, zh: /^请求无效：/ },
  { name: '422 from a use case (bad USCC check character, reason nested)', status: 422, code: 'validation_failed',
    req: { method: 'POST', url: '/api/v1/tenants', headers: () => t.operator, payload: { kind: 'manufacturer', name: { zh: '某', en: 'X' }, uscc: '91310000MA1FL4B24H' } },
    en: /check character is/, zh: /校验码为/ },
  { name: '422 from a use case (two field errors)', status: 422, code: 'validation_failed',
    req: { method: 'POST', url: '/api/v1/tenants', headers: () => t.operator, payload: { kind: 'manufacturer', name: { zh: '某', en: 'X' }, overseas: true, country: 'CN' } } },
  { name: '422 Annex 2 values (rule-pack checks with the catalog facts as params)', status: 422, code: 'validation_failed',
    req: { method: 'PUT', url: () => `/api/v1/products/${productId}/parameters/draft`, headers: () => a.auth,
      payload: { values: { 'cdas.odd.speedMax': 'fast', 'general.cdasFitted': false, 'no.such.key': 1 } } },
    en: /^the draft of TSL7000BEVAR0 is not valid: /, zh: /^TSL7000BEVAR0 的参数草稿无效：/ },
  { name: '409 conflict naming the field', status: 409, code: 'conflict',
    req: { method: 'POST', url: '/api/v1/products', headers: () => a.auth,
      payload: { model: 'TSL7000BEVAR0', name: { zh: '某车型', en: 'Some model' }, category: 'M1', cdas: true, ota: true, automationLevel: 2, access: { status: 'approved', approvalDate: '2024-01-10' } } },
    en: /^a product with model code TSL7000BEVAR0 already exists$/, zh: /TSL7000BEVAR0/ },
  { name: '422 a NUL character, which PostgreSQL cannot store (caught where no slice checks it)', status: 422, code: 'validation_failed',
    req: { method: 'POST', url: '/api/v1/products', headers: () => a.auth,
      payload: { model: 'TSL7000BEVNUL', name: { zh: '某车型', en: 'Some\u0000model' }, category: 'M1', cdas: true, ota: true, automationLevel: 2, access: { status: 'approved', approvalDate: '2024-01-10' } } },
    en: /NUL character \(U\+0000\)/, zh: /空字符/ },
  { name: '404 of an unknown campaign', status: 404, code: 'not_found', req: { url: '/api/v1/campaigns/cmp_nope', headers: () => a.auth },
    en: /^campaign cmp_nope not found$/, zh: /^未找到升级活动 cmp_nope$/ },
  { name: '422 gate check with a bad VIN (identifier reason nested)', status: 422, code: 'validation_failed',
    req: { url: () => `/api/v1/gate/campaigns/${campaignId}/vehicles/LSVAU2180N2000000`, headers: () => a.auth },
    en: /^vin check digit \(position 9\)/, zh: /校验/ },
  { name: '404 of an unknown route', status: 404, code: 'not_found', req: { url: '/api/v1/nowhere', headers: () => a.auth }, en: /^no route GET \/api\/v1\/nowhere$/ },
  { name: '409 gate refusal with missing', status: 409, code: 'gate_refused',
    req: { method: 'POST', url: () => `/api/v1/campaigns/${campaignId}/transitions`, headers: () => a.auth, payload: { to: 'rolling_out' } } },
  { name: '401 without credentials', status: 401, code: 'unauthenticated', req: { url: '/api/v1/me' }, en: /^sign in or send a valid bearer token$/ },
  { name: '401 wrong password', status: 401, code: 'unauthenticated', req: { method: 'POST', url: '/api/v1/sessions', payload: { email: 'nobody@example.com', password: 'wrong-password-123' } } },
  { name: '403 role without the permission', status: 403, code: 'forbidden',
    req: { method: 'POST', url: () => `/api/v1/tenants/${a.tenantId}/tokens`, headers: () => auditor.auth, payload: { name: 'x', role: 'admin' } },
    en: /^your role \(auditor\) does not allow tenant:admin$/, zh: /auditor.*tenant:admin/ },
  { name: '413 body over the limit', status: 413, code: 'payload_too_large', req: { method: 'POST', url: '/api/v1/tenants', headers: () => ({ ...t.operator, ...json }), payload: bigBody } },
  { name: '400 body not JSON', status: 400, code: 'bad_request', req: { method: 'POST', url: '/api/v1/tenants', headers: () => ({ ...t.operator, ...json }), payload: '{not json' },
    en: /^the body is not valid JSON: /, zh: /^请求体不是有效的 JSON：/ },
];

async function send(r: Req, lang: string | undefined) {
  return t.app.inject({
    method: r.method ?? 'GET', url: typeof r.url === 'function' ? r.url() : r.url,
    headers: { ...(r.headers?.() ?? {}), ...(lang ? { 'accept-language': lang } : {}) }, payload: r.payload as any,
  });
}

/** Every text of a problem a person reads: title, detail, field errors, gate items. */
const texts = (p: any): string[] => [p.title, p.detail, ...(p.errors ?? []).map((e: any) => e.message), ...(p.missing ?? []).map((m: any) => m.message)];
/** What clients key on, which must not change with the language. */
const keys = (p: any) => ({ status: p.status, code: p.code, type: p.type, paths: (p.errors ?? []).map((e: any) => e.path), missing: (p.missing ?? []).map((m: any) => m.code) });

for (const c of CASES) {
  test(`${c.name}: zh-CN and en differ only in text`, async () => {
    const zhRes = await send(c.req, 'zh-CN');
    const enRes = await send(c.req, 'en');
    for (const r of [zhRes, enRes]) {
      assert.equal(r.statusCode, c.status, r.body);
      assert.match(String(r.headers['content-type']), /application\/problem\+json/);
      assert.match(String(r.headers.vary), /Accept-Language/);
    }
    const zh = zhRes.json(), en = enRes.json();
    assert.equal(zh.code, c.code);
    assert.deepEqual(keys(zh), keys(en));
    for (const s of texts(zh)) assert.match(s, CJK, `zh-CN text without Chinese: ${s}`);
    for (const s of texts(en)) assert.doesNotMatch(s, CJK, `en text with Chinese: ${s}`);
    if (c.en) assert.match(en.detail, c.en);
    if (c.zh) assert.match(zh.detail, c.zh);
    // No header at all answers in English, exactly as `en`.
    const none = (await send(c.req, undefined)).json();
    assert.deepEqual({ ...none, requestId: undefined }, { ...en, requestId: undefined });
  });
}

test('field errors of both kinds are in Chinese under zh-CN, with their paths', async () => {
  const r = (await send(CASES[0].req, 'zh-Hans')).json();
  assert.deepEqual(r.errors.map((e: any) => e.path), ['name.zh', 'name.en']);
  assert.match(r.errors[1].message, /无效输入：期望 string，实际接收 数字/);
  const two = (await send(CASES[2].req, 'zh')).json();
  assert.deepEqual(two.errors, [{ path: 'country', message: '境外制造商须在中国境外注册' }]);
});

test('the gate lists what is missing in the language asked for, codes unchanged', async () => {
  const gate = CASES.find((c) => c.code === 'gate_refused')!.req;
  const zh = (await send(gate, 'zh-CN')).json();
  const en = (await send(gate, 'en-GB')).json();
  assert.equal(en.missing[0].code, 'transition_not_allowed');
  assert.match(en.missing[0].message, /^draft -> rolling_out is not a transition; from draft: /);
  assert.match(zh.missing[0].message, /^不能从草稿转到实施中/);
});

test('Annex 2 value errors name the parameter in the path and say why in Chinese', async () => {
  const annex = CASES.find((c) => c.name.startsWith('422 Annex 2'))!.req;
  const zh = (await send(annex, 'zh-CN')).json();
  const en = (await send(annex, 'en')).json();
  const byPath = (p: any) => Object.fromEntries(p.errors.map((e: any) => [e.path, e.message]));
  assert.match(byPath(en)['values.cdas.odd.speedMax'], /^must be a number in km\/h, got 'fast'$/);
  assert.match(byPath(zh)['values.cdas.odd.speedMax'], /^须为以 km\/h 为单位的数字，实际为 'fast'$/);
  assert.equal(byPath(en)['values.general.cdasFitted'], 'must be true: the product is recorded with CDAS');
  assert.equal(byPath(zh)['values.general.cdasFitted'], '须为 true：该产品登记为装备组合驾驶辅助系统');
  assert.match(byPath(zh)['values.no.such.key'], /^未知的参数键/);
});

test('Accept-Language: q-values, zh variants, default en', () => {
  const table: [string | undefined, string][] = [
    [undefined, 'en'], ['', 'en'], ['zh-CN', 'zh-CN'], ['zh', 'zh-CN'], ['zh-Hans-CN', 'zh-CN'], ['zh-TW', 'zh-CN'],
    ['en-US,en;q=0.9', 'en'], ['fr-FR', 'en'], ['fr, zh;q=0.5', 'zh-CN'], ['en;q=0.4, zh-CN;q=0.8', 'zh-CN'],
    ['zh-CN;q=0, en', 'en'], ['*', 'en'], ['ZH-cn', 'zh-CN'],
  ];
  for (const [header, want] of table) assert.equal(requestLocale(header), want, String(header));
});

test('concurrent requests in both languages do not leak into each other', async () => {
  const langs = Array.from({ length: 20 }, (_, i) => (i % 2 ? 'zh-CN' : 'en'));
  const answers = await Promise.all(langs.map((l) => send(CASES[0].req, l)));
  answers.forEach((r, i) => {
    const msg = r.json().errors[1].message as string;
    if (langs[i] === 'zh-CN') assert.match(msg, CJK);
    else assert.equal(msg, 'Invalid input: expected string, received number');
  });
});
