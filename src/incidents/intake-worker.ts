/**
 * An intake parser thread: complete NDJSON lines in, validated rows out (as COPY lines plus the few
 * columns the main thread needs to check and account for them). Parsing and validating is most of
 * the CPU of bulk intake; these threads do it beside the main thread, which meanwhile talks to
 * PostgreSQL. Stateless: each message carries its lines, their first line number and the batch's
 * settings, and is answered by one ParsedChunk with the same `seq`.
 */
import { parentPort } from 'node:worker_threads';
import type { IncidentPolicy } from '../regimes/cn-2025/incidents.ts';
import { MAX_ERRORS, parseLine, rowOf, type LineError } from './event-rows.ts';
import { copyLine } from './store.ts';

export type ParsedRows = {
  line: string[]; dedupe: string[]; vin: string[]; type: string[]; vinStatus: string[]; occurredAt: string[]; awareAt: string[];
  severity: (string | null)[]; caseKey: (string | null)[]; signature: (string | null)[]; sigDay: (string | null)[];
  faultCode: (string | null)[]; sigFunction: (string | null)[]; sigVersion: (string | null)[]; sigEcu: (string | null)[];
  personal: (string | null)[];
  /** The stored body, only for events that open or join a case of their own (S1-S3). */
  caseBody: (string | null)[];
};
export type ParsedChunk = { seq: number; rows: ParsedRows; received: number; errors: LineError[] };
export type LinesMessage = { seq: number; first: number; bytes: Uint8Array; batchId: string; receivedAt: number; policy: IncidentPolicy };

const emptyRows = (): ParsedRows => ({
  line: [], dedupe: [], vin: [], type: [], vinStatus: [], occurredAt: [], awareAt: [], severity: [], caseKey: [], signature: [], sigDay: [],
  faultCode: [], sigFunction: [], sigVersion: [], sigEcu: [], personal: [], caseBody: [],
});

/** Parses lines numbered from `first`. Once a line is bad the batch will be refused: only errors are gathered then. */
export function parseLines(m: Omit<LinesMessage, 'bytes'>, lines: string[]): Omit<ParsedChunk, 'seq'> {
  const rows = emptyRows();
  const errors: LineError[] = [];
  const receivedAt = new Date(m.receivedAt);
  let received = 0;
  for (let i = 0; i < lines.length && errors.length < MAX_ERRORS; i++) {
    const no = m.first + i;
    const parsed = parseLine(lines[i], no);
    if (!parsed) continue;
    if ('error' in parsed) { errors.push(parsed.error); continue; }
    const r = rowOf(parsed.value, receivedAt, m.policy, no);
    if ('errors' in r) { errors.push(...r.errors); continue; }
    received++;
    if (errors.length > 0) continue;
    const w = r.row;
    rows.line.push(copyLine(m.batchId, w)); rows.dedupe.push(w.dedupe); rows.vin.push(w.vin); rows.type.push(w.type); rows.vinStatus.push(w.vinStatus);
    rows.occurredAt.push(w.occurredAt); rows.awareAt.push(w.awareAt); rows.severity.push(w.severity); rows.caseKey.push(w.caseKey);
    rows.signature.push(w.signature); rows.sigDay.push(w.sigDay); rows.faultCode.push(w.faultCode); rows.sigFunction.push(w.sigFunction);
    rows.sigVersion.push(w.sigVersion); rows.sigEcu.push(w.sigEcu); rows.personal.push(w.personal);
    rows.caseBody.push(w.severity && w.severity !== 'S4' ? w.body : null);
  }
  return { rows, received, errors };
}

const decoder = new TextDecoder('utf-8');

if (parentPort) {
  const port = parentPort;
  port.on('message', (m: LinesMessage) => {
    try {
      const text = decoder.decode(m.bytes);
      port.postMessage({ seq: m.seq, ...parseLines(m, text.length ? text.split('\n') : []) });
    } catch (e) {
      port.postMessage({ seq: m.seq, failed: (e as Error).message });
    }
  });
}
