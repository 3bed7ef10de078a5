// Signal days: the set of vehicles per failure signature and Shanghai day (migration 0054), merged as
// a set union, and what migration 0054 made of the rows (one per vehicle) stored before it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { testApp, type TestApp } from '../../test/support.ts';
import { MIGRATIONS_DIR } from '../platform/migrate.ts';
import { mergeSignalDays } from './store.ts';

let t: TestApp;
before(async () => { t = await testApp({ now: '2026-06-10T02:00:00Z' }); });
after(() => t.close());

const read = (tenantId: string) => t.deps.db.tx('owner', (sql) => sql.query<{ signature: string; day: string; vins: string[]; version: string }>(
  'SELECT signature, day::text AS day, vins, xmin::text AS version FROM incident_signal_days WHERE tenant_id = $1 ORDER BY 1, 2', [tenantId]));

describe('signal days', () => {
  it('merge as a set union, sorted; a merge that adds nothing writes nothing', async () => {
    const { tenantId } = await t.tenant();
    await t.deps.db.tx({ tenantId }, (sql) => mergeSignalDays(sql, tenantId, [
      { signature: 'ACC|E-1|1.0|ADCU', day: '2026-06-01', vins: ['V2', 'V1'] },
      { signature: 'ACC|E-1|1.0|ADCU', day: '2026-06-02', vins: ['V3'] },
    ]));
    const first = await read(tenantId);
    await t.deps.db.tx({ tenantId }, (sql) => mergeSignalDays(sql, tenantId, [
      { signature: 'ACC|E-1|1.0|ADCU', day: '2026-06-01', vins: ['V3', 'V1'] },
      { signature: 'ACC|E-1|1.0|ADCU', day: '2026-06-02', vins: ['V3'] },
      { signature: 'LCC|E-2|1.0|ADCU', day: '2026-06-01', vins: ['V9'] },
    ]));
    const second = await read(tenantId);
    assert.deepEqual(second.map(({ version, ...r }) => r), [
      { signature: 'ACC|E-1|1.0|ADCU', day: '2026-06-01', vins: ['V1', 'V2', 'V3'] },
      { signature: 'ACC|E-1|1.0|ADCU', day: '2026-06-02', vins: ['V3'] },
      { signature: 'LCC|E-2|1.0|ADCU', day: '2026-06-01', vins: ['V9'] },
    ]);
    assert.equal(second[1].version, first[1].version, 'the set that gained nothing was not rewritten');
    assert.notEqual(second[0].version, first[0].version);
    // Many sets in several statements (about 50,000 vehicles each), the first larger than that alone.
    const many = Array.from({ length: 28 }, (_, d) => ({ signature: 'NOA|E-3|2.0|ADCU', day: `2026-05-${String(d + 1).padStart(2, '0')}`,
      vins: Array.from({ length: d === 0 ? 60_000 : 2_000 }, (_, v) => `W${String(v).padStart(6, '0')}`) }));
    await t.deps.db.tx({ tenantId }, (sql) => mergeSignalDays(sql, tenantId, many));
    const stored = (await read(tenantId)).filter((r) => r.signature.startsWith('NOA'));
    assert.deepEqual(stored.map((r) => r.vins.length), [60_000, ...Array(27).fill(2_000)]);
    assert.deepEqual(stored[0].vins.slice(0, 2), ['W000000', 'W000001']);
  });

  it('migration 0054 turns one row per vehicle into one set per signature and day, per tenant', async () => {
    const [a, b] = [await t.tenant(), await t.tenant()];
    const sql0054 = readFileSync(join(MIGRATIONS_DIR, '0054_incident_signal_day_sets.sql'), 'utf8');
    const rolledBack = new Error('rolled back on purpose');
    let after: unknown;
    await assert.rejects(t.deps.db.tx('owner', async (sql) => {
      // The shape before 0054 (migrations 0050 and 0051), with the current table set aside.
      await sql.exec(`ALTER TABLE incident_signal_days RENAME TO incident_signal_days_now;
        ALTER INDEX incident_signal_days_pkey RENAME TO incident_signal_days_now_pkey;
        CREATE TABLE incident_signal_days (tenant_id text NOT NULL DEFAULT current_setting('app.tenant_id'), signature text NOT NULL, day date NOT NULL, vin text NOT NULL,
          PRIMARY KEY (tenant_id, signature, day, vin))`);
      const rows = [[a, 'S1', '2026-06-01', 'V2'], [a, 'S1', '2026-06-01', 'V1'], [a, 'S1', '2026-06-02', 'V1'], [b, 'S1', '2026-06-01', 'V7'], [a, 'S2', '2026-06-01', 'V1']] as const;
      for (const [tenant, signature, day, vin] of rows) {
        await sql.query('INSERT INTO incident_signal_days (tenant_id, signature, day, vin) VALUES ($1, $2, $3, $4)', [tenant.tenantId, signature, day, vin]);
      }
      await sql.exec(sql0054);
      after = await sql.query(`SELECT tenant_id = $1 AS first, signature, day::text AS day, vins FROM incident_signal_days
        WHERE tenant_id = ANY($2::text[]) ORDER BY 1 DESC, 2, 3`, [a.tenantId, [a.tenantId, b.tenantId]]);
      throw rolledBack;
    }), (e) => e === rolledBack);
    assert.deepEqual(after, [
      { first: true, signature: 'S1', day: '2026-06-01', vins: ['V1', 'V2'] },
      { first: true, signature: 'S1', day: '2026-06-02', vins: ['V1'] },
      { first: true, signature: 'S2', day: '2026-06-01', vins: ['V1'] },
      { first: false, signature: 'S1', day: '2026-06-01', vins: ['V7'] },
    ]);
  });
});
