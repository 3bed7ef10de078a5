import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { makeDeps } from '../app.ts';
import { loadConfig } from '../config.ts';
import { openPglite } from '../platform/db.ts';
import { migrate } from '../platform/migrate.ts';
import { createProduct } from '../products/index.ts';

const CLI = new URL('../cli.ts', import.meta.url).pathname;

test('icvgate vehicles import FILE --tenant: imports through the same use case; bad lines exit 1 with their numbers', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'icvgate-cli-'));
  try {
    const db = await openPglite(join(dir, 'pg'));
    await migrate(db);
    const tenantId = 'ten_cli_test';
    await db.tx('operator', (sql) => sql.query(`INSERT INTO tenants (id, kind, name_zh, name_en, overseas, country) VALUES ($1, 'manufacturer', '测试', 'Test', true, 'DE')`, [tenantId]));
    const deps = await makeDeps(db, loadConfig({ ICVGATE_LOG_LEVEL: 'silent' }, { dataDir: dir }), undefined, pino({ level: 'silent' }));
    await createProduct(deps, { type: 'operator', id: 'test', name: 'test', tenantId, role: 'operator' }, { model: 'TSL7000BEVAR0', name: { zh: 'M3', en: 'M3' }, category: 'M1', cdas: false, ota: true, automationLevel: 0 } as any);
    await db.close();
    const good = join(dir, 'good.csv');
    writeFileSync(good, 'vin,product,productionDate\nLRW3E7FS5PC695355,TSL7000BEVAR0,2023-04-01\n1M8GDM9AXKP042788,TSL7000BEVAR0,2019-01-01\n');
    const env = { ...process.env, ICVGATE_LOG_LEVEL: 'silent', DATABASE_URL: '' };
    delete (env as any).DATABASE_URL;
    const ok = spawnSync(process.execPath, ['--import', 'tsx', CLI, '--data', dir, 'vehicles', 'import', good, '--tenant', tenantId], { encoding: 'utf8', env });
    assert.equal(ok.status, 0, ok.stderr + ok.stdout);
    const report = JSON.parse(ok.stdout);
    assert.equal(report.inserted, 2);
    assert.equal(report.warningCount, 1);
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'vin,product,productionDate\nLRW3E7FS6PC695355,TSL7000BEVAR0,2023-04-01\n');
    const no = spawnSync(process.execPath, ['--import', 'tsx', CLI, '--data', dir, 'vehicles', 'import', bad, '--tenant', tenantId], { encoding: 'utf8', env });
    assert.equal(no.status, 1);
    assert.equal(JSON.parse(no.stdout).errors[0].line, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
