/**
 * The intake parser thread: NDJSON bytes in, validated rows out (as COPY lines plus the few columns
 * the main thread needs to check and account for them). Parsing and validating is most of the CPU
 * of bulk intake; here it runs beside the main thread, which meanwhile talks to PostgreSQL.
 * Messages: { batch, kind: 'open', receivedAt, policy } | { batch, kind: 'chunk', bytes } | { batch, kind: 'end' };
 * every chunk and the end answer one ParsedChunk, in order.
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
export type ParsedChunk = { batch: string; rows: ParsedRows; received: number; errors: LineError[] };
export type WorkerMessage =
  | { batch: string; kind: 'open'; batchId: string; receivedAt: number; policy: IncidentPolicy }
  | { batch: string; kind: 'chunk'; bytes: Uint8Array }
  | { batch: string; kind: 'end' };

type Batch = { batchId: string; receivedAt: Date; policy: IncidentPolicy; decoder: TextDecoder; rest: string; n: number; errors: number };
const batches = new Map<string, Batch>();

const emptyRows = (): ParsedRows => ({
  line: [], dedupe: [], vin: [], type: [], vinStatus: [], occurredAt: [], awareAt: [], severity: [], caseKey: [], signature: [], sigDay: [],
  faultCode: [], sigFunction: [], sigVersion: [], sigEcu: [], personal: [], caseBody: [],
});

/** Parses the complete lines of `text`; numbering continues from the batch's previous lines. */
export function parseLines(b: Batch, lines: string[]): Omit<ParsedChunk, 'batch'> {
  const rows = emptyRows();
  const errors: LineError[] = [];
  let received = 0;
  for (let i = 0; i < lines.length; i++) {
    const no = b.n + i + 1;
    if (b.errors >= MAX_ERRORS) break;
    const parsed = parseLine(lines[i], no);
    if (!parsed) continue;
    if ('error' in parsed) { errors.push(parsed.error); b.errors++; continue; }
    const r = rowOf(parsed.value, b.receivedAt, b.policy, no);
    if ('errors' in r) { errors.push(...r.errors); b.errors += r.errors.length; continue; }
    received++;
    if (b.errors > 0) continue; // the batch will be refused: only errors matter now
    const w = r.row;
    rows.line.push(copyLine(b.batchId, w)); rows.dedupe.push(w.dedupe); rows.vin.push(w.vin); rows.type.push(w.type); rows.vinStatus.push(w.vinStatus);
    rows.occurredAt.push(w.occurredAt); rows.awareAt.push(w.awareAt); rows.severity.push(w.severity); rows.caseKey.push(w.caseKey);
    rows.signature.push(w.signature); rows.sigDay.push(w.sigDay); rows.faultCode.push(w.faultCode); rows.sigFunction.push(w.sigFunction);
    rows.sigVersion.push(w.sigVersion); rows.sigEcu.push(w.sigEcu); rows.personal.push(w.personal);
    rows.caseBody.push(w.severity && w.severity !== 'S4' ? w.body : null);
  }
  b.n += lines.length;
  return { rows, received, errors };
}

export function handle(m: WorkerMessage): ParsedChunk | null {
  if (m.kind === 'open') {
    batches.set(m.batch, { batchId: m.batchId, receivedAt: new Date(m.receivedAt), policy: m.policy, decoder: new TextDecoder('utf-8'), rest: '', n: 0, errors: 0 });
    return null;
  }
  const b = batches.get(m.batch);
  if (!b) throw new Error(`intake worker: unknown batch ${m.batch}`);
  if (m.kind === 'chunk') {
    const parts = (b.rest + b.decoder.decode(m.bytes, { stream: true })).split('\n');
    b.rest = parts.pop()!;
    return { batch: m.batch, ...parseLines(b, parts) };
  }
  batches.delete(m.batch);
  const last = b.rest + b.decoder.decode();
  return { batch: m.batch, ...parseLines(b, last.length ? [last] : []) };
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (m: WorkerMessage) => {
    try {
      const out = handle(m);
      if (out) port.postMessage(out);
    } catch (e) {
      port.postMessage({ batch: m.batch, failed: (e as Error).message });
    }
  });
}
