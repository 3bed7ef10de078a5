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
import { INCIDENT_POLICY_DEFAULTS, type IncidentPolicy } from '../regimes/cn-2025/incidents.ts';
import { MAX_ERRORS, parseLine, rowOf, type LineError } from './event-rows.ts';
import { copyLine, copyLineHead, needsEscape } from './copy-text.ts';
import type { EventRow } from './store.ts';
import { SYNTHETIC_NOW, syntheticEventLine } from './synthetic-events.ts';

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
  /** Distinct (signature, Shanghai day) of the piece: the signature's index in `sigs`, and the day. */
  sigDays: { sig: number; day: string }[];
  /**
   * The rows' VINs, row i's on line i: one string per piece crosses between the threads, not one per
   * row (the main thread spent about a second of a million events receiving and keying those).
   */
  vins: string;
  /** Case keys of the monthly summaries (S4) of the piece. */
  months: string[];
  /** Row i's awareness instant (ms). */
  aware: Float64Array;
  cases: CaseRow[];
  personal: { row: number; data: string }[];
};
export type LinesMessage = { seq: number; first: number; bytes: Uint8Array; batchId: string; tenantId: string; receivedAt: number; policy: IncidentPolicy };

/** A list of distinct values, each with its index. */
class Index<K, T> {
  readonly values: T[] = [];
  private readonly at = new Map<K, number>();
  /** The index of `key`, or -1. */
  find(key: K): number { return this.at.get(key) ?? -1; }
  add(key: K, value: T): number {
    const i = this.values.length;
    this.at.set(key, i);
    this.values.push(value);
    return i;
  }
}

/** The lines of a piece, and where each one's bytes start and end in it. */
export type Lines = { text: string[]; start: number[]; end: number[]; bytes: Buffer };

/** Parses lines numbered from `first`. Once a line is bad the batch will be refused: only errors are gathered then. */
export function parseLines(m: Omit<LinesMessage, 'bytes'>, lines: Lines): Omit<ParsedPiece, 'seq'> {
  const errors: LineError[] = [];
  const receivedAt = new Date(m.receivedAt);
  const rows: EventRow[] = [];
  /** Per row, its line's index if the line's bytes can be copied as the row's body, else -1. */
  const from: number[] = [];
  let received = 0;
  for (let i = 0; i < lines.text.length && errors.length < MAX_ERRORS; i++) {
    const no = m.first + i, text = lines.text[i];
    const parsed = parseLine(text, no);
    if (!parsed) continue;
    if ('error' in parsed) { errors.push(parsed.error); continue; }
    const r = rowOf(parsed.value, m.tenantId, receivedAt, m.policy, no, text);
    if ('errors' in r) { errors.push(...r.errors); continue; }
    received++;
    if (errors.length) continue;
    rows.push(r.row);
    // Copied only when the line is the body's exact UTF-8 (no byte was invalid, no U+FFFD stands in
    // for one) and no field needs a COPY escape (every field's text is in the line).
    from.push(r.row.bodyExtra !== undefined && !needsEscape(text) && !text.includes('\uFFFD') ? i : -1);
  }
  return { received, errors, ...(errors.length ? pieceOf(m.batchId, []) : pieceOf(m.batchId, rows, { lines, from })) };
}

/**
 * The rows of a piece in the shape the main thread takes them. `source`: the lines the rows came
 * from, and per row the line whose bytes are its body (or -1).
 */
export function pieceOf(batchId: string, rows: EventRow[], source?: { lines: Lines; from: number[] }): Omit<ParsedPiece, 'seq' | 'received' | 'errors'> {
  const n = rows.length;
  const ends = new Uint32Array(n), keys = new Uint8Array(n * 16), aware = new Float64Array(n);
  const sig = new Int32Array(n), sigDay = new Int32Array(n), month = new Int32Array(n);
  const sigs = new Index<string, SignatureParts>(), months = new Index<string, string>();
  /** Keyed by signature index and day number (a piece has a few dozen such pairs). */
  const sigDays = new Index<number, { sig: number; day: string }>();
  const cases: CaseRow[] = [], personal: ParsedPiece['personal'] = [];
  const vins = new Array<string>(n);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const w = rows[i];
    // Each line straight into the piece's bytes: joining them first made one string of the whole
    // piece, too large for the young generation, and took twice as long.
    const l = source ? source.from[i] : -1;
    if (l >= 0) at = writeFromLine(at, copyLineHead(batchId, w, false), source!.lines, l, w.bodyExtra!);
    else {
      const line = copyLine(batchId, w);
      if (scratch.length - at < line.length * 3) scratch = grown(scratch, at, line.length * 3);
      at += scratch.write(line, at);
    }
    ends[i] = at;
    keys.set(w.key, i * 16);
    aware[i] = w.awareMs;
    vins[i] = w.vin;
    if (w.signature) {
      let s = sigs.find(w.signature);
      if (s < 0) s = sigs.add(w.signature, { signature: w.signature, fn: w.sigFunction!, fault: w.faultCode!, version: w.sigVersion!, ecu: w.sigEcu });
      sig[i] = s;
      const dayKey = s * DAYS_PER_SIGNATURE + dayNumber(w.sigDay!);
      let g = sigDays.find(dayKey);
      if (g < 0) g = sigDays.add(dayKey, { sig: s, day: w.sigDay! });
      sigDay[i] = g;
    } else { sig[i] = -1; sigDay[i] = -1; }
    if (w.severity === 'S4' && w.caseKey) {
      let m = months.find(w.caseKey);
      if (m < 0) m = months.add(w.caseKey, w.caseKey);
      month[i] = m;
    } else month[i] = -1;
    if (w.severity && w.severity !== 'S4' && w.caseKey) {
      cases.push({ row: i, caseKey: w.caseKey, severity: w.severity, type: w.type, vin: w.vin, vinStatus: w.vinStatus, occurredAt: w.occurredAt, awareAt: w.awareAt, body: w.body });
    }
    if (w.personal) personal.push({ row: i, data: w.personal });
  }
  // Bytes of its own, exactly as long as the text: they are handed to the main thread.
  const copy: Uint8Array = Uint8Array.prototype.slice.call(scratch, 0, at);
  return {
    n, copy, ends, keys, sig, sigDay, month, aware,
    sigs: sigs.values, sigDays: sigDays.values, vins: vins.join('\n'), months: months.values, cases, personal,
  };
}

/** Room for every day number (yyyymmdd as a number is below this): a signature's days never meet the next signature's. */
const DAYS_PER_SIGNATURE = 100_000_000;
/** A day as the number yyyymmdd (from YYYY-MM-DD). */
const dayNumber = (day: string): number => +day.slice(0, 4) * 10_000 + +day.slice(5, 7) * 100 + +day.slice(8, 10);

/**
 * Writes a COPY line whose body is its NDJSON line's bytes (with `extra` before the last brace) at
 * `at`; answers where it ends. Encoding the body again took about a tenth of a thread's time.
 */
function writeFromLine(at: number, head: string, lines: Lines, l: number, extra: string): number {
  const start = lines.start[l], end = lines.end[l], b = lines.bytes;
  const room = head.length * 3 + (end - start) + extra.length + 1;
  if (scratch.length - at < room) scratch = grown(scratch, at, room);
  at += scratch.write(head, at);
  if (extra === '') at += b.copy(scratch, at, start, end);
  else {
    const brace = b.lastIndexOf(0x7d, end - 1); // '}' is never a byte of a longer UTF-8 sequence
    at += b.copy(scratch, at, start, brace);
    at += scratch.write(extra, at, 'latin1');
    at += b.copy(scratch, at, brace, end);
  }
  scratch[at++] = 10;
  return at;
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

/**
 * The lines of a piece as strings, each decoded on its own: 0.23 us a line, against 1.0 for decoding
 * the whole piece and splitting it (measured on the bench's events, which hold Chinese text). Invalid
 * UTF-8 becomes U+FFFD exactly as TextDecoder (the chunked path's decoder) makes it. A byte order mark
 * is dropped at the start of the body only, as the chunked path's streaming decoder drops it.
 */
export function linesOf(bytes: Uint8Array, bodyStart: boolean): Lines {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const lines: Lines = { text: [], start: [], end: [], bytes: b };
  const add = (from: number, to: number) => { lines.text.push(b.toString('utf8', from, to)); lines.start.push(from); lines.end.push(to); };
  let start = bodyStart && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  for (let end = b.indexOf(10, start); end >= 0; start = end + 1, end = b.indexOf(10, start)) add(start, end);
  if (start < b.length) add(start, b.length);
  return lines;
}

/**
 * Parses made-up events a few times as the thread starts, so that the first batch finds the parsing
 * compiled: parsed cold, the first pieces of a batch took ten times as long (0.3 s of a million events).
 */
function warmUp(): void {
  const text = Array.from({ length: WARM_UP_LINES }, (_, n) => syntheticEventLine(n)).join('\n');
  const bytes = Buffer.from(text);
  const settings = { seq: 0, first: 2, batchId: 'evb_warm_up', tenantId: 'ten_warm_up', receivedAt: SYNTHETIC_NOW.getTime(), policy: INCIDENT_POLICY_DEFAULTS };
  for (let i = 0; i < WARM_UP_ROUNDS; i++) parseLines(settings, linesOf(bytes, false));
}
const WARM_UP_LINES = 1000, WARM_UP_ROUNDS = 5;

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
  warmUp();
  const port = parentPort;
  port.on('message', (m: LinesMessage) => {
    try {
      const piece = parseLines(m, linesOf(m.bytes, m.first === 1));
      port.postMessage({ seq: m.seq, ...piece }, [...new Set(transferablesOf(piece))]);
    } catch (e) {
      port.postMessage({ seq: m.seq, failed: (e as Error).message });
    }
  });
}
