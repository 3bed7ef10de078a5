import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { LOCALES, loadCatalogs, type Catalog } from './index.ts';

// Every literal key passed to t() in the web app and the server code exists in both languages, so no
// screen or PDF shows a raw key. Keys built at run time (template literals) are not checked here.
const ROOT = new URL('../..', import.meta.url).pathname;
const catalogs = loadCatalogs();

function has(node: unknown, path: string[]): boolean {
  for (let i = 0; i < path.length; i++) {
    if (node === null || typeof node !== 'object') return false;
    const n = node as Catalog;
    if (i === path.length - 1) return ['', '_one', '_other'].some((s) => typeof n[path[i] + s] === 'string');
    node = n[path[i]];
  }
  return false;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'node_modules' || name === 'dist' || name === 'locales' ? [] : sources(p);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [p] : [];
  });
}

/** `ns:key` or a key of one of the namespaces the file asks for with useT/useTranslation, or common. */
function missingIn(file: string, server: boolean): string[] {
  const src = readFileSync(file, 'utf8');
  const declared = [...src.matchAll(/use(?:T|Translation)\(\s*\[?\s*'([\w-]+)'/g)].map((m) => m[1]);
  const namespaces = [...new Set([...declared, 'common'])];
  // web: t('key', …); server: t(locale, 'key', …)
  const call = server ? /\bt\(\s*(?:[\w.]+|'[\w-]+')\s*,\s*'([\w.:-]+)'/g : /\bt\(\s*'([\w.:-]+)'/g;
  const out: string[] = [];
  for (const m of src.matchAll(call)) {
    const [ns, key] = m[1].includes(':') ? m[1].split(':', 2) : [null, m[1]];
    for (const locale of LOCALES) {
      const candidates = ns ? [ns] : namespaces;
      if (!candidates.some((n) => has(catalogs[locale][n], key.split('.')))) out.push(`${relative(ROOT, file)}: ${locale} has no ${ns ? `${ns}:` : ''}${key}`);
    }
  }
  return out;
}

test('every literal i18n key used in web/src and src exists in zh-CN and en', () => {
  const missing = [
    ...sources(join(ROOT, 'web/src')).flatMap((f) => missingIn(f, false)),
    ...sources(join(ROOT, 'src')).filter((f) => !f.includes('/src/i18n/')).flatMap((f) => missingIn(f, true)),
  ];
  assert.deepEqual(missing, []);
});

test('the key scan reports a missing key, in both call styles, and accepts declared namespaces', () => {
  const dir = mkdtempSync(join(tmpdir(), 'i18n-keys-'));
  const web = join(dir, 'Page.tsx');
  writeFileSync(web, "const { t } = useT('common');\nt('nav.dashboard'); t('nav.nope'); t('common:actions.save'); t('nosuchns:x');\n");
  assert.deepEqual(missingIn(web, false).map((m) => m.replace(/^.*: /, '')), [
    'zh-CN has no nav.nope', 'en has no nav.nope', 'zh-CN has no nosuchns:x', 'en has no nosuchns:x',
  ]);
  const server = join(dir, 'render.ts');
  writeFileSync(server, "t(locale, 'common:dashboard.userCount', { count: 2 }); t('en', 'common:missing.key');\n");
  assert.deepEqual(missingIn(server, true).map((m) => m.replace(/^.*: /, '')), ['zh-CN has no common:missing.key', 'en has no common:missing.key']);
});
