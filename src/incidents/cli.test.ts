import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openPglite } from '../platform/db.ts';
import { migrate } from '../platform/migrate.ts';
import { withVinCheck } from './test-vins.ts';

const CLI = new URL('../cli.ts', import.meta.url).pathname;
const SGO = new URL('../../../shared/data/nhtsa-sgo/SGO-2021-01_Incident_Reports_ADAS.csv', import.meta.url).pathname;

/** The header and the first `n` records of a CSV file (quoted fields may span lines). */
function firstRecords(text: string, n: number): string {
  let quoted = false, records = -1;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"') quoted = !quoted;
    else if (text[i] === '\n' && !quoted && ++records === n) return text.slice(0, i + 1);
  }
  return text;
}

test('icvgate incidents events / import-sgo FILE --tenant: the same use cases, re-sending adds nothing, a bad file exits 1', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'icvgate-cli-incidents-'));
  try {
    const db = await openPglite(join(dir, 'pg'));
    await migrate(db);
    const tenantId = 'ten_cli_incidents';
    await db.tx('operator', (sql) => sql.query(`INSERT INTO tenants (id, kind, name_zh, name_en, overseas, country) VALUES ($1, 'manufacturer', '测试', 'Test', true, 'DE')`, [tenantId]));
    await db.close();
    const env = { ...process.env, ICVGATE_LOG_LEVEL: 'silent' };
    delete (env as Record<string, string | undefined>).DATABASE_URL;
    const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', CLI, '--data', dir, 'incidents', ...args, '--tenant', tenantId], { encoding: 'utf8', env });

    const events = join(dir, 'events.ndjson');
    writeFileSync(events, [1, 2, 3].map((n) => JSON.stringify({ eventId: `cli-${n}`, type: 'lockout', vin: withVinCheck(`LSVAU2180N2${String(400000 + n)}`),
      occurredAt: '2026-06-05T08:00:00+08:00', cdas: { function: 'ACC' } })).join('\n') + '\n');
    const first = run('events', events);
    assert.equal(first.status, 0, first.stderr + first.stdout);
    assert.deepEqual([JSON.parse(first.stdout).inserted, JSON.parse(first.stdout).duplicates], [3, 0]);
    const again = run('events', events);
    assert.deepEqual([JSON.parse(again.stdout).inserted, JSON.parse(again.stdout).duplicates], [0, 3]);
    writeFileSync(events, '{"type":"lockout"}\n');
    const bad = run('events', events);
    assert.equal(bad.status, 1);
    assert.equal(JSON.parse(bad.stdout).code, 'validation_failed');
    assert.equal(JSON.parse(bad.stdout).errors[0].line, 1);

    const sgo = join(dir, 'sgo.csv');
    writeFileSync(sgo, firstRecords(readFileSync(SGO, 'utf8'), 40));
    const imported = run('import-sgo', sgo, '--aware-at', '2026-05-10T09:00:00+08:00');
    assert.equal(imported.status, 0, imported.stderr + imported.stdout);
    const r = JSON.parse(imported.stdout);
    assert.equal(r.rows, 40);
    assert.equal(r.imported + r.rejected.length, 40);
    assert.ok(r.imported > 0 && r.cases > 0);
    const twice = JSON.parse(run('import-sgo', sgo).stdout);
    assert.deepEqual([twice.imported, twice.unchanged, twice.cases], [0, r.imported, 0]);
    const wrongAware = run('import-sgo', sgo, '--aware-at', 'yesterday');
    assert.notEqual(wrongAware.status, 0);
    assert.match(wrongAware.stderr, /--aware-at must be an ISO 8601 instant/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
