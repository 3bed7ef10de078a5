import type { Locale } from '../i18n/index.ts';
import { attach, localizedMessage, renderMessage, withMsg, withoutInput, zodIssueMessage, type Msg, type ZodIssueLike } from './messages.ts';

export { label, labels, localizedMessage, msg, renderMessage, withMsg, withMsgOf, type Msg } from './messages.ts';

/**
 * One field-level problem. `message` is the English text (logs, CLI, tests); a field error made with
 * `fieldError()` also carries its message key (non-enumerable, so it is never stored or serialised),
 * from which the HTTP layer renders the text in the language the request asks for.
 */
export type FieldError = { path: string; message: string; line?: number };

/** One error type for the domain; HTTP maps `code` to a status through ERROR_STATUS. */
export const ERROR_STATUS = {
  bad_request: 400,
  validation_failed: 422,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gate_refused: 409,
  invalid_transition: 409,
  idempotency_conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  integrity_error: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** A field error in both languages: `fieldError('country', msg('access.overseasNotCn'))`. */
export function fieldError(path: string, m: Msg, line?: number): FieldError {
  return withMsg({ path, message: renderMessage('en', m), ...(line !== undefined ? { line } : {}) }, m);
}

/**
 * Field errors from zod issues (parse with `{ reportInput: true }` so zod's own messages can be
 * given in Chinese too); `prefix` is put before each issue's path.
 */
export function zodFieldErrors(issues: readonly ZodIssueLike[] | readonly { path: PropertyKey[]; message: string; code: string }[], prefix = ''): FieldError[] {
  return issues.map((i) => {
    const path = [prefix, ...i.path.map(String)].filter((s) => s !== '').join('.');
    const issue = withoutInput(i) as ZodIssueLike;
    return attach({ path, message: i.message }, (l) => zodIssueMessage(l, issue));
  });
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly errors?: FieldError[];
  readonly details?: Record<string, unknown>;
  /** The message key behind `message` (absent: `message` is English only). */
  readonly msg?: Msg;
  /** `detail` is the message followed by the first field errors (validationFailed). */
  readonly summarize: boolean;
  /** The English message without the field-error summary. */
  readonly text: string;
  /**
   * `message` is a key with params (`msg('products.noDraft', { model })`, preferred: the API answers in
   * the caller's language) or, for code not converted yet, plain English text.
   */
  constructor(code: ErrorCode, message: string | Msg, extra: { errors?: FieldError[]; details?: Record<string, unknown>; summarize?: boolean } = {}) {
    const m = typeof message === 'string' ? undefined : message;
    const summarize = extra.summarize ?? false;
    const text = m ? renderMessage('en', m) : (message as string);
    super(summarizeText(text, summarize ? extra.errors : undefined, (e) => e.message));
    this.text = text;
    this.code = code;
    this.msg = m;
    this.errors = extra.errors;
    this.details = extra.details;
    this.summarize = summarize;
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
  /** `detail`, `errors` and the extra members of the problem, in `locale`; codes and paths unchanged. */
  localized(locale: Locale): { detail: string; errors?: FieldError[]; details?: Record<string, unknown> } {
    const errors = this.errors?.map((e) => ({ ...e, message: localizedMessage(locale, e) }));
    const text = this.msg ? renderMessage(locale, this.msg) : this.text;
    const detail = summarizeText(text, this.summarize ? errors : undefined, (e) => e.message, locale);
    let details = this.details;
    if (details) {
      details = { ...details };
      for (const [k, v] of Object.entries(details)) {
        if (Array.isArray(v)) details[k] = v.map((x) => (x !== null && typeof x === 'object' && 'message' in x ? { ...x, message: localizedMessage(locale, x) } : x));
      }
    }
    return { detail, ...(errors ? { errors } : {}), ...(details ? { details } : {}) };
  }
}

/** `message: path: msg; path: msg; path: msg` — the first three field errors after the message (zh: full-width `：` and `；`). */
export function summarizeText(message: string, errors: FieldError[] | undefined, text: (e: FieldError) => string, locale: Locale = 'en'): string {
  if (!errors) return message;
  const [colon, semi] = locale === 'zh-CN' ? ['：', '；'] : [': ', '; '];
  return message + colon + errors.slice(0, 3).map((e) => `${e.path || '(body)'}${colon}${text(e)}`).join(semi);
}

/** `notFound('product', id)`: the entity name is translated when `errors:entity.<what>` exists. */
export const notFound = (what: string, id: string) =>
  new AppError('not_found', { key: 'platform.notFound', params: { what: { key: `entity.${what.replace(/ (\w)/g, (_, c: string) => c.toUpperCase())}`, fallback: what }, id } }, { details: { id } });
export const validationFailed = (errors: FieldError[], message: string | Msg = { key: 'platform.inputInvalid' }) =>
  new AppError('validation_failed', message, { errors, summarize: true });
export const conflict = (message: string | Msg, details?: Record<string, unknown>) => new AppError('conflict', message, { details });
