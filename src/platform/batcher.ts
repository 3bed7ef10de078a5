/**
 * Micro-batching (DataLoader style, without its cache): calls to `load` made in the same turn of
 * the event loop are collected per group and handed to `run` together, once the turn's I/O callbacks
 * are done (setImmediate). Every caller gets the answer for its own key, in the order of its key;
 * a group never shares a batch with another group (e.g. one batch per tenant scope). Nothing is
 * remembered between batches: two loads of the same key in two turns run twice.
 */
export type BatchRun<K, V> = (group: string, keys: K[]) => Promise<V[]>;

export type BatcherOptions = {
  /** Largest batch; a group that reaches it is dispatched at once. Default 256. */
  maxBatch?: number;
  /**
   * Batches of one group that may be in flight at once (default unlimited). Keys that arrive while a
   * group is at its limit wait, and go together as soon as one of its batches answers: under load the
   * batches grow instead of the round trips.
   */
  maxInFlight?: number;
  /** When to dispatch what a turn collected (tests may pass their own). Default setImmediate. */
  schedule?: (flush: () => void) => void;
};

type Waiter<V> = { resolve: (v: V) => void; reject: (e: unknown) => void };
type Pending<K, V> = { keys: K[]; waiters: Waiter<V>[] };
type Group<K, V> = { open: Pending<K, V> | null; queued: Pending<K, V>[]; inFlight: number };

export type Batcher<K, V> = {
  load(group: string, key: K): Promise<V>;
  /** Batches handed to `run` so far and the keys they carried (for benches and tests). */
  readonly stats: { batches: number; keys: number };
};

export function batcher<K, V>(run: BatchRun<K, V>, opts: BatcherOptions = {}): Batcher<K, V> {
  const maxBatch = Math.max(1, opts.maxBatch ?? 256);
  const maxInFlight = Math.max(1, opts.maxInFlight ?? Infinity);
  const schedule = opts.schedule ?? ((f: () => void) => { setImmediate(f); });
  const groups = new Map<string, Group<K, V>>();
  let due: [string, Group<K, V>][] = []; // groups with an open batch to close at the end of this turn
  let scheduled = false;
  const stats = { batches: 0, keys: 0 };

  const settle = (b: Pending<K, V>, answer: Promise<V[]>) => answer.then((values) => {
    if (!Array.isArray(values) || values.length !== b.keys.length) {
      const e = new Error(`batch of ${b.keys.length} keys answered ${Array.isArray(values) ? values.length : typeof values} values`);
      for (const w of b.waiters) w.reject(e);
      return;
    }
    b.waiters.forEach((w, i) => w.resolve(values[i]));
  }, (e) => { for (const w of b.waiters) w.reject(e); });

  const pump = (name: string, g: Group<K, V>) => {
    while (g.inFlight < maxInFlight && g.queued.length) {
      const b = g.queued.shift()!;
      g.inFlight++;
      stats.batches++;
      stats.keys += b.keys.length;
      let answer: Promise<V[]>;
      try {
        answer = run(name, b.keys);
      } catch (e) {
        answer = Promise.reject(e);
      }
      settle(b, answer).finally(() => {
        g.inFlight--;
        // Dispatch what waited at the end of this turn, so that checks arriving in the same turn
        // as this answer join the next batch instead of waiting for it.
        if (g.queued.length) schedule(() => close(name, g));
        else pump(name, g);
      });
    }
    if (g.inFlight === 0 && !g.open && !g.queued.length && groups.get(name) === g) groups.delete(name);
  };

  /** Closes the group's open batch (it joins the queue, merged into the last queued one while that has room), then dispatches what may go. */
  const close = (name: string, g: Group<K, V>) => {
    const b = g.open;
    if (b) {
      g.open = null;
      const last = g.queued[g.queued.length - 1];
      if (last && last.keys.length + b.keys.length <= maxBatch) {
        last.keys.push(...b.keys);
        last.waiters.push(...b.waiters);
      } else g.queued.push(b);
    }
    pump(name, g);
  };

  const flush = () => {
    scheduled = false;
    const groupsDue = due;
    due = [];
    for (const [name, g] of groupsDue) if (g.open) close(name, g);
  };

  return {
    stats,
    load(group, key) {
      return new Promise<V>((resolve, reject) => {
        let g = groups.get(group);
        if (!g) groups.set(group, (g = { open: null, queued: [], inFlight: 0 }));
        if (!g.open) {
          g.open = { keys: [], waiters: [] };
          due.push([group, g]);
        }
        g.open.keys.push(key);
        g.open.waiters.push({ resolve, reject });
        if (g.open.keys.length >= maxBatch) close(group, g);
        else if (!scheduled) {
          scheduled = true;
          schedule(flush);
        }
      });
    },
  };
}
