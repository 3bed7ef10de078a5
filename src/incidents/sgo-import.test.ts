import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { testApp, type TestApp, type TestTenant } from '../../test/support.ts';

const SGO_FILE = new URL('./testdata/SGO-2021-01_Incident_Reports_ADAS.csv', import.meta.url);
const text = readFileSync(SGO_FILE, 'utf8');

let t: TestApp;
let m: TestTenant;
before(async () => { t = await testApp({ now: '2026-08-20T02:00:00Z' }); m = await t.tenant({ overseas: true }); });
after(() => t.close());

const importCsv = (body: string, query = '') => t.app.inject({
  method: 'POST', url: `/api/v1/incidents/import?format=nhtsa-sgo${query}`, headers: { ...m.auth, 'content-type': 'text/csv' }, payload: body,
});

describe('NHTSA SGO import, the current file', () => {
  it('accounts for every row: 2,024 imported, none rejected; chains per Report ID; one case per incident', async () => {
    const r = await importCsv(text);
    assert.equal(r.statusCode, 200, r.body);
    const b = r.json();
    assert.deepEqual([b.rows, b.imported, b.unchanged, b.rejected.length], [2024, 2024, 0, 0]);
    assert.deepEqual([b.chains, b.chainsWithGaps, b.cases], [1915, 36, 1915]);
    const list = (await t.app.inject({ method: 'GET', url: '/api/v1/incidents?limit=1', headers: m.auth })).json();
    assert.equal(list.total, 1915);
  });

  it('re-importing the same file adds nothing: every row unchanged', async () => {
    const b = (await importCsv(text)).json();
    assert.deepEqual([b.imported, b.unchanged, b.rejected.length, b.cases], [0, 2024, 0, 0]);
  });

  it('the five-version report keeps every version and its narratives', async () => {
    const rows = await t.deps.db.tx({ tenantId: m.tenantId }, (sql) =>
      sql.query<{ incident_id: string }>(`SELECT incident_id FROM incident_reports WHERE report_id = '10039-11989' LIMIT 1`));
    const c = (await t.app.inject({ method: 'GET', url: `/api/v1/incidents/${rows[0].incident_id}`, headers: m.auth })).json();
    const chain = c.reports.find((x: any) => x.reportId === '10039-11989');
    assert.deepEqual(chain.versions.map((v: any) => v.version), [1, 2, 3, 4, 5]);
    assert.deepEqual(chain.missing, []);
    assert.equal(c.source, 'nhtsa-sgo');
    assert.match(c.decision.awarenessBasis, /time of import/);
  });

  it('a version released before and absent from this file is named as missing', async () => {
    const rows = await t.deps.db.tx({ tenantId: m.tenantId }, (sql) =>
      sql.query<{ incident_id: string }>(`SELECT incident_id FROM incident_reports WHERE report_id = '13781-9769' LIMIT 1`));
    const c = (await t.app.inject({ method: 'GET', url: `/api/v1/incidents/${rows[0].incident_id}`, headers: m.auth })).json();
    assert.deepEqual(c.reports[0].missing, [1, 2]);
  });
});

describe('NHTSA SGO import, rows that must be rejected', () => {
  const lines = text.split('\n');
  const header = lines[0];
  const firstRow = lines[1]; // a one-line record (no line break in its narrative)
  const cells = (s: string) => s.split(',');
  it('names the line and reason of each bad row, imports the good ones, and a changed version is never rewritten', async () => {
    assert.equal(cells(firstRow)[0], '30571-15825');
    const changed = firstRow.replace('Humble', 'Houston'); // same Report ID and version, different content
    const badVin = firstRow.replace('30571-15825,1,', '99-1,1,').replace('W1KFJ1DB4TJ', 'W1KFJ1DB4TO');
    const badVersion = firstRow.replace('30571-15825,1,', '99-2,x,');
    const dup = firstRow.replace('30571-15825,1,', '99-3,1,');
    const body = [header, changed, badVin, badVersion, dup, dup, '"unterminated'].join('\n');
    const r = await importCsv(body);
    assert.equal(r.statusCode, 200, r.body);
    const b = r.json();
    assert.equal(b.imported, 1); // 99-3 v1, once
    assert.deepEqual(b.rejected.map((x: any) => x.line), [2, 3, 4, 6, 7]);
    assert.match(b.rejected[0].reason, /imported before with different content/);
    assert.match(b.rejected[1].reason, /VIN character 11 \('O'\)/);
    assert.match(b.rejected[2].reason, /Report Version 'x'/);
    assert.match(b.rejected[3].reason, /already appears on line 5 \(identical\)/);
    assert.match(b.rejected[4].reason, /columns|quoted field/);
  });

  it('a file without the SGO header is refused, naming the missing columns', async () => {
    const r = await importCsv('a,b\n1,2\n');
    assert.equal(r.statusCode, 422);
    assert.ok(r.json().errors.some((e: any) => e.path === 'header.Report ID'));
  });

  it('format is required', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/incidents/import?format=csv', headers: { ...m.auth, 'content-type': 'text/csv' }, payload: 'x' });
    assert.equal(r.statusCode, 422);
  });
});
