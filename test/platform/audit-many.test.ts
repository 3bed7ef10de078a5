// appendAuditMany and enqueueEvents write what the one-by-one forms write, in a constant number of statements.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendAudit, appendAuditMany, verifyAudit, type AuditEntry, type AuditInput } from '../../src/platform/audit.ts';
import type { Sql } from '../../src/platform/db.ts';
import { enqueueEvent, enqueueEvents, type OutboxEvent } from '../../src/platform/outbox.ts';
import { testDeps, type TestDeps } from '../support.ts';

let deps: TestDeps;
before(async () => { deps = await testDeps(); });
after(() => deps.close());

const AT = new Date('2026-11-25T02:00:00Z');
const actor = { type: 'user' as const, id: 'usr_1', name: 'Li Wei', tenantId: null, role: 'admin' };
const input = (tenantId: string, i: number, extra: Partial<AuditInput> = {}): AuditInput => ({
  tenantId, actor, action: `thing.${i % 3 ? 'changed' : 'created'}`, subjectType: 'thing', subjectId: `thg_${i}`, at: AT,
  ...(i % 2 ? { before: { n: i - 1 } } : {}), after: { n: i, name: '名称' }, data: { i, z: 1, a: [i] }, ...extra,
});

class Rollback extends Error {}
/** Runs fn in a transaction of `tenantId` that is rolled back afterwards, returning what fn returned. */
async function dryRun<T>(tenantId: string, fn: (sql: Sql) => Promise<T>): Promise<T> {
  let out: T | undefined;
  await deps.db.tx({ tenantId }, async (sql) => { out = await fn(sql); throw new Rollback(); }).catch((e) => { if (!(e instanceof Rollback)) throw e; });
  return out!;
}
const chainOf = (sql: Sql, tenantId: string) =>
  sql.query('SELECT seq, at, actor, action, subject_type, subject_id, before_digest, after_digest, data, prev_hash, hash FROM audit_log WHERE tenant_id = $1 ORDER BY id', [tenantId]);

const cases: { name: string; tenantId: string; prefix: number; n: number }[] = [
  { name: 'a new chain (no head yet)', tenantId: 'ten_many_new', prefix: 0, n: 7 },
  { name: 'a chain with entries already', tenantId: 'ten_many_old', prefix: 3, n: 25 },
  { name: 'one entry', tenantId: 'ten_many_one', prefix: 2, n: 1 },
];

test('appendAuditMany takes more entries than a VALUES list could take parameters for (65,535 / 12)', async () => {
  const tenantId = 'ten_many_big';
  const entries = await deps.db.tx({ tenantId }, (sql) => appendAuditMany(sql, Array.from({ length: 6000 }, (_, i) => input(tenantId, i))));
  assert.deepEqual([entries.length, entries.at(-1)!.seq], [6000, 6000]);
  assert.deepEqual(await deps.db.tx('operator', (sql) => verifyAudit(sql, tenantId)), { ok: true, entries: 6000, tenants: 1 });
});

for (const c of cases) {
  test(`appendAuditMany equals appendAudit one by one: ${c.name}`, async () => {
    await deps.db.tx({ tenantId: c.tenantId }, async (sql) => { for (let i = 0; i < c.prefix; i++) await appendAudit(sql, input(c.tenantId, 1000 + i)); });
    const inputs = Array.from({ length: c.n }, (_, i) => input(c.tenantId, i));
    const one = await dryRun(c.tenantId, async (sql) => {
      const entries: AuditEntry[] = [];
      for (const i of inputs) entries.push(await appendAudit(sql, i));
      return { entries, rows: await chainOf(sql, c.tenantId), head: await sql.one('SELECT seq, hash FROM audit_heads WHERE tenant_id = $1', [c.tenantId]) };
    });
    const many = await deps.db.tx({ tenantId: c.tenantId }, async (sql) => {
      const entries = await appendAuditMany(sql, inputs);
      return { entries, rows: await chainOf(sql, c.tenantId), head: await sql.one('SELECT seq, hash FROM audit_heads WHERE tenant_id = $1', [c.tenantId]) };
    });
    assert.deepEqual(many.entries, one.entries);
    assert.deepEqual(many.rows, one.rows);
    assert.deepEqual(many.head, one.head);
    assert.equal(many.entries[0].seq, c.prefix + 1);
    assert.deepEqual(await deps.db.tx('operator', (sql) => verifyAudit(sql, c.tenantId)), { ok: true, entries: c.prefix + c.n, tenants: 1 });
  });
}

test('appendAuditMany: an empty list writes nothing; entries of two tenants go to their own chains in order', async () => {
  const [a, b] = ['ten_many_mix_a', 'ten_many_mix_b'];
  await deps.db.tx({ tenantId: a }, async (sql) => { assert.deepEqual(await appendAuditMany(sql, []), []); });
  assert.equal((await deps.db.tx('operator', (sql) => sql.query('SELECT 1 FROM audit_heads WHERE tenant_id = $1', [a]))).length, 0);
  // Operator scope may write to several chains in one transaction.
  const inputs = [input(a, 0), input(b, 1), input(a, 2), input(b, 3), input(a, 4)];
  const entries = await deps.db.tx('operator', (sql) => appendAuditMany(sql, inputs));
  assert.deepEqual(entries.map((e) => [e.tenantId, e.seq, e.subjectId]), [[a, 1, 'thg_0'], [b, 1, 'thg_1'], [a, 2, 'thg_2'], [b, 2, 'thg_3'], [a, 3, 'thg_4']]);
  assert.equal(entries[2].prevHash, entries[0].hash);
  assert.equal((await deps.db.tx('operator', (sql) => verifyAudit(sql, a))).ok, true);
  assert.equal((await deps.db.tx('operator', (sql) => verifyAudit(sql, b))).ok, true);
});

test('enqueueEvents equals enqueueEvent one by one: order, known keys and keys repeated in the list add nothing', async () => {
  const tenantId = 'ten_many_outbox';
  const ev = (i: number, key = `thing.created:${i}`): OutboxEvent => ({ tenantId, type: 'thing.created', subjectType: 'thing', subjectId: `thg_${i}`, payload: { i, at: AT.toISOString() }, idempotencyKey: key });
  await deps.db.tx({ tenantId }, (sql) => enqueueEvent(sql, ev(0)));
  const events = [ev(1), ev(0), ev(2), ev(3, 'thing.created:1'), ev(4)];
  const rows = (sql: Sql) => sql.query('SELECT type, subject_type, subject_id, payload, idempotency_key FROM outbox WHERE tenant_id = $1 ORDER BY id', [tenantId]);
  const one = await dryRun(tenantId, async (sql) => {
    let n = 0;
    for (const e of events) n += (await enqueueEvent(sql, e)) ? 1 : 0;
    return { n, rows: await rows(sql) };
  });
  const many = await deps.db.tx({ tenantId }, async (sql) => ({ n: await enqueueEvents(sql, events), rows: await rows(sql) }));
  assert.deepEqual(many, one);
  assert.equal(many.n, 3);
  assert.deepEqual(many.rows.map((r) => r.subject_id), ['thg_0', 'thg_1', 'thg_2', 'thg_4']);
  assert.equal(await deps.db.tx({ tenantId }, (sql) => enqueueEvents(sql, [])), 0);
});
