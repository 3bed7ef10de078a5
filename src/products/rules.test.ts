import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { SHIPPED_CATALOG } from '../regimes/cn-2025/catalog/index.ts';
import { accessAfterApproval, migrateValues } from './rules.ts';

const access = (status: 'applying' | 'approved' | 'changed') => ({ status, batch: null, approvalDate: null });

test('access status after an approval', () => {
  const rows: [Parameters<typeof accessAfterApproval>[0], string][] = [
    [{ access: access('applying'), baselineVersion: null }, 'approved'],
    [{ access: access('approved'), baselineVersion: null }, 'approved'],
    [{ access: access('changed'), baselineVersion: null }, 'changed'],
    [{ access: access('approved'), baselineVersion: 1 }, 'changed'],
    [{ access: access('changed'), baselineVersion: 3 }, 'changed'],
  ];
  for (const [input, expected] of rows) assert.equal(accessAfterApproval(input), expected, JSON.stringify(input));
});

test('migrateValues keeps what maps and reports what does not, with reasons', () => {
  const r = migrateValues(SHIPPED_CATALOG, { cdas: false, ota: true }, {
    'ota.mode': 'remote', 'cdas.tier': 'navigation', 'gone.key': 1, 'ota.swin': 'not a list',
  }, 'official-x', { 'old.kept': { value: 2, reason: 'earlier', fromCatalog: 'older' } });
  assert.deepEqual(r.values, { 'ota.mode': 'remote' });
  assert.deepEqual(Object.keys(r.unmapped).sort(), ['cdas.tier', 'gone.key', 'old.kept', 'ota.swin']);
  assert.match(r.unmapped['cdas.tier'].reason, /does not apply/);
  assert.match(r.unmapped['gone.key'].reason, /no parameter gone\.key/);
  assert.match(r.unmapped['ota.swin'].reason, /must be a list/);
  assert.equal(r.unmapped['gone.key'].fromCatalog, 'official-x');
  assert.equal(r.unmapped['old.kept'].reason, 'earlier');
});
