/**
 * Bulk intake on PostgreSQL: the batch is parsed and validated in the threads of intake-parser.ts and
 * COPYed straight into incident_events, block by block, inside ONE transaction while the body is
 * still being read, so a million events are written once, not staged and moved.
 *
 * A COPY cannot skip conflicts. Events repeated within the batch are dropped on the way (a set of
 * their dedupe keys). Against what is stored, each block is written optimistically under a
 * savepoint: a new event, the usual case, costs no lookup. If the block hits a stored event (a
 * re-send, or a concurrent batch that committed the same event), the block is taken back, its stored
 * events are looked up and left out, and it is written again; the following blocks are then looked up
 * first, until one turns out to have nothing stored. Signal days (the set of vehicles per failure
 * signature and day) are merged once, after the events.
 *
 * A bad line anywhere aborts the transaction: nothing of the batch is written, and every bad line (up
 * to 100) is named.
 */
import { createHash } from 'node:crypto';
import { AppError, fieldError, msg, validationFailed, type FieldError } from '../platform/errors.ts';
import { KeySet, keyWords, uuidAt } from '../platform/key-set.ts';
import type { Deps, UnitOfWork } from '../platform/usecase.ts';
import type { IncidentPolicy } from '../regimes/cn-2025/incidents.ts';
import { batchInvalid, fieldErrorOf, MAX_ERRORS } from './event-rows.ts';
import { ParseSession } from './intake-parser.ts';
import * as bulk from './intake-store.ts';
import type { ParsedPiece } from './intake-worker.ts';
import { NewEvents } from './new-events.ts';
import { SignalDaySets } from './signal-day-sets.ts';
import { mergeSignalDays } from './store.ts';

/**
 * Rows per block: one COPY (and one savepoint) each. Large, so PostgreSQL spends its time on rows,
 * not on starting statements (10,000 took a tenth longer over a million events). The first blocks
 * are smaller (firstBlockRows, doubling up to blockRows): the database waits idle until the first
 * block is parsed, a second with 50,000 rows. Tests lower both to reach several blocks with small batches.
 */
export const bulkTuning = { blockRows: 50_000, firstBlockRows: 5_000 };
/** At most this many pieces of the body (256 KiB each) wait in the parser threads: memory stays flat whatever the batch size. */
const WINDOW = 32;
/** A block that keeps meeting events committed by concurrent batches is given up (a retryable 409). */
const ATTEMPTS = 3;

/** A parsed piece and which of its rows are not written (repeated in the batch, or stored already). */
type Part = { p: ParsedPiece; skip: Uint8Array | null };
export type BulkOutcome = { digest: string; received: number; events: NewEvents };

export async function copyBatch(deps: Deps, u: UnitOfWork, body: AsyncIterable<string | Buffer> | Iterable<string | Buffer>, batchId: string, receivedAt: Date, p: IncidentPolicy): Promise<BulkOutcome> {
  const hash = createHash('sha256');
  const events = new NewEvents();
  const errors: FieldError[] = [];
  const seen = new KeySet(1 << 16);
  /** The vehicles of the events written, per signature and day: merged once, after the events. */
  const days = new SignalDaySets();
  let received = 0;
  let lookFirst = false;

  const parser = new ParseSession({ batchId, tenantId: u.tenantId, receivedAt, policy: p });
  const source = iterate(body);
  let ended = false;
  /** Keeps WINDOW pieces of the body in the threads. */
  const fill = async () => {
    while (!ended && parser.inFlight < WINDOW && errors.length < MAX_ERRORS) {
      const next = await source.next();
      if (next.done) { parser.end(); ended = true; break; }
      hash.update(next.value);
      parser.push(typeof next.value === 'string' ? Buffer.from(next.value) : next.value);
    }
  };

  let blockRows = Math.min(bulkTuning.firstBlockRows, bulkTuning.blockRows);
  /** The next block of parsed rows, each row not seen before in the batch; null at the end. */
  const nextBlock = async (): Promise<Part[] | null> => {
    const block: Part[] = [];
    let rows = 0;
    const limit = blockRows;
    blockRows = Math.min(blockRows * 2, bulkTuning.blockRows);
    while (rows < limit) {
      await fill();
      if (parser.inFlight === 0) break;
      const r = await parser.take();
      received += r.received;
      if (r.errors.length) errors.push(...r.errors.slice(0, MAX_ERRORS - errors.length).map(fieldErrorOf));
      if (errors.length) continue; // the batch will be refused: only its errors matter now
      const words = keyWords(r.keys);
      let skip: Uint8Array | null = null;
      for (let i = 0; i < r.n; i++) {
        if (!seen.add(words, i)) (skip ??= new Uint8Array(r.n))[i] = 1;
      }
      block.push({ p: r, skip });
      rows += r.n;
    }
    return block.length ? block : null;
  };

  /** Marks the rows of the block the tenant has stored already (a read on another connection). */
  const leaveOutStored = async (block: Part[]): Promise<number> => {
    const keys: string[] = [], at: [Part, number][] = [];
    for (const part of block) {
      for (let i = 0; i < part.p.n; i++) if (!part.skip?.[i]) { keys.push(uuidAt(part.p.keys, i * 16)); at.push([part, i]); }
    }
    const stored = await deps.db.read({ tenantId: u.tenantId }, (sql) => bulk.existingDedupes(sql, u.tenantId, keys));
    if (stored.size === 0) return 0;
    keys.forEach((k, j) => { if (stored.has(k)) { const [part, i] = at[j]; (part.skip ??= new Uint8Array(part.p.n))[i] = 1; } });
    return stored.size;
  };

  /**
   * Writes a block, its COPY text ordered beforehand (`lines`). If the block meets stored events it
   * is ordered again without them; the caller accounts for the rows written (skip says which).
   */
  const writeBlock = async (block: Part[], lines: Buffer): Promise<void> => {
    if (lookFirst && (lookFirst = (await leaveOutStored(block)) > 0)) lines = keyOrderedLines(block);
    for (let attempt = 1; ; attempt++) {
      if (lines.length === 0 || (await bulk.unlessDuplicate(u.sql, () => bulk.copyEventLines(u.sql, [lines])))) return;
      if (attempt === ATTEMPTS) throw new AppError('conflict', msg('incidents.concurrentBatch'));
      lookFirst = true;
      await leaveOutStored(block);
      lines = keyOrderedLines(block);
    }
  };
  const account = (block: Part[]) => {
    addSignalDays(block, days);
    for (const part of block) events.addPiece(part.p, part.skip);
  };

  try {
    // PostgreSQL is the bottleneck: while it writes a block, the next is parsed and ordered and the
    // one before is accounted for, so that the next COPY starts the moment this one ends (done one
    // after the other, these steps left it idle about a tenth of the time).
    let writing: Promise<void> | null = null;
    let written: Part[] | null = null;
    for (;;) {
      const block = await nextBlock();
      const lines = block && !errors.length ? keyOrderedLines(block) : null;
      if (writing) await writing;
      writing = null;
      const previous = written;
      written = null;
      if (lines) {
        writing = writeBlock(block!, lines);
        writing.catch(() => {});
        written = block;
      }
      if (previous) account(previous);
      if (!block) break;
    }
  } catch (e) {
    if ((e as { code?: string }).code === '40P01') throw new AppError('conflict', msg('incidents.concurrentBatch'));
    throw e;
  } finally {
    parser.close();
  }
  // The bench's million events make 240 sets of 1,250 vehicles: 0.4 s (as 300,000 rows, one per
  // vehicle, they took 0.9-2.6 s of the batch).
  if (!errors.length && days.size) await mergeSignalDays(u.sql, u.tenantId, days.sets());
  if (errors.length) throw batchInvalid(errors);
  if (received === 0) throw validationFailed([fieldError('', msg('incidents.noEvents'))]);
  return { digest: hash.digest('hex'), received, events };
}

/**
 * The COPY text of the rows of a block that are written, in the order of their dedupe keys (by their
 * first 32 bits). The primary key is a B-tree over digests: rows in random order make every insert
 * land on a different leaf page, which with a large table is mostly not in PostgreSQL's buffers any
 * more; in key order each leaf page of the index is visited once per block. A COPY by psql of a
 * million rows with such a key: 10.3-10.9 s sorted in blocks of 50,000, 13.5-14.1 s in random order.
 */
export function keyOrderedLines(block: Part[]): Buffer {
  let total = 0, written = 0, bytes = 0;
  for (const { p, skip } of block) {
    for (let i = 0; i < p.n; i++) if (!skip?.[i]) { written++; bytes += p.ends[i] - (i ? p.ends[i - 1] : 0); }
    total += p.n;
  }
  if (total >= ROW_ID_LIMIT) throw new Error(`a block of ${total} rows exceeds ${ROW_ID_LIMIT}`);
  // Each written row as one number: its key's first 32 bits, then its row id in the block. A typed
  // array of numbers sorts natively, without a comparator called a million times.
  const sorted = new Float64Array(written);
  const partOf = new Uint32Array(total), base = new Uint32Array(block.length);
  let id = 0, w = 0;
  block.forEach(({ p, skip }, b) => {
    base[b] = id;
    const k = p.keys;
    for (let i = 0; i < p.n; i++, id++) {
      partOf[id] = b;
      if (skip?.[i]) continue;
      const prefix = ((k[i * 16] << 24) | (k[i * 16 + 1] << 16) | (k[i * 16 + 2] << 8) | k[i * 16 + 3]) >>> 0;
      sorted[w++] = prefix * ROW_ID_LIMIT + id;
    }
  });
  sorted.sort();
  const out = Buffer.allocUnsafe(bytes);
  let at = 0;
  for (let j = 0; j < sorted.length; j++) {
    const rowId = sorted[j] % ROW_ID_LIMIT, b = partOf[rowId], i = rowId - base[b];
    const p = block[b].p, start = i ? p.ends[i - 1] : 0;
    out.set(p.copy.subarray(start, p.ends[i]), at);
    at += p.ends[i] - start;
  }
  return out;
}
/** Row ids of a block stay below 2^21, so that a 32-bit key prefix times this plus the id is an exact integer (< 2^53). */
const ROW_ID_LIMIT = 2 ** 21;

/** Adds the vehicles of the rows of a block that are written to the sets of their signature and day. */
function addSignalDays(block: Part[], days: SignalDaySets): void {
  for (const { p, skip } of block) {
    if (p.sigDays.length === 0) continue;
    // A set is made only for a group with a row written: an empty one is never stored.
    const sets: (Set<string> | undefined)[] = new Array(p.sigDays.length);
    const vins = p.vins.split('\n');
    for (let i = 0; i < p.n; i++) {
      const g = p.sigDay[i];
      if (g < 0 || (skip && skip[i])) continue;
      (sets[g] ??= days.vinsOf(p.sigs[p.sigDays[g].sig].signature, p.sigDays[g].day)).add(vins[i]);
    }
  }
}

function iterate<T>(body: AsyncIterable<T> | Iterable<T>): AsyncIterator<T> | Iterator<T> {
  return Symbol.asyncIterator in body ? (body as AsyncIterable<T>)[Symbol.asyncIterator]() : (body as Iterable<T>)[Symbol.iterator]();
}
