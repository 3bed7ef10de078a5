/**
 * The main thread's side of the intake parser thread (intake-worker.ts): one thread per process,
 * started on first use, not keeping the process alive; each batch is a session whose chunk results
 * come back in order. A thread that dies fails the sessions in flight (their batches write nothing).
 */
import { Worker } from 'node:worker_threads';
import type { IncidentPolicy } from '../regimes/cn-2025/incidents.ts';
import type { ParsedChunk, WorkerMessage } from './intake-worker.ts';

type Waiter = { resolve(c: ParsedChunk): void; reject(e: Error): void };
type Session = { results: (ParsedChunk | Error)[]; waiters: Waiter[] };

let worker: Worker | null = null;
const sessions = new Map<string, Session>();
let counter = 0;

function deliver(s: Session, r: ParsedChunk | Error): void {
  const w = s.waiters.shift();
  if (!w) { s.results.push(r); return; }
  if (r instanceof Error) w.reject(r); else w.resolve(r);
}

function thread(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./intake-worker-entry.mjs', import.meta.url), { execArgv: [] });
  w.on('message', (m: ParsedChunk & { failed?: string }) => {
    const s = sessions.get(m.batch);
    if (s) deliver(s, m.failed ? new Error(`intake parser: ${m.failed}`) : m);
  });
  const fail = (e: Error) => {
    if (worker === w) worker = null;
    for (const s of sessions.values()) deliver(s, e);
  };
  w.on('error', fail);
  w.on('exit', (code) => fail(new Error(`intake parser thread exited (${code})`)));
  w.unref(); // idle, it never keeps the process alive (after the listeners: adding one refs the thread again)
  worker = w;
  return w;
}

export class ParseSession {
  private readonly id = `p${++counter}`;
  private readonly session: Session = { results: [], waiters: [] };
  private readonly w: Worker;
  /** Chunks (and the end) posted whose result has not been taken yet. */
  inFlight = 0;

  constructor(batchId: string, receivedAt: Date, policy: IncidentPolicy) {
    this.w = thread();
    sessions.set(this.id, this.session);
    this.w.ref(); // while a batch is being parsed, its answers are awaited
    this.post({ batch: this.id, kind: 'open', batchId, receivedAt: receivedAt.getTime(), policy });
  }

  private post(m: WorkerMessage): void { this.w.postMessage(m); }

  private ended = false;
  push(bytes: Uint8Array): void {
    this.inFlight++;
    // A view into a larger buffer (Buffer's pool) is copied first: posting it would clone the whole buffer.
    const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : Uint8Array.prototype.slice.call(bytes);
    this.post({ batch: this.id, kind: 'chunk', bytes: own });
  }
  end(): void { this.inFlight++; this.ended = true; this.post({ batch: this.id, kind: 'end' }); }

  /** The next result in order. */
  next(): Promise<ParsedChunk> {
    this.inFlight--;
    const r = this.session.results.shift();
    if (r) return r instanceof Error ? Promise.reject(r) : Promise.resolve(r);
    return new Promise((resolve, reject) => this.session.waiters.push({ resolve, reject }));
  }

  /** Forgets the session; the thread drops its state too (an end whose answer nobody reads). */
  close(): void {
    sessions.delete(this.id);
    if (!this.ended) { this.ended = true; this.post({ batch: this.id, kind: 'end' }); }
    if (sessions.size === 0) this.w.unref();
  }
}
