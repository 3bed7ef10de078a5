import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { z } from 'zod';
import { LOCALES, loadCatalogs, type Catalog } from '../i18n/index.ts';
import { AppError, fieldError, notFound, validationFailed, withMsg, zodFieldErrors } from './errors.ts';
import { label, labels, msg, renderMessage, requestLocale, SCHEMA_MESSAGES, withoutInput, zodIssueMessage } from './messages.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const catalogs = loadCatalogs();

function lookup(locale: (typeof LOCALES)[number], key: string): unknown {
  const [ns, path] = key.includes(':') ? key.split(':', 2) : ['errors', key];
  let node: unknown = catalogs[locale][ns];
  for (const part of path.split('.')) node = node && typeof node === 'object' ? (node as Catalog)[part] : undefined;
  return node;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'locales' ? [] : sources(p);
    return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [p] : [];
  });
}

/** Literal message keys in the server code: msg('…'), msg(cond ? '…' : '…'), custom zod issues' params.key. */
function literalKeys(src: string): string[] {
  const keys: string[] = [];
  for (const m of src.matchAll(/\bmsg\(([^,)]*)/g)) for (const l of m[1].matchAll(/'([\w.:-]+)'/g)) if (l[1].includes('.')) keys.push(l[1]);
  for (const m of src.matchAll(/params: \{ key: '([\w.:-]+)'/g)) keys.push(m[1]);
  for (const m of src.matchAll(/\{ key: '(platform\.[\w.-]+)'/g)) keys.push(m[1]);
  return keys;
}

test('every message key used in src/ exists in zh-CN and en (the errors catalog)', () => {
  const missing: string[] = [];
  let count = 0;
  for (const file of sources(join(ROOT, 'src'))) {
    for (const key of literalKeys(readFileSync(file, 'utf8'))) {
      count++;
      for (const l of LOCALES) if (typeof lookup(l, key) !== 'string') missing.push(`${relative(ROOT, file)}: ${l} has no ${key}`);
    }
  }
  assert.deepEqual(missing, []);
  assert.ok(count > 200, `only ${count} keys found: the scan is broken`);
});

test('keys built at run time exist in both languages', () => {
  const entities = new Set<string>();
  for (const file of sources(join(ROOT, 'src'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/notFound\('([\w ]+)'/g)) entities.add(m[1].replace(/ (\w)/g, (_, c: string) => c.toUpperCase()));
  }
  const built = [
    ...[...entities].map((e) => `entity.${e}`), 'entity.tenant', 'entity.token',
    ...['null', 'list', 'object', 'string', 'number', 'boolean', 'undefined', 'bigint', 'symbol', 'function'].map((x) => `param.type.${x}`),
    'tenantKind.manufacturer', 'tenantKind.regulator', 'param.notApplicable1', 'param.notApplicable2',
    ...['cdas', 'ota', 'noCdas', 'noOta'].map((x) => `param.when.${x}`),
    ...['recordSubmission', 'reopen', 'requestWaiver', 'waive', 'recordDecision'].map((x) => `obligations.action.${x}`),
    ...[400, 401, 403, 404, 409, 413, 415, 422, 429, 500, 503].map((s) => `http.${s}`),
    ...Object.keys(SCHEMA_MESSAGES),
  ];
  for (const key of built) for (const l of LOCALES) assert.equal(typeof lookup(l, key), 'string', `${l}: ${key}`);
});

test('SCHEMA_MESSAGES hold the English text of their catalog key', () => {
  for (const [key, text] of Object.entries(SCHEMA_MESSAGES)) assert.equal(lookup('en', key), text, key);
});

test('a message renders in both languages; params may be keys, bilingual texts, labels or lists', () => {
  const m = msg('ota.gate.obligationOpen', { title: { zh: '备案', en: 'filing' }, rule: 'N45-6', addressee: 'MIIT', status: label('obligations:status', 'overdue') });
  assert.equal(renderMessage('en', m), 'filing (N45-6, MIIT): overdue');
  assert.equal(renderMessage('zh-CN', m), '备案（N45-6，MIIT）：已逾期');
  const nf = notFound('campaign', 'cmp_1');
  assert.equal(nf.message, 'campaign cmp_1 not found');
  assert.equal(nf.localized('zh-CN').detail, '未找到升级活动 cmp_1');
  assert.equal(renderMessage('zh-CN', msg('ota.gate.transitionNotAllowed', { from: label('ota:state', 'draft'), to: 'x', allowed: labels('ota:state', ['classified', 'cancelled']) })),
    '不能从草稿转到x；草稿可转到：已分类、已取消');
  assert.equal(renderMessage('en', msg('ota.gate.refused', { from: 'a', to: 'b', reasons: [withMsg({ message: '' }, msg('ota.gate.windowMissing'), true), 'raw'], more: '' })),
    'a -> b refused: the planned window (start, end) is not set; raw');
});

test('a missing key never throws on an error path: English, then the fallback, then the key', () => {
  assert.equal(renderMessage('zh-CN', { key: 'no.such.key', fallback: 'as it was' }), 'as it was');
  assert.equal(renderMessage('en', { key: 'no.such.key' }), 'no.such.key');
  assert.equal(notFound('gizmo', 'g1').localized('zh-CN').detail, '未找到gizmo g1');
});

test('AppError keeps its English message and gives detail, field errors and gate items in the language asked for', () => {
  const e = validationFailed([fieldError('country', msg('access.overseasNotCn')), { path: 'raw', message: 'english only' }], msg('ota.campaignInvalid'));
  assert.equal(e.message, 'the campaign is not valid: country: an overseas manufacturer is registered outside China; raw: english only');
  const zh = e.localized('zh-CN');
  assert.equal(zh.detail, '升级活动内容无效：country：境外制造商须在中国境外注册；raw：english only');
  assert.deepEqual(zh.errors, [{ path: 'country', message: '境外制造商须在中国境外注册' }, { path: 'raw', message: 'english only' }]);
  const gate = new AppError('gate_refused', 'x', { details: { missing: [withMsg({ code: 'evidence_missing', message: 'no verification evidence is attached' }, msg('ota.gate.evidenceMissing'))], from: 'a' } });
  assert.deepEqual(gate.localized('zh-CN').details, { missing: [{ code: 'evidence_missing', message: '未附任何验证证据' }], from: 'a' });
  // The key travels beside the object, not in it: stored JSON and deep equality see the English object only.
  assert.equal(JSON.stringify(gate.details!.missing), '[{"code":"evidence_missing","message":"no verification evidence is attached"}]');
});

test('zod issues: zod\'s own messages through its locales, our custom ones through the catalog, per call', () => {
  const schema = z.object({
    n: z.number(), s: z.string().min(3), d: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD'),
    c: z.string().refine(() => false, { message: 'left as it is' }),
    x: z.string().superRefine((_, ctx) => ctx.addIssue({ code: 'custom', message: '2026-01-01 is listed twice', params: { key: 'calendar.listedTwice', params: { date: '2026-01-01' } } })),
  });
  const r = schema.safeParse({ n: 'one', s: 'ab', d: 'today', c: 'x', x: 'y' }, { reportInput: true });
  assert.ok(!r.success);
  const zh = r.error.issues.map((i) => zodIssueMessage('zh-CN', i as any));
  const en = r.error.issues.map((i) => zodIssueMessage('en', i as any));
  assert.deepEqual(en, ['Invalid input: expected number, received string', 'Too small: expected string to have >=3 characters', 'a date as YYYY-MM-DD', 'left as it is', '2026-01-01 is listed twice']);
  assert.deepEqual(zh, ['无效输入：期望 数字，实际接收 string', '数值过小：期望 string >=3 字符', '须为 YYYY-MM-DD 格式的日期', 'left as it is', '2026-01-01 重复列出']);
  const fe = zodFieldErrors(r.error.issues, 'body');
  assert.equal(fe[0].path, 'body.n');
  assert.equal(fe[0].message, 'Invalid input: expected number, received string');
  // zod's global configuration is untouched: a plain parse still speaks English.
  assert.equal(z.number().safeParse('x').error!.issues[0].message, 'Invalid input: expected number, received string');
});

test('a kept zod issue carries no input, only a stand-in of its type for zod\'s invalid_type message', () => {
  const r = z.object({ password: z.string().min(12), pin: z.number(), u: z.union([z.string(), z.number()]) }).safeParse({ password: 'secret', pin: 'secret-pin', u: { secret: 1 } }, { reportInput: true });
  assert.ok(!r.success);
  const kept = zodFieldErrors(r.error.issues);
  assert.deepEqual(kept.map((e) => e.message), r.error.issues.map((i) => i.message));
  assert.deepEqual(kept.map((e) => zodIssueMessage('zh-CN', withoutInput(r.error.issues[kept.indexOf(e)]) as any)), ['数值过小：期望 string >=12 字符', '无效输入：期望 数字，实际接收 string', '无效输入']);
  assert.doesNotMatch(JSON.stringify(r.error.issues.map(withoutInput)), /secret/);
});

test('requestLocale is exported for callers outside HTTP too', () => {
  assert.equal(requestLocale(['en-US', 'zh-CN;q=0.5']), 'en');
});
