import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { test } from 'node:test';
import { ERROR_STATUS } from '../platform/errors.ts';
import { LOCALES, loadCatalogs, localized, resolveLocale, t, type Catalog } from './index.ts';

const PLURAL = /_(zero|one|two|few|many|other)$/;

/** Flattens nested keys to `a.b.c -> value`; plural variants count as their base key. */
function flatten(node: Catalog, prefix = '', out = new Map<string, unknown[]>()): Map<string, unknown[]> {
  for (const [k, v] of Object.entries(node)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v as Catalog, path, out);
    else {
      const base = path.replace(PLURAL, '');
      out.set(base, [...(out.get(base) ?? []), v]);
    }
  }
  return out;
}

const vars = (s: string) => new Set([...s.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]));

const catalogs = loadCatalogs();
const namespaces = [...new Set(LOCALES.flatMap((l) => Object.keys(catalogs[l])))].sort();

test('the common namespace exists', () => {
  assert.ok(namespaces.includes('common'));
});

for (const ns of namespaces) {
  test(`namespace ${ns}: both languages, same keys, no empty text, same placeholders`, () => {
    for (const l of LOCALES) assert.ok(catalogs[l][ns], `${ns}.${l}.json is missing`);
    const zh = flatten(catalogs['zh-CN'][ns]);
    const en = flatten(catalogs.en[ns]);
    const onlyZh = [...zh.keys()].filter((k) => !en.has(k));
    const onlyEn = [...en.keys()].filter((k) => !zh.has(k));
    assert.deepEqual({ onlyZh, onlyEn }, { onlyZh: [], onlyEn: [] }, `${ns}: keys differ between zh-CN and en`);
    for (const [locale, flat] of [['zh-CN', zh], ['en', en]] as const) {
      for (const [key, values] of flat) {
        for (const v of values) {
          assert.equal(typeof v, 'string', `${ns}.${locale}: ${key} must be a string`);
          assert.ok((v as string).trim() !== '', `${ns}.${locale}: ${key} is empty`);
        }
      }
    }
    for (const [key, zhValues] of zh) {
      const zhVars = new Set(zhValues.flatMap((v) => [...vars(String(v))]));
      const enVars = new Set(en.get(key)!.flatMap((v) => [...vars(String(v))]));
      assert.deepEqual([...zhVars].sort(), [...enVars].sort(), `${ns}: ${key} uses different {{placeholders}} in zh-CN and en`);
    }
  });
}

test('t() reads the same files, interpolates, pluralises and throws on a missing key', () => {
  assert.equal(t('en', 'common:countdown.left', { time: '3 h' }), '3 h left');
  assert.equal(t('zh-CN', 'common:countdown.left', { time: '3 小时' }), '剩余 3 小时');
  assert.equal(t('en', 'dashboard.userCount', { count: 1 }), '1 user');
  assert.equal(t('en', 'dashboard.userCount', { count: 2 }), '2 users');
  assert.equal(t('zh-CN', 'dashboard.userCount', { count: 2 }), '2 个用户');
  assert.throws(() => t('en', 'common:no.such.key'), /no en text for common:no\.such\.key/);
});

test('every error code of the platform has a title in both languages (the UI shows it above the detail)', () => {
  for (const code of Object.keys(ERROR_STATUS)) {
    for (const l of LOCALES) assert.ok(t(l, `common:errors.codes.${code}`), `${l}: errors.codes.${code}`);
  }
});

test('resolveLocale maps tags and headers, defaulting to zh-CN', () => {
  assert.equal(resolveLocale('en-GB,en;q=0.9'), 'en');
  assert.equal(resolveLocale('zh-TW'), 'zh-CN');
  assert.equal(resolveLocale('de-DE,en;q=0.5'), 'en');
  assert.equal(resolveLocale('fr'), 'zh-CN');
  assert.equal(resolveLocale(undefined), 'zh-CN');
  assert.equal(localized({ zh: '某汽车公司', en: 'Example Motors' }, 'en'), 'Example Motors');
  assert.equal(localized({ zh: '某汽车公司', en: '' }, 'en'), '某汽车公司');
});

test('a badly named or broken catalog file is reported, not skipped', () => {
  const dir = mkdtempSync(`${tmpdir()}/i18n-`);
  writeFileSync(`${dir}/products.de.json`, '{}');
  assert.throws(() => loadCatalogs(dir), /products\.de\.json is not named/);
  const dir2 = mkdtempSync(`${tmpdir()}/i18n-`);
  writeFileSync(`${dir2}/products.en.json`, '{"a": ');
  assert.throws(() => loadCatalogs(dir2), /products\.en\.json is not valid JSON/);
});
