import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batcher, type BatchRun } from './batcher.ts';

/** A batcher whose turns end when the test says so, and whose batches answer when the test says so. */
function harness<V = string>(answer: (group: string, keys: number[]) => V[] | Error = (g, keys) => keys.map((k) => `${g}:${k}`) as V[], opts: { maxBatch?: number; maxInFlight?: number } = {}) {
  const turns: (() => void)[] = [];
  const calls: { group: string; keys: number[]; release: () => void }[] = [];
  const run: BatchRun<number, V> = (group, keys) => new Promise<V[]>((resolve, reject) => {
    calls.push({ group, keys: [...keys], release: () => { const r = answer(group, keys); if (r instanceof Error) reject(r); else resolve(r); } });
  });
  const b = batcher(run, { ...opts, schedule: (f) => { turns.push(f); } });
  const endTurn = () => { for (const f of turns.splice(0)) f(); };
  const releaseAll = async () => { for (const c of calls) c.release(); await new Promise((r) => setImmediate(r)); };
  return { b, calls, endTurn, releaseAll };
}

const settled = <T>(p: Promise<T>) => p.then((value) => ({ value }), (error: Error) => ({ error: error.message }));

test('loads of one turn go as one batch per group, each caller gets the answer for its own key', async () => {
  const h = harness();
  const a = [1, 2, 3].map((k) => h.b.load('t1', k));
  const b = [7, 8].map((k) => h.b.load('t2', k));
  const c = h.b.load('t1', 2); // the same key twice: asked twice, answered twice
  h.endTurn();
  assert.deepEqual(h.calls.map((x) => [x.group, x.keys]), [['t1', [1, 2, 3, 2]], ['t2', [7, 8]]]);
  await h.releaseAll();
  assert.deepEqual(await Promise.all(a), ['t1:1', 't1:2', 't1:3']);
  assert.deepEqual(await Promise.all(b), ['t2:7', 't2:8']);
  assert.equal(await c, 't1:2');
  assert.deepEqual(h.b.stats, { batches: 2, keys: 6 });
});

test('nothing is remembered between turns: the same key in the next turn runs again', async () => {
  const h = harness();
  const first = h.b.load('t', 1);
  h.endTurn();
  await h.releaseAll();
  const second = h.b.load('t', 1);
  h.endTurn();
  await h.releaseAll();
  assert.deepEqual([await first, await second], ['t:1', 't:1']);
  assert.equal(h.calls.length, 2);
});

test('a group that reaches maxBatch is dispatched at once; the rest waits for the end of the turn', async () => {
  const h = harness(undefined, { maxBatch: 2 });
  const ps = [1, 2, 3, 4, 5].map((k) => h.b.load('t', k));
  assert.deepEqual(h.calls.map((c) => c.keys), [[1, 2], [3, 4]]);
  h.endTurn();
  assert.deepEqual(h.calls.map((c) => c.keys), [[1, 2], [3, 4], [5]]);
  await h.releaseAll();
  assert.deepEqual(await Promise.all(ps), ['t:1', 't:2', 't:3', 't:4', 't:5']);
});

test('with maxInFlight, keys of later turns wait for an answer and then go together', async () => {
  const h = harness(undefined, { maxInFlight: 1, maxBatch: 3 });
  const first = h.b.load('t', 1);
  h.endTurn();
  const later = [2, 3, 4, 5].map((k) => h.b.load('t', k));
  h.endTurn();
  const other = h.b.load('u', 9); // another group has its own limit
  h.endTurn();
  assert.deepEqual(h.calls.map((c) => [c.group, c.keys]), [['t', [1]], ['u', [9]]]);
  h.calls[0].release();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(h.calls.map((c) => c.keys), [[1], [9]], 'the waiting keys go at the end of the turn of the answer');
  const sameTurn = h.b.load('t', 6); // arrives in the turn of the answer: joins the keys that waited
  h.endTurn();
  assert.deepEqual(h.calls.map((c) => c.keys), [[1], [9], [2, 3, 4]], 'the waiting keys go as one batch, within maxBatch');
  h.calls[2].release();
  await new Promise((r) => setImmediate(r));
  h.endTurn();
  assert.deepEqual(h.calls.map((c) => c.keys), [[1], [9], [2, 3, 4], [5, 6]]);
  await h.releaseAll();
  assert.deepEqual(await Promise.all([first, ...later, other, sameTurn]), ['t:1', 't:2', 't:3', 't:4', 't:5', 'u:9', 't:6']);
});

test('a failed batch rejects its own callers only; a wrong number of answers is a failure', async () => {
  const h = harness((g, keys) => (g === 'bad' ? new Error('database down') : g === 'short' ? keys.slice(1).map(String) : keys.map(String)));
  const ok = h.b.load('ok', 1);
  const bad = [1, 2].map((k) => settled(h.b.load('bad', k)));
  const short = settled(h.b.load('short', 1));
  h.endTurn();
  await h.releaseAll();
  assert.equal(await ok, '1');
  assert.deepEqual(await Promise.all(bad), [{ error: 'database down' }, { error: 'database down' }]);
  assert.deepEqual(await short, { error: 'batch of 1 keys answered 0 values' });
});

test('a run that throws at once rejects the batch and the group keeps working', async () => {
  let fail = true;
  const b = batcher<number, number>((_g, keys) => { if (fail) throw new Error('bad statement'); return Promise.resolve(keys.map((k) => k * 2)); }, { maxInFlight: 1 });
  assert.deepEqual(await settled(b.load('t', 1)), { error: 'bad statement' });
  fail = false;
  assert.deepEqual(await Promise.all([b.load('t', 2), b.load('t', 3)]), [4, 6]);
});
