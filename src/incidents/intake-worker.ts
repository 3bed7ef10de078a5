/**
 * An intake parser thread: complete NDJSON lines in, validated rows out. Parsing and validating is
 * most of the CPU of bulk intake; these threads do it beside the main thread, which meanwhile talks
 * to PostgreSQL. What comes back is built so that the main thread touches each row as little as
 * possible: the rows' COPY text as bytes with each row's end, the dedupe keys as 16 bytes each (all
 * transferred, not copied), and per row small indexes into the piece's few distinct signatures,
 * signal days and months. Stateless: each message carries its lines, their first line number and the
 * batch's settings, and is answered by one ParsedPiece with the same `seq`.
 */
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import type { IncidentPolicy } from '../regimes/cn-2025/incidents.ts';
import { MAX_ERRORS, parseLine, rowOf, type LineError } from './event-rows.ts';
import { copyLine } from './copy-text.ts';
import type { EventRow } from './store.ts';

export type SignatureParts = { signature: string; fn: string; fault: string; version: string; ecu: string | null };
/** A row that opens or joins a case of its own (S1-S3): rare, so carried whole. */
export type CaseRow = { row: number; caseKey: string; severity: string; type: string; vin: string; vinStatus: string; occurredAt: string; awareAt: string; body: string };

export type ParsedPiece = {
  seq: number; received: number; errors: LineError[];
  /** Valid rows in the piece. */
  n: number;
  /** The rows' COPY lines back to back (UTF-8); row i ends at ends[i]. */
  copy: Uint8Array; ends: Uint32Array;
  /** Row i's dedupe key (a UUID) as 16 bytes at i * 16. */
  keys: Uint8Array;
  /** Row i's index in `sigs` / `sigDays` / `months`, or -1. */
  sig: Int32Array; sigDay: Int32Array; month: Int32Array;
  sigs: SignatureParts[];
  /** Distinct (signature, day, vin) of the piece, joined by NUL (which no text of an event holds). */
  sigDays: string[];
  /** Case keys of the monthly summaries (S4) of the piece. */
  months: string[];
  /** Row i's awareness instant (ms). */
  aware: Float64Array;
  cases: CaseRow[];
  personal: { row: number; data: string }[];
};
export type LinesMessage = { seq: number; first: number; bytes: Uint8Array; batchId: string; tenantId: string; receivedAt: number; policy: IncidentPolicy };

/** A list of distinct values, each with its index. */
class Index<T> {
  readonly values: T[] = [];
  private readonly at = new Map<string, number>();
  of(key: string, value: () => T): number {
    let i = this.at.get(key);
    if (i === undefined) { i = this.values.length; this.at.set(key, i); this.values.push(value()); }
    return i;
  }
}

/** Parses lines numbered from `first`. Once a line is bad the batch will be refused: only errors are gathered then. */
export function parseLines(m: Omit<LinesMessage, 'bytes'>, lines: string[]): Omit<ParsedPiece, 'seq'> {
  const errors: LineError[] = [];
  const receivedAt = new Date(m.receivedAt);
  const rows: EventRow[] = [];
  let received = 0;
  for (let i = 0; i < lines.length && errors.length < MAX_ERRORS; i++) {
    const no = m.first + i;
    const parsed = parseLine(lines[i], no);
    if (!parsed) continue;
    if ('error' in parsed) { errors.push(parsed.error); continue; }
    const r = rowOf(parsed.value, m.tenantId, receivedAt, m.policy, no, lines[i]);
    if ('errors' in r) { errors.push(...r.errors); continue; }
    received++;
    if (errors.length === 0) rows.push(r.row);
  }
  return { received, errors, ...(errors.length ? pieceOf(m.batchId, []) : pieceOf(m.batchId, rows)) };
}

/** The rows of a piece in the shape the main thread takes them. */
export function pieceOf(batchId: string, rows: EventRow[]): Omit<ParsedPiece, 'seq' | 'received' | 'errors'> {
  const n = rows.length;
  const ends = new Uint32Array(n), keys = new Uint8Array(n * 16), aware = new Float64Array(n);
  const sig = new Int32Array(n), sigDay = new Int32Array(n), month = new Int32Array(n);
  const sigs = new Index<SignatureParts>(), sigDays = new Index<string>(), months = new Index<string>();
  const cases: CaseRow[] = [], personal: ParsedPiece['personal'] = [];
  let at = 0;
  for (let i = 0; i < n; i++) {
    const w = rows[i];
    // Each line straight into the piece's bytes: joining them first made one string of the whole
    // piece, too large for the young generation, and took twice as long.
    const line = copyLine(batchId, w);
    if (scratch.length - at < line.length * 3) scratch = grown(scratch, at, line.length * 3);
    ends[i] = at += scratch.write(line, at);
    keys.set(w.key, i * 16);
    aware[i] = w.awareMs;
    if (w.signature) {
      const s = w.signature;
      sig[i] = sigs.of(s, () => ({ signature: s, fn: w.sigFunction!, fault: w.faultCode!, version: w.sigVersion!, ecu: w.sigEcu }));
      const day = `${s}\u0000${w.sigDay}\u0000${w.vin}`;
      sigDay[i] = sigDays.of(day, () => day);
    } else { sig[i] = -1; sigDay[i] = -1; }
    if (w.severity === 'S4' && w.caseKey) { const k = w.caseKey; month[i] = months.of(k, () => k); } else month[i] = -1;
    if (w.severity && w.severity !== 'S4' && w.caseKey) {
      cases.push({ row: i, caseKey: w.caseKey, severity: w.severity, type: w.type, vin: w.vin, vinStatus: w.vinStatus, occurredAt: w.occurredAt, awareAt: w.awareAt, body: w.body });
    }
    if (w.personal) personal.push({ row: i, data: w.personal });
  }
  // Bytes of its own, exactly as long as the text: they are handed to the main thread.
  const copy: Uint8Array = Uint8Array.prototype.slice.call(scratch, 0, at);
  return {
    n, copy, ends, keys, sig, sigDay, month, aware,
    sigs: sigs.values, sigDays: sigDays.values, months: months.values, cases, personal,
  };
}

/** The thread's reused buffer the COPY text of a piece is written into (a UTF-8 character takes at most 3 bytes per UTF-16 unit). */
let scratch: Buffer = Buffer.allocUnsafeSlow(1 << 20);
function grown(b: Buffer, used: number, more: number): Buffer {
  const next = Buffer.allocUnsafeSlow(Math.max(b.length * 2, used + more));
  b.copy(next, 0, 0, used);
  return next;
}

/** The buffers a piece hands over instead of copying. */
export const transferablesOf = (p: Omit<ParsedPiece, 'seq' | 'received' | 'errors'>): ArrayBuffer[] =>
  [p.copy, p.ends, p.keys, p.sig, p.sigDay, p.month, p.aware].map((a) => a.buffer as ArrayBuffer);

const decoder = new TextDecoder('utf-8');

/**
 * Parser threads run at a lower priority than everything else (on Linux the nice value of the calling
 * thread only): bulk parsing must not take the CPU from the event loop that answers gate checks, nor
 * from the PostgreSQL backend the parsed rows wait for (the batch's bottleneck on a small machine).
 * The lowest there is: on two cores a million events took 15.2-16.2 s at 19, 15.9-17.1 s at 10.
 */
const PARSER_NICE = 19;

if (parentPort) {
  // Elsewhere (macOS) the same call would lower the whole process, main thread included.
  if (process.platform === 'linux') {
    try { setPriority(PARSER_NICE); } catch { /* not permitted here: parse at normal priority */ }
  }
  const port = parentPort;
  port.on('message', (m: LinesMessage) => {
    try {
      const text = decoder.decode(m.bytes);
      const piece = parseLines(m, text.length ? text.split('\n') : []);
      port.postMessage({ seq: m.seq, ...piece }, [...new Set(transferablesOf(piece))]);
    } catch (e) {
      port.postMessage({ seq: m.seq, failed: (e as Error).message });
    }
  });
}
