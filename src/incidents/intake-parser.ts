/**
 * The main thread's side of the intake parser threads (intake-worker.ts): a small pool, started on
 * first use and idle it never keeps the process alive. A batch is a session: its body is cut into
 * pieces of whole lines (at the last newline of each chunk), handed round-robin to the threads, and
 * the results are taken back in order. A thread that dies fails what it had in hand (those batches
 * write nothing) and is replaced on next use.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { IncidentPolicy } from '../regimes/cn-2025/incidents.ts';
import type { LinesMessage, ParsedChunk } from './intake-worker.ts';

type Waiter = { resolve(c: ParsedChunk): void; reject(e: Error): void };
type Thread = { worker: Worker; waiting: Map<number, Waiter> };

/** A piece a thread parses at once: what it holds is bounded, whatever chunks the body comes in. */
const PIECE = 1 << 20;
/** The heap a parser thread may grow to: pieces are parsed one at a time and forgotten. */
const THREAD_HEAP_MB = 256;
/** Two threads at most: the database needs a core too. */
const THREADS = Math.max(1, Math.min(2, availableParallelism()));
const pool: (Thread | null)[] = Array.from({ length: THREADS }, () => null);
let active = 0;
let seqs = 0;

function thread(i: number): Thread {
  const had = pool[i];
  if (had) return had;
  const worker = new Worker(new URL('./intake-worker-entry.mjs', import.meta.url), { execArgv: [], resourceLimits: { maxOldGenerationSizeMb: THREAD_HEAP_MB } });
  const t: Thread = { worker, waiting: new Map() };
  worker.on('message', (m: ParsedChunk & { failed?: string }) => {
    const w = t.waiting.get(m.seq);
    if (!w) return;
    t.waiting.delete(m.seq);
    if (m.failed) w.reject(new Error(`intake parser: ${m.failed}`)); else w.resolve(m);
  });
  const fail = (e: Error) => {
    if (pool[i] === t) pool[i] = null;
    for (const w of t.waiting.values()) w.reject(e);
    t.waiting.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`intake parser thread exited (${code})`)));
  if (active === 0) worker.unref(); // after the listeners: adding one refs the thread again
  pool[i] = t;
  return t;
}

const refAll = (on: boolean) => { for (const t of pool) if (t) { if (on) t.worker.ref(); else t.worker.unref(); } };

export class ParseSession {
  private readonly results: Promise<ParsedChunk>[] = [];
  private carry: Uint8Array = new Uint8Array(0);
  private line = 1;
  private next = 0;
  private closed = false;

  constructor(private readonly batch: { batchId: string; receivedAt: Date; policy: IncidentPolicy }) {
    if (active++ === 0) { for (let i = 0; i < THREADS; i++) thread(i); refAll(true); } // answers are awaited now
  }

  /** Pieces handed out whose result has not been taken yet. */
  get inFlight(): number { return this.results.length; }

  /** Takes a chunk of the body; the whole lines in it (with what was carried over) go to a thread, in pieces of at most about PIECE bytes. */
  push(chunk: Uint8Array): void {
    while (chunk.length > PIECE) {
      const cut = chunk.lastIndexOf(10, PIECE);
      if (cut < 0) break; // one line longer than a piece: it goes whole
      this.push(chunk.subarray(0, cut + 1));
      chunk = chunk.subarray(cut + 1);
    }
    const nl = chunk.lastIndexOf(10);
    if (nl < 0) { this.carry = concat(this.carry, chunk); return; }
    this.send(concat(this.carry, chunk.subarray(0, nl + 1)));
    this.carry = Uint8Array.prototype.slice.call(chunk, nl + 1); // a copy: a Buffer's slice would share the caller's memory
  }

  /** The last line, if the body does not end with a newline. */
  end(): void {
    if (this.carry.length) this.send(this.carry);
    this.carry = new Uint8Array(0);
  }

  private send(bytes: Uint8Array): void {
    const t = thread(this.next++ % THREADS);
    const seq = ++seqs;
    const m: LinesMessage = { seq, first: this.line, bytes, batchId: this.batch.batchId, receivedAt: this.batch.receivedAt.getTime(), policy: this.batch.policy };
    this.line += countNewlines(bytes);
    const result = new Promise<ParsedChunk>((resolve, reject) => t.waiting.set(seq, { resolve, reject }));
    result.catch(() => {});
    this.results.push(result);
    t.worker.postMessage(m, [bytes.buffer as ArrayBuffer]);
  }

  /** The next result, in the order of the body. */
  take(): Promise<ParsedChunk> {
    const r = this.results.shift();
    if (!r) throw new Error('ParseSession.take: nothing in flight');
    return r;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (--active === 0) refAll(false);
  }
}

/** A copy of a and b in one buffer of its own (so it can be handed to a thread). */
function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function countNewlines(b: Uint8Array): number {
  let n = 0;
  for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) n++;
  return n;
}
