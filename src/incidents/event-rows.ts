/**
 * From one parsed event to the row intake stores, and from NDJSON chunks to numbered lines: the
 * shared, database-free part of both intake paths.
 */
import type { createHash } from 'node:crypto';
import { fieldError, validationFailed, zodFieldErrors, type AppError, type FieldError } from '../platform/errors.ts';
import { msg, withMsgOf, withoutInput, type Msg, type ZodIssueLike } from '../platform/messages.ts';
import { isoMillis } from '../platform/iso-instant.ts';
import { uuidAt } from '../platform/key-set.ts';
import { severityOf, type IncidentPolicy } from '../regimes/cn-2025/incidents.ts';
import { fastEvent } from './event-fast.ts';
import { IncidentEvent } from './model.ts';
import { caseKeyOf, dedupeDigest, factsOf, shanghaiDay, signatureOf, vinStatus } from './rules.ts';
import type { EventRow } from './store.ts';

export const MAX_ERRORS = 100;

/**
 * A bad line as plain data, so it can come back from the parser thread (a FieldError's translations
 * are functions, which a thread cannot pass): a zod issue, a message key, or a VIN to check again.
 */
export type LineError = { line?: number; path: string; issue?: ZodIssueLike; msg?: Msg; vin?: string };

/** The refusal of a batch with bad lines: nothing of it is written. */
export const batchInvalid = (errors: FieldError[]): AppError =>
  validationFailed(errors, errors.length >= MAX_ERRORS ? msg('incidents.batchTooManyErrors', { max: MAX_ERRORS }) : msg('incidents.batchInvalid'));

/** The field error of a bad line, in both languages. */
export function fieldErrorOf(e: LineError): FieldError {
  let f: FieldError;
  if (e.issue) f = zodFieldErrors([e.issue])[0];
  else if (e.vin !== undefined) {
    const v = vinStatus(e.vin);
    f = v.ok ? fieldError(e.path, msg('platform.inputInvalid')) : withMsgOf({ path: e.path, message: v.reason }, v);
  } else f = fieldError(e.path, e.msg ?? msg('platform.inputInvalid'));
  if (e.line !== undefined) f.line = e.line;
  return f;
}

/**
 * Turns one valid event into its row; the VIN check is part of validation. Instants keep the text
 * they came in (ISO 8601 with an offset, checked by the schema): PostgreSQL reads them as they are.
 * `line`: the event's NDJSON text when the event is exactly what that text says (no default filled in
 * by zod below the top level, no string trimmed); the stored body is then that text, not a new one.
 */
export function toRow(e: IncidentEvent, tenantId: string, receivedAt: Date, p: IncidentPolicy, line?: { text: string; value: Record<string, unknown> }): { row: EventRow; error?: undefined } | { error: LineError; row?: undefined } {
  const vin = vinStatus(e.vin);
  if (!vin.ok) return { error: { path: 'vin', vin: e.vin } };
  const occurred = isoMillis(e.occurredAt);
  const aware = e.awareAt ? isoMillis(e.awareAt) : receivedAt.getTime();
  if (!e.awareAt && occurred > aware) return { error: { path: 'occurredAt', msg: msg('incidents.occurredFuture') } };
  if (aware < occurred) return { error: { path: 'awareAt', msg: msg('incidents.awareBeforeOccurred') } };
  const severity = severityOf(factsOf(e), p);
  const sig = signatureOf(e);
  const key = dedupeDigest(e, tenantId);
  const caseKey = caseKeyOf(e, severity, aware);
  const awareAt = e.awareAt ?? receivedAt.toISOString();
  // The stored body is the event without its personal data, VIN normalised, awareness filled in.
  // The parsed event is ours: changing it in place spares two copies per event on the bulk path.
  const personal = e.personal;
  e.personal = undefined;
  e.vin = vin.vin;
  e.awareAt = awareAt;
  const bodyExtra = line ? lineBodyExtra(line.value, vin.vin) : undefined;
  const body = bodyExtra === undefined ? JSON.stringify(e) : bodyExtra === '' ? line!.text : beforeLastBrace(line!.text, bodyExtra);
  const personalJson = personal ? JSON.stringify(personal) : null;
  // PostgreSQL keeps no U+0000 in text or jsonb: refused here, naming the field, rather than by the COPY.
  // (The extra of a body from its line holds no escape: the line is checked, and left as it is.)
  if (hasNulEscape(bodyExtra === undefined ? body : line!.text) || (personalJson && hasNulEscape(personalJson))) {
    return { error: { path: nulPath({ ...e, personal }) ?? '', msg: msg('platform.nulCharacter') } };
  }
  return {
    row: {
      dedupe: uuidAt(key, 0), key, eventId: e.eventId ?? null, type: e.type, vin: vin.vin, vinStatus: vin.status, occurredAt: e.occurredAt, awareAt,
      cdasFunction: e.cdas.function, engagement: e.cdas.engagement, secondsBeforeImpact: e.cdas.secondsBeforeImpact ?? null,
      faultCode: e.faultCode ?? null, signature: sig?.key ?? null, severity, caseKey,
      province: e.location?.province ?? null, city: e.location?.city ?? null, body,
      personal: personalJson,
      sigFunction: sig?.function ?? null, sigVersion: sig?.softwareVersion ?? null, sigEcu: sig?.ecu ?? null,
      sigDay: sig ? shanghaiDay(occurred) : null,
      awareMs: aware, bodyExtra,
    },
  };
}

/**
 * The stored body straight from the event's own text, when that text already is it (stored as jsonb,
 * so key order and spacing do not matter): no personal data, the VIN as normalised, awareness given,
 * the engagement given. What goes before the text's last brace: the top-level defaults, or '' when
 * the text is the body as it is. Undefined when the body must be written anew.
 */
function lineBodyExtra(v: Record<string, unknown>, vin: string): string | undefined {
  if (v.personal !== undefined || v.vin !== vin || v.awareAt === undefined || (v.cdas as Record<string, unknown>).engagement === undefined) return undefined;
  let extra = '';
  if (v.awarenessSource === undefined) extra += ',"awarenessSource":"telematics"';
  if (v.software === undefined) extra += ',"software":[]';
  if (v.severity === undefined) extra += ',"severity":{}';
  return extra;
}

function beforeLastBrace(text: string, extra: string): string {
  const end = text.lastIndexOf('}');
  return text.slice(0, end) + extra + text.slice(end);
}

/** Whether JSON text holds the escape of U+0000 (an unescaped backslash, then u0000). */
const hasNulEscape = (json: string): boolean => json.includes('\\u0000') && /(^|[^\\])(\\\\)*\\u0000/.test(json);

/** The path of the first string (or key) holding U+0000. */
function nulPath(v: unknown, path = ''): string | undefined {
  if (typeof v === 'string') return v.includes('\u0000') ? path : undefined;
  if (v === null || typeof v !== 'object') return undefined;
  for (const [k, x] of Object.entries(v)) {
    const here = path ? `${path}.${k}` : k;
    if (k.includes('\u0000')) return here;
    const found = nulPath(x, here);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Validates one value (a parsed line): the row and its event, or the errors, each naming the line. */
export function rowOf(value: unknown, tenantId: string, receivedAt: Date, p: IncidentPolicy, line?: number, text?: string): { row: EventRow; event: IncidentEvent } | { errors: LineError[] } {
  // The hand-written check answers the usual event; zod everything else, and writes the errors.
  const fast = fastEvent(value);
  const parsed = fast ? { success: true as const, data: fast } : IncidentEvent.safeParse(value, { reportInput: true });
  if (!parsed.success) {
    return { errors: parsed.error.issues.slice(0, 5).map((i) => ({ path: i.path.join('.'), issue: withoutInput(i as unknown as ZodIssueLike), ...(line ? { line } : {}) })) };
  }
  // Only an event the hand-written check took is exactly its text (zod may have trimmed a string).
  const r = toRow(parsed.data, tenantId, receivedAt, p, fast && text !== undefined ? { text, value: value as Record<string, unknown> } : undefined);
  if (r.error) return { errors: [{ ...r.error, ...(line ? { line } : {}) }] };
  return { row: r.row, event: parsed.data };
}

/** Splits NDJSON chunks into lines and hands each chunk's lines over at once (no await per line). */
export async function* lineBlocks(chunks: AsyncIterable<string | Buffer> | Iterable<string | Buffer>, hash?: ReturnType<typeof createHash>): AsyncGenerator<{ first: number; lines: string[] }> {
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let rest = '', n = 0;
  for await (const c of chunks as AsyncIterable<string | Buffer>) {
    hash?.update(c);
    const text = rest + (typeof c === 'string' ? c : decoder.decode(c, { stream: true }));
    const parts = text.split('\n');
    rest = parts.pop()!;
    yield { first: n + 1, lines: parts };
    n += parts.length;
  }
  rest += decoder.decode();
  if (rest.length) yield { first: n + 1, lines: [rest] };
}

/** One NDJSON line: the parsed value, or the error naming the line; blank lines are skipped (undefined). */
export function parseLine(text: string, line: number): { value: unknown } | { error: LineError } | undefined {
  if (text.trim() === '') return undefined;
  try { return { value: JSON.parse(text) }; } catch (e) { return { error: { line, path: '', msg: msg('incidents.notJson', { reason: (e as Error).message }) } }; }
}
