/**
 * From one parsed event to the row intake stores, and from NDJSON chunks to numbered lines: the
 * shared, database-free part of both intake paths.
 */
import type { createHash } from 'node:crypto';
import type { FieldError } from '../platform/errors.ts';
import { severityOf, type IncidentPolicy } from '../regimes/cn-2025/incidents.ts';
import { IncidentEvent } from './model.ts';
import { caseKeyOf, dedupeKey, factsOf, shanghaiDay, signatureOf, vinStatus } from './rules.ts';
import type { EventRow } from './store.ts';

export const MAX_ERRORS = 100;

/**
 * Turns one valid event into its row; the VIN check is part of validation. Instants keep the text
 * they came in (ISO 8601 with an offset, checked by the schema): PostgreSQL reads them as they are.
 */
export function toRow(e: IncidentEvent, receivedAt: Date, p: IncidentPolicy): { row: EventRow; error?: undefined } | { error: FieldError; row?: undefined } {
  const vin = vinStatus(e.vin);
  if (!vin.ok) return { error: { path: 'vin', message: vin.reason } };
  const occurred = Date.parse(e.occurredAt);
  const aware = e.awareAt ? Date.parse(e.awareAt) : receivedAt.getTime();
  if (!e.awareAt && occurred > aware) return { error: { path: 'occurredAt', message: 'is in the future' } };
  if (aware < occurred) return { error: { path: 'awareAt', message: 'is before occurredAt' } };
  const severity = severityOf(factsOf(e), p);
  const sig = signatureOf(e);
  const dedupe = dedupeKey(e);
  const caseKey = caseKeyOf(e, severity, aware);
  const awareAt = e.awareAt ?? receivedAt.toISOString();
  // The stored body is the event without its personal data, VIN normalised, awareness filled in.
  // The parsed event is ours: changing it in place spares two copies per event on the bulk path.
  const personal = e.personal;
  e.personal = undefined;
  e.vin = vin.vin;
  e.awareAt = awareAt;
  return {
    row: {
      dedupe, eventId: e.eventId ?? null, type: e.type, vin: vin.vin, vinStatus: vin.status, occurredAt: e.occurredAt, awareAt,
      cdasFunction: e.cdas.function, engagement: e.cdas.engagement, secondsBeforeImpact: e.cdas.secondsBeforeImpact ?? null,
      faultCode: e.faultCode ?? null, signature: sig?.key ?? null, severity, caseKey,
      province: e.location?.province ?? null, city: e.location?.city ?? null, body: JSON.stringify(e),
      personal: personal ? JSON.stringify(personal) : null,
      sigFunction: sig?.function ?? null, sigVersion: sig?.softwareVersion ?? null, sigEcu: sig?.ecu ?? null,
      sigDay: sig ? shanghaiDay(occurred) : null,
    },
  };
}

/** Validates one value (a parsed line): the row and its event, or the errors, each naming the line. */
export function rowOf(value: unknown, receivedAt: Date, p: IncidentPolicy, line?: number): { row: EventRow; event: IncidentEvent } | { errors: FieldError[] } {
  const parsed = IncidentEvent.safeParse(value);
  if (!parsed.success) return { errors: parsed.error.issues.slice(0, 5).map((i) => ({ path: i.path.join('.'), message: i.message, ...(line ? { line } : {}) })) };
  const r = toRow(parsed.data, receivedAt, p);
  if (r.error) return { errors: [{ ...r.error, ...(line ? { line } : {}) }] };
  return { row: r.row, event: parsed.data };
}

/** Splits NDJSON chunks into lines and hands each chunk's lines over at once (no await per line). */
export async function* lineBlocks(chunks: AsyncIterable<string | Buffer> | Iterable<string | Buffer>, hash: ReturnType<typeof createHash>): AsyncGenerator<{ first: number; lines: string[] }> {
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let rest = '', n = 0;
  for await (const c of chunks as AsyncIterable<string | Buffer>) {
    hash.update(c);
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
export function parseLine(text: string, line: number): { value: unknown } | { error: FieldError } | undefined {
  if (text.trim() === '') return undefined;
  try { return { value: JSON.parse(text) }; } catch (e) { return { error: { line, path: '', message: `not JSON: ${(e as Error).message}` } }; }
}
