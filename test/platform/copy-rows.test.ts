// Sql.copyRows: bulk COPY inside a tenant transaction, the tenant column filled by its default.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Db } from '../../src/platform/db.ts';
import { testDb } from '../support.ts';

let db: Db;
let close: () => Promise<void>;
before(async () => { ({ db, close } = await testDb()); });
after(() => close());

async function* lines(...xs: string[]) { for (const x of xs) yield x; }
const tenant = async (id: string) => db.tx('operator', (sql) => sql.query(`INSERT INTO tenants (id, kind, name_zh, name_en, overseas, country) VALUES ($1, 'manufacturer', '测', 'T', true, 'DE')`, [id]));

test('copyRows exists only where COPY can run (PostgreSQL with a role that may bypass row-level security)', async () => {
  await db.tx({ tenantId: 'ten_none' }, async (sql) => assert.equal(typeof sql.copyRows === 'function', db.bulkCopy));
  assert.equal(db.bulkCopy, db.kind === 'postgres', 'CI connects to PostgreSQL as a superuser');
});

test('rows land in the transaction\'s tenant, invisible to another; tenant_id cannot be given; a bad line writes nothing', async () => {
  if (!db.bulkCopy) { // PGlite (one session, no row-level bypass needed): the chunked paths are used instead
    assert.equal(db.kind, 'pglite');
    await db.tx({ tenantId: 'ten_none' }, async (sql) => assert.equal(sql.copyRows, undefined));
    return;
  }
  await tenant('ten_copy_a'); await tenant('ten_copy_b');
  await db.tx({ tenantId: 'ten_copy_a' }, (sql) => sql.copyRows!('incident_signal_days', ['signature', 'day', 'vins'], lines('S1\t2026-06-01\t{V1}\n', 'S1\t2026-06-02\t{V1,V2}\n')));
  const count = (t: string) => db.tx({ tenantId: t }, async (sql) => (await sql.one<{ n: number }>('SELECT count(*)::int AS n FROM incident_signal_days')).n);
  assert.deepEqual([await count('ten_copy_a'), await count('ten_copy_b')], [2, 0]);
  await assert.rejects(db.tx({ tenantId: 'ten_copy_a' }, (sql) => sql.copyRows!('incident_signal_days', ['tenant_id', 'signature', 'day', 'vins'], lines('ten_copy_b\tS\t2026-06-01\t{V}\n'))), /tenant_id is filled by its default/);
  await assert.rejects(db.tx({ tenantId: 'ten_copy_a' }, (sql) => sql.copyRows!('incident_signal_days', ['signature', 'day', 'vins'], lines('S2\t2026-06-01\t{V1}\n', 'S2\tnot a day\t{V1}\n'))));
  assert.equal(await count('ten_copy_a'), 2);
  // After the COPY the transaction is back under the app role: row-level security applies again.
  const role = await db.tx({ tenantId: 'ten_copy_a' }, async (sql) => {
    await sql.copyRows!('incident_signal_days', ['signature', 'day', 'vins'], lines('S3\t2026-06-01\t{V1}\n'));
    return (await sql.one<{ r: string }>('SELECT current_user AS r')).r;
  });
  assert.equal(role, 'icvgate_app');
});
