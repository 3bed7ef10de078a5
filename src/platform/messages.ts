import { z } from 'zod';
import { t, type Locale } from '../i18n/index.ts';

/**
 * A message of the API in both languages: a key of the `errors` namespace
 * (src/i18n/locales/errors.<locale>.json) and its params. A param may itself be a Msg (translated
 * first) or a bilingual `{ zh, en }` text (the request's language is picked); anything else is
 * interpolated as it is (ids, VINs, rule ids, field names keep their value).
 */
export type Msg = { key: string; params?: Record<string, unknown>; fallback?: string };

export const ERRORS_NS = 'errors';

/** `msg('products.noDraft', { model })` */
export const msg = (key: string, params?: Record<string, unknown>): Msg => (params ? { key, params } : { key });

const LOCALIZE = 'localize';
type Localizer = (locale: Locale) => string;

export function attach<T extends object>(target: T, fn: Localizer): T {
  Object.defineProperty(target, LOCALIZE, { value: fn, enumerable: false, configurable: true, writable: true });
  return target;
}

/**
 * Attaches a message key to an object with a `message` (field errors, gate `missing` items) without
 * changing its JSON, its stored form or deep equality; a copy made by spreading loses it (and is
 * shown in English).
 */
export function withMsg<T extends object>(target: T, m: Msg, fillMessage = false): T {
  if (fillMessage) (target as { message?: string }).message = renderMessage('en', m);
  return attach(target, (l) => renderMessage(l, m));
}

function tryT(locale: Locale, key: string): string | undefined {
  try {
    return t(locale, key);
  } catch {
    return undefined;
  }
}

/**
 * A code shown as itself in English (`draft`, `overdue`: what the API and English texts always said)
 * and by its label in Chinese (`ota:state.draft` -> 草稿); a param of a Msg.
 */
export function label(keyPrefix: string, code: string): { message: string } {
  return attach({ message: code }, (l) => (l === 'en' ? code : tryT(l, `${keyPrefix}.${code}`) ?? code));
}

/** Several codes as `label`s, joined with ', ' (en) or '、' (zh). */
export function labels(keyPrefix: string, codes: readonly string[]): { message: string } {
  return attach({ message: codes.join(', ') }, (l) => codes.map((c) => localizedMessage(l, label(keyPrefix, c))).join(l === 'en' ? ', ' : '、'));
}

/** Gives `target` the message key of `source` (a rule's result whose `message` it copies), if it has one. */
export function withMsgOf<T extends object>(target: T, source: object): T {
  const fn = (source as Record<string, unknown>)[LOCALIZE];
  return typeof fn === 'function' ? attach(target, fn as Localizer) : target;
}

/** `target.message` in `locale` when a key is attached to it, else `target.message` as it is. */
export function localizedMessage(locale: Locale, target: { message?: unknown; reason?: unknown }): string {
  const fn = (target as Record<string, unknown>)[LOCALIZE];
  return typeof fn === 'function' ? (fn as Localizer)(locale) : String(target.message ?? target.reason ?? '');
}

/** `{ ok: false, reason }` with the reason in both languages (identifier checks and other pure rules). */
export function failure(m: Msg): { ok: false; reason: string } {
  return withMsg({ ok: false as const, reason: renderMessage('en', m) }, m);
}

const isMsg = (v: unknown): v is Msg => v !== null && typeof v === 'object' && typeof (v as Msg).key === 'string' && !Array.isArray(v);
const isBilingual = (v: unknown): v is { zh: string; en: string } =>
  v !== null && typeof v === 'object' && typeof (v as { zh?: unknown }).zh === 'string' && typeof (v as { en?: unknown }).en === 'string';

function param(locale: Locale, v: unknown): unknown {
  if (v !== null && typeof v === 'object' && typeof (v as Record<string, unknown>)[LOCALIZE] === 'function') return localizedMessage(locale, v as { message?: unknown });
  if (isMsg(v)) return renderMessage(locale, v);
  if (isBilingual(v)) return locale === 'zh-CN' ? v.zh || v.en : v.en || v.zh;
  if (Array.isArray(v)) return v.map((x) => param(locale, x)).join(locale === 'zh-CN' ? '；' : '; ');
  return v;
}

/**
 * The text of a message in one language. Never throws: an error path must not become a 500 because
 * a key is missing (the catalog tests catch that); it falls back to English, then to the key.
 */
export function renderMessage(locale: Locale, m: Msg): string {
  const vars: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m.params ?? {})) vars[k] = param(locale, v);
  for (const l of locale === 'en' ? (['en'] as const) : [locale, 'en' as const]) {
    try {
      return t(l, m.key.includes(':') ? m.key : `${ERRORS_NS}:${m.key}`, vars);
    } catch {
      // next language
    }
  }
  return m.fallback ?? m.key;
}

/**
 * The language an HTTP request prefers (RFC 9110 Accept-Language with q-values): zh, zh-CN,
 * zh-Hans, zh-TW ... -> zh-CN; en-* -> en; anything else, or no header -> en (the API's default).
 */
export function requestLocale(header: string | string[] | undefined): Locale {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return 'en';
  let best: { locale: Locale; q: number } | undefined;
  for (const part of value.split(',')) {
    const [tag, ...attrs] = part.trim().toLowerCase().split(';');
    const qAttr = attrs.map((a) => a.trim()).find((a) => a.startsWith('q='));
    const q = qAttr ? Number(qAttr.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    const locale: Locale | undefined = tag === 'zh' || tag.startsWith('zh-') ? 'zh-CN' : tag === 'en' || tag.startsWith('en-') ? 'en' : undefined;
    if (locale && (!best || q > best.q)) best = { locale, q };
  }
  return best?.locale ?? 'en';
}

// ---- zod issues -------------------------------------------------------------------------------

const ZOD_LOCALES: Record<Locale, (issue: any) => unknown> = {
  en: z.locales.en().localeError as (issue: any) => unknown,
  'zh-CN': z.locales.zhCN().localeError as (issue: any) => unknown,
};

const unwrap = (m: unknown): string | undefined => (typeof m === 'string' ? m : m && typeof m === 'object' && typeof (m as { message?: unknown }).message === 'string' ? (m as { message: string }).message : undefined);

let customByEnglish: Map<string, string> | undefined;
/** The custom messages of our own schemas (`z.string().regex(re, 'a 17-character VIN')`), English text -> key. */
function customMessages(): Map<string, string> {
  if (customByEnglish) return customByEnglish;
  const map = new Map<string, string>();
  for (const [key, text] of Object.entries(SCHEMA_MESSAGES)) map.set(text, key);
  customByEnglish = map;
  return map;
}

/**
 * Keys under `errors:schema.*`, each with the exact English text a schema in src/ uses as its custom
 * message; a zod issue carrying that text is shown in the request's language. A schema message not
 * listed here stays English (the test of this file lists the schemas' messages).
 */
export const SCHEMA_MESSAGES: Record<string, string> = {
  'schema.sha256Hex': 'must be 64 lower-case hex characters',
  'schema.sha256Digest': 'a SHA-256 digest as 64 lowercase hex characters',
  'schema.vin17': 'a 17-character VIN',
  'schema.password12': 'at least 12 characters',
  'schema.isoDate': 'a date as YYYY-MM-DD',
  'schema.notCalendarDate': 'not a calendar date',
  'schema.productModel': 'product model code (产品型号): 4-30 letters, digits or hyphens, e.g. TSL7000BEVAR0',
  'schema.calendarDate': 'a calendar date YYYY-MM-DD',
  'schema.mustBeCalendarDate': 'must be a calendar date YYYY-MM-DD',
  'schema.scheduleSource': 'name the official notice the schedule comes from',
  'schema.justification10': 'explain why (at least 10 characters)',
  'schema.mappingKeyColumn': 'map a key column, or map labelZh and give keys (label -> key)',
  'schema.mappingLabelZh': 'required: the Chinese parameter name column',
  'schema.roleOrScopes': 'give either role or scopes',
  'schema.approvalDateRequired': 'required when the product is approved',
  'schema.applyingNoBatch': 'a product still applying has no batch or approval date',
  'schema.rejectionReason': 'a rejection needs its reason',
  'schema.isoDateFilings': 'a calendar date as YYYY-MM-DD',
  'schema.isoInstant': 'an instant as ISO 8601 UTC, e.g. 2026-11-25T08:00:00.000Z',
  'schema.redacted': 'personal data stays out of filing packages',
  'schema.reportedVersion': 'must include the reported version',
  'schema.classANoPermit': 'a class A upgrade needs no change permit',
  'schema.periodOrder': 'period.from is after period.to',
  'schema.permitReference': 'required when a permit is granted',
  'schema.cdasLevel2': 'a product with CDAS is at least level 2 (GB/T 40429 combined driver assistance)',
};

/** A value of the same zod type as `v` that tells nothing of `v` (zod's invalid_type message needs only the type). */
function surrogate(v: unknown): unknown {
  switch (typeof v) {
    case 'string': return '';
    case 'number': return Number.isFinite(v) ? 0 : v;
    case 'boolean': return false;
    case 'bigint': return 0n;
    case 'function': return () => undefined;
    case 'symbol': return Symbol('input');
    case 'object': {
      if (v === null) return null;
      if (Array.isArray(v)) return [];
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null && (v as object).constructor) return Object.create({ constructor: { name: (v as object).constructor.name } });
      return {};
    }
    default: return undefined;
  }
}

/**
 * A zod issue parsed with `{ reportInput: true }`, without what the caller sent: an issue is kept on
 * an error (and may be logged), so a password or a personal field must not travel with it.
 */
export function withoutInput<T extends { code: string }>(issue: T): T {
  const { input, ...rest } = issue as unknown as { input?: unknown; errors?: unknown; code: string };
  if (Array.isArray(rest.errors)) rest.errors = rest.errors.map((list: unknown) => (Array.isArray(list) ? list.map((i) => withoutInput(i)) : list));
  return (issue.code === 'invalid_type' && 'input' in issue ? { ...rest, input: surrogate(input) } : rest) as unknown as T;
}

/** A zod issue kept with its input (parse with `{ reportInput: true }`), so it can be shown in any language. */
export type ZodIssueLike = { code: string; message: string; path: PropertyKey[]; params?: Record<string, unknown>; [k: string]: unknown };

/**
 * The message of a zod issue in `locale`: an issue with zod's own English text is rendered by zod's
 * locale of that language; a custom issue with `params.key` from our catalog; a schema's custom text
 * through SCHEMA_MESSAGES; anything else as it is.
 */
export function zodIssueMessage(locale: Locale, issue: ZodIssueLike): string {
  if (issue.code === 'custom' && typeof issue.params?.key === 'string') {
    return renderMessage(locale, { key: issue.params.key, params: issue.params.params as Record<string, unknown> | undefined, fallback: issue.message });
  }
  const custom = customMessages().get(issue.message);
  if (custom) return renderMessage(locale, { key: custom, fallback: issue.message });
  if (locale === 'en') return issue.message;
  let english: string | undefined;
  try {
    english = unwrap(ZOD_LOCALES.en(issue));
  } catch {
    english = undefined;
  }
  if (english !== issue.message) return issue.message; // a custom message we have no translation for
  try {
    return unwrap(ZOD_LOCALES[locale](issue)) ?? issue.message;
  } catch {
    return issue.message;
  }
}
