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
import type { LinesMessage, ParsedPiece } from './intake-worker.ts';

type Waiter = { resolve(c: ParsedPiece): void; reject(e: Error): void };
type Thread = { worker: Worker; waiting: Map<number, Waiter> };

/**
 * A piece a thread parses at once: what it holds is bounded, whatever chunks the body comes in. Small
 * enough that what parsing a piece allocates dies young: with 1 MiB pieces a third of the threads'
 * time went to collecting garbage that had outlived the young generation.
 */
const PIECE = 1 << 18;
/** Small chunks (a socket's 64 KiB) are gathered first: each piece costs a message both ways. */
const MIN_PIECE = 1 << 17;
/** The heap a parser thread may grow to: pieces are parsed one at a time and forgotten. */
const THREAD_HEAP_MB = 256;
/** Room for a few pieces' garbage in the young generation (V8's default for a thread is smaller). */
const THREAD_YOUNG_MB = 64;
/**
 * One thread parses about 100,000 events a second (8-10 us each), more than one PostgreSQL backend
 * writes into incident_events (about 80,000), so a second one only helps where cores are spare. On
 * two vCPUs it took CPU from the backend: a million events took 13.8-14.3 s with one thread, 15.2-15.6 s
 * with two (bench runs, alternating).
 */
const THREADS = availableParallelism() >= 4 ? 2 : 1;
const pool: (Thread | null)[] = Array.from({ length: THREADS }, () => null);
let active = 0;
let seqs = 0;

function thread(i: number): Thread {
  const had = pool[i];
  if (had) return had;
  const worker = new Worker(new URL('./intake-worker-entry.mjs', import.meta.url), { execArgv: [], resourceLimits: { maxOldGenerationSizeMb: THREAD_HEAP_MB, maxYoungGenerationSizeMb: THREAD_YOUNG_MB } });
  const t: Thread = { worker, waiting: new Map() };
  worker.on('message', (m: ParsedPiece & { failed?: string }) => {
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

/**
 * Starts the threads ahead of the first batch (a server does at start-up, see slices.ts): starting
 * them, TypeScript loader included, takes about 0.6 s, which the first batch would otherwise wait.
 * Idle threads do not keep the process alive.
 */
export function warmParsers(): void {
  for (let i = 0; i < THREADS; i++) thread(i);
}

const refAll = (on: boolean) => { for (const t of pool) if (t) { if (on) t.worker.ref(); else t.worker.unref(); } };

export class ParseSession {
  private readonly results: Promise<ParsedPiece>[] = [];
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  private line = 1;
  private next = 0;
  private closed = false;

  constructor(private readonly batch: { batchId: string; tenantId: string; receivedAt: Date; policy: IncidentPolicy }) {
    if (active++ === 0) { for (let i = 0; i < THREADS; i++) thread(i); refAll(true); } // answers are awaited now
  }

  /** Pieces handed out whose result has not been taken yet. */
  get inFlight(): number { return this.results.length; }

  /**
   * Takes a chunk of the body. Chunks are held until there is about MIN_PIECE of them; then their
   * whole lines go to the threads in pieces of at most about PIECE bytes, the rest is held.
   */
  push(chunk: Uint8Array): void {
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    if (this.heldBytes >= MIN_PIECE) this.flush(false);
  }

  /** The rest, the last line included if the body does not end with a newline. */
  end(): void {
    if (this.heldBytes) this.flush(true);
  }

  private flush(final: boolean): void {
    const all = this.held.length === 1 ? this.held[0] : Buffer.concat(this.held);
    this.held = [];
    this.heldBytes = 0;
    let start = 0;
    while (all.length - start > PIECE) {
      const cut = all.lastIndexOf(10, start + PIECE);
      if (cut < start) break; // one line longer than a piece: it goes whole
      this.send(copyOf(all, start, cut + 1));
      start = cut + 1;
    }
    const end = final ? all.length : all.lastIndexOf(10) + 1;
    if (end > start) this.send(copyOf(all, start, end));
    if (end < all.length) {
      this.held = [copyOf(all, end, all.length)];
      this.heldBytes = all.length - end;
    }
  }

  private send(bytes: Uint8Array): void {
    const t = thread(this.next++ % THREADS);
    const seq = ++seqs;
    const m: LinesMessage = { seq, first: this.line, bytes, batchId: this.batch.batchId, tenantId: this.batch.tenantId, receivedAt: this.batch.receivedAt.getTime(), policy: this.batch.policy };
    this.line += countNewlines(bytes);
    const result = new Promise<ParsedPiece>((resolve, reject) => t.waiting.set(seq, { resolve, reject }));
    result.catch(() => {});
    this.results.push(result);
    t.worker.postMessage(m, [bytes.buffer as ArrayBuffer]);
  }

  /** The next result, in the order of the body. */
  take(): Promise<ParsedPiece> {
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

/** Bytes of their own (a Buffer's slice would share memory, and a piece's memory is handed to a thread). */
const copyOf = (b: Uint8Array, from: number, to: number): Uint8Array => Uint8Array.prototype.slice.call(b, from, to);

function countNewlines(b: Uint8Array): number {
  let n = 0;
  for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) n++;
  return n;
}
