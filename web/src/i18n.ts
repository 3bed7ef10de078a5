import i18next from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';

/** The same catalog files the server reads (src/i18n/locales), bundled at build time. */
const files = import.meta.glob<Record<string, unknown>>('../../src/i18n/locales/*.json', { eager: true, import: 'default' });

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
const STORAGE_KEY = 'icvgate.locale';

const resources: Record<Locale, Record<string, Record<string, unknown>>> = { 'zh-CN': {}, en: {} };
for (const [path, catalog] of Object.entries(files)) {
  const m = /\/([a-z][a-zA-Z0-9-]*)\.(zh-CN|en)\.json$/.exec(path);
  if (m) resources[m[2] as Locale][m[1]] = catalog;
}

const isLocale = (v: unknown): v is Locale => typeof v === 'string' && (LOCALES as readonly string[]).includes(v);

/** Stored choice first; else the browser's languages (Chinese before English); else zh-CN. */
export function initialLocale(): Locale {
  let stored: string | null = null;
  try {
    stored = window.localStorage.getItem(STORAGE_KEY);
  } catch {
    // storage can be blocked; fall through to the browser language
  }
  if (isLocale(stored)) return stored;
  const langs = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const l of langs) {
    const tag = (l ?? '').toLowerCase();
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return 'zh-CN';
}

void i18next.use(initReactI18next).init({
  resources,
  lng: initialLocale(),
  fallbackLng: false,
  supportedLngs: [...LOCALES],
  ns: Object.keys(resources['zh-CN']),
  defaultNS: 'common',
  initAsync: false,
  interpolation: { escapeValue: false },
  returnNull: false,
  react: { useSuspense: false },
});
document.documentElement.lang = i18next.language;

export const i18n = i18next;

export function currentLocale(): Locale {
  return isLocale(i18next.language) ? i18next.language : 'zh-CN';
}

export function setLocale(locale: Locale): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // not persisted, still switched
  }
  document.documentElement.lang = locale;
  void i18next.changeLanguage(locale);
}

/** `const { t, locale } = useT('products')` — keys of other namespaces as `ns:key`. */
export function useT(ns?: string | string[]) {
  const { t, i18n: inst } = useTranslation(ns ?? 'common');
  return { t, locale: (isLocale(inst.language) ? inst.language : 'zh-CN') as Locale };
}

/** A bilingual value `{zh, en}` in the current language, falling back to the other one. */
export function pick(text: { zh?: string | null; en?: string | null } | null | undefined, locale: Locale): string {
  if (!text) return '';
  return (locale === 'zh-CN' ? text.zh || text.en : text.en || text.zh) ?? '';
}
