import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { verifyAudit } from '../../src/platform/audit.ts';
import { testApp, type TestApp, type TestTenant } from '../support.ts';

let t: TestApp;
let a: TestTenant;
before(async () => {
  t = await testApp();
  a = await t.tenant();
  for (let i = 0; i < 4; i++) await t.token(a.tenantId, 'auditor'); // a few more entries in A's chain
});
after(() => t.close());

// Tampering needs the owner with the append-only trigger off, which is what an attacker with DB access would do.
async function tamper(sqlText: string, params: unknown[] = []) {
  await t.deps.db.tx('owner', async (sql) => {
    await sql.exec('ALTER TABLE audit_log DISABLE TRIGGER USER');
    await sql.query(sqlText, params);
    await sql.exec('ALTER TABLE audit_log ENABLE TRIGGER USER');
  });
}
const verify = () => t.deps.db.tx('operator', (sql) => verifyAudit(sql, a.tenantId));

test('an untouched chain verifies, over HTTP too', async () => {
  const r = await verify();
  assert.equal(r.ok, true);
  assert.ok(r.entries >= 6);
  const http = await t.app.inject({ url: '/api/v1/audit/verify', headers: a.auth });
  assert.equal(http.statusCode, 200);
  assert.deepEqual({ ok: http.json().ok, entries: http.json().entries }, { ok: true, entries: r.entries });
});

test('the database refuses UPDATE, DELETE and TRUNCATE of audit entries', async () => {
  for (const stmt of ['UPDATE audit_log SET action = $1 WHERE tenant_id = $2', 'DELETE FROM audit_log WHERE tenant_id = $2 AND $1::text IS NOT NULL']) {
    await assert.rejects(t.deps.db.tx('owner', (sql) => sql.query(stmt, ['x', a.tenantId])), /append-only/);
  }
  await assert.rejects(t.deps.db.tx('owner', (sql) => sql.exec('TRUNCATE audit_log')), /append-only/);
  assert.equal((await verify()).ok, true);
});

test('an edited entry is named as the first broken one', async () => {
  await tamper(`UPDATE audit_log SET data = '{"name":"forged"}' WHERE tenant_id = $1 AND seq = 3`, [a.tenantId]);
  const r = await verify();
  assert.equal(r.ok, false);
  if (!r.ok) assert.deepEqual([r.firstBroken.seq, r.firstBroken.reason], [3, 'content does not match its hash']);
  const http = await t.app.inject({ url: '/api/v1/audit/verify', headers: a.auth });
  assert.equal(http.json().ok, false);
  assert.equal(http.json().firstBroken.seq, 3);
});

test('an edited entry whose hash is recomputed breaks the link to the next one', async () => {
  const fresh = await testApp();
  try {
    const b = await fresh.tenant();
    await fresh.token(b.tenantId, 'auditor');
    await fresh.token(b.tenantId, 'auditor');
    const { entryHash, rowToEntry } = await import('../../src/platform/audit.ts');
    await fresh.deps.db.tx('owner', async (sql) => {
      const row = await sql.one('SELECT * FROM audit_log WHERE tenant_id = $1 AND seq = 2', [b.tenantId]);
      const e = rowToEntry(row as any);
      const forged = { ...e, action: 'forged' };
      const { hash: _h, ...body } = forged;
      await sql.exec('ALTER TABLE audit_log DISABLE TRIGGER USER');
      await sql.query('UPDATE audit_log SET action = $1, hash = $2 WHERE id = $3', ['forged', entryHash(body), row.id]);
      await sql.exec('ALTER TABLE audit_log ENABLE TRIGGER USER');
    });
    const r = await fresh.deps.db.tx('operator', (sql) => verifyAudit(sql, b.tenantId));
    assert.equal(r.ok, false);
    if (!r.ok) assert.deepEqual([r.firstBroken.seq, r.firstBroken.reason], [3, 'previous hash does not match the entry before it']);
  } finally {
    await fresh.close();
  }
});

test('a deleted entry and a truncated tail are caught', async () => {
  const fresh = await testApp();
  try {
    const b = await fresh.tenant();
    for (let i = 0; i < 3; i++) await fresh.token(b.tenantId, 'auditor');
    const run = async (s: string) => fresh.deps.db.tx('owner', async (sql) => {
      await sql.exec('ALTER TABLE audit_log DISABLE TRIGGER USER');
      await sql.query(s, [b.tenantId]);
      await sql.exec('ALTER TABLE audit_log ENABLE TRIGGER USER');
    });
    const check = () => fresh.deps.db.tx('operator', (sql) => verifyAudit(sql, b.tenantId));
    await run('DELETE FROM audit_log WHERE tenant_id = $1 AND seq = (SELECT max(seq) FROM audit_log WHERE tenant_id = $1)');
    let r = await check();
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.firstBroken.reason, /chain ends at 4 but its head is at 5/);
    await run('DELETE FROM audit_log WHERE tenant_id = $1 AND seq = 2');
    r = await check();
    assert.equal(r.ok, false);
    if (!r.ok) assert.deepEqual([r.firstBroken.seq, r.firstBroken.reason], [2, 'entry 2 is missing']);
  } finally {
    await fresh.close();
  }
});

test('reordered entries (swapped contents) are caught', async () => {
  const fresh = await testApp();
  try {
    const b = await fresh.tenant();
    for (let i = 0; i < 3; i++) await fresh.token(b.tenantId, 'auditor');
    await fresh.deps.db.tx('owner', async (sql) => {
      await sql.exec('ALTER TABLE audit_log DISABLE TRIGGER USER');
      // swap sequence numbers of entries 2 and 3, as if the log had been re-ordered
      await sql.query('UPDATE audit_log SET seq = -1 WHERE tenant_id = $1 AND seq = 2', [b.tenantId]);
      await sql.query('UPDATE audit_log SET seq = 2 WHERE tenant_id = $1 AND seq = 3', [b.tenantId]);
      await sql.query('UPDATE audit_log SET seq = 3 WHERE tenant_id = $1 AND seq = -1', [b.tenantId]);
      await sql.exec('ALTER TABLE audit_log ENABLE TRIGGER USER');
    });
    const r = await fresh.deps.db.tx('operator', (sql) => verifyAudit(sql, b.tenantId));
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.firstBroken.seq, 2);
  } finally {
    await fresh.close();
  }
});
