import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import i18next, { type i18n } from 'i18next';

/** The one catalog for UI, PDF and CLI: `locales/<namespace>.<locale>.json`, read here and by the web app. */
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';
export const LOCALES_DIR = fileURLToPath(new URL('./locales/', import.meta.url));

export type Catalog = Record<string, unknown>;
/** locale -> namespace -> nested keys */
export type Catalogs = Record<Locale, Record<string, Catalog>>;

const FILE = /^([a-z][a-zA-Z0-9-]*)\.(zh-CN|en)\.json$/;

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Reads every catalog file; a file whose name does not follow the pattern is an error, not ignored. */
export function loadCatalogs(dir: string = LOCALES_DIR): Catalogs {
  const out: Catalogs = { 'zh-CN': {}, en: {} };
  for (const file of readdirSync(dir).sort()) {
    const m = FILE.exec(file);
    if (!m) throw new Error(`i18n: ${file} is not named <namespace>.<zh-CN|en>.json`);
    const [, ns, locale] = m;
    try {
      out[locale as Locale][ns] = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8'));
    } catch (e) {
      throw new Error(`i18n: ${file} is not valid JSON: ${(e as Error).message}`);
    }
  }
  return out;
}

let instance: i18n | undefined;
function engine(): i18n {
  if (instance) return instance;
  const catalogs = loadCatalogs();
  const inst = i18next.createInstance();
  void inst.init({
    resources: catalogs,
    lng: DEFAULT_LOCALE,
    fallbackLng: false,
    supportedLngs: [...LOCALES],
    ns: Object.keys(catalogs[DEFAULT_LOCALE]),
    defaultNS: 'common',
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  instance = inst;
  return inst;
}

/**
 * Translates `ns:key` (or a `common` key) for PDFs and the CLI, with `{{var}}` interpolation and
 * `count` plurals as in the web UI. A missing key throws: it is a programming error that a test
 * should catch, and printing the raw key into a regulator's PDF would be worse.
 */
export function t(locale: Locale, key: string, vars?: Record<string, unknown>): string {
  const e = engine();
  if (!e.exists(key, { lng: locale, ...vars })) throw new Error(`i18n: no ${locale} text for ${key}`);
  return e.t(key, { lng: locale, ...vars }) as string;
}

/** Picks a supported locale from a flag, a stored preference or an Accept-Language header. */
export function resolveLocale(input: string | null | undefined, fallback: Locale = DEFAULT_LOCALE): Locale {
  if (!input) return fallback;
  for (const part of input.split(',')) {
    const tag = part.split(';')[0].trim().toLowerCase();
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return fallback;
}

/** A bilingual name as stored on tenants, products and catalog entries. */
export function localized(text: { zh: string; en: string }, locale: Locale): string {
  return locale === 'zh-CN' ? text.zh || text.en : text.en || text.zh;
}
