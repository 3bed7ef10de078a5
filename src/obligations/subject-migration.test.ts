// Migration 0055: recall obligations filed under the subject type 'incident' with a defect
// assessment's id move to 'defect_assessment', with their natural keys and the keys that point at them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { testApp, type TestApp } from '../../test/support.ts';
import { MIGRATIONS_DIR } from '../platform/migrate.ts';

let t: TestApp;
before(async () => { t = await testApp({ now: '2026-06-10T02:00:00Z' }); });
after(() => t.close());

test('migration 0055 moves recall obligations of defect assessments to their own subject type, keys included', async () => {
  const { tenantId } = await t.tenant();
  const sql0055 = readFileSync(join(MIGRATIONS_DIR, '0055_obligation_subject_defect_assessment.sql'), 'utf8');
  const rows: [string, string, string, string[]][] = [
    ['obl_m1', 'N45-8s:incident:dfa_01:SAMR', 'dfa_01', []],
    ['obl_m2', 'N45-8#recall-plan:incident:dfa_01:SAMR', 'dfa_01', ['N45-8s:incident:dfa_01:SAMR']],
    ['obl_m3', 'N45-5:incident:inc_01:MIIT', 'inc_01', []], // a real incident's: unchanged
  ];
  const rolledBack = new Error('rolled back on purpose');
  let after: unknown;
  await assert.rejects(t.deps.db.tx('owner', async (sql) => {
    await sql.exec('SELECT set_config(\'app.tenant_id\', \'*\', true)');
    for (const [id, key, subject, afterKeys] of rows) {
      await sql.query(`INSERT INTO obligations (id, tenant_id, key, rule, source, regime, regime_version, subject_type, subject_id, addressee, title,
          due_basis, due_condition, due_explain, fulfilled_by, after_keys, created_at, updated_at)
        VALUES ($1, $2, $3, split_part($3, ':', 1), 's', 'cn-2025', '1', 'incident', $4, 'SAMR', '{}', 'law', 'date', 'x', 'submission', $5, now(), now())`,
      [id, tenantId, key, subject, JSON.stringify(afterKeys)]);
    }
    await sql.exec(sql0055);
    await sql.exec('SELECT set_config(\'app.tenant_id\', \'*\', true)');
    after = await sql.query('SELECT id, key, subject_type, after_keys FROM obligations WHERE id = ANY($1::text[]) ORDER BY id', [rows.map((r) => r[0])]);
    throw rolledBack;
  }), (e) => e === rolledBack);
  assert.deepEqual(after, [
    { id: 'obl_m1', key: 'N45-8s:defect_assessment:dfa_01:SAMR', subject_type: 'defect_assessment', after_keys: [] },
    { id: 'obl_m2', key: 'N45-8#recall-plan:defect_assessment:dfa_01:SAMR', subject_type: 'defect_assessment', after_keys: ['N45-8s:defect_assessment:dfa_01:SAMR'] },
    { id: 'obl_m3', key: 'N45-5:incident:inc_01:MIIT', subject_type: 'incident', after_keys: [] },
  ]);
});
