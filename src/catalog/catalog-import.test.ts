import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import yazl from 'yazl';
import { testApp, type TestApp, type TestTenant } from '../../test/support.ts';
import { fullValues } from '../products/test-fixtures.ts';
import { parseCsv, parseXlsx } from './tabular.ts';

const CSV = readFileSync(new URL('./examples/template.example.csv', import.meta.url), 'utf8');
const MAPPING = JSON.parse(readFileSync(new URL('./examples/mapping.example.json', import.meta.url), 'utf8'));

let t: TestApp;
let a: TestTenant;
let productId: string;
before(async () => {
  t = await testApp();
  a = await t.tenant();
  const p = await t.app.inject({ method: 'POST', url: '/api/v1/products', headers: a.auth, payload: { model: 'NIO7001ES6', name: { zh: '蔚来ES6', en: 'NIO ES6' }, category: 'M1', cdas: true, ota: true, automationLevel: 2 } });
  productId = p.json().id;
  await t.app.inject({ method: 'PUT', url: `/api/v1/products/${productId}/parameters/draft`, headers: a.auth, payload: { values: fullValues() } });
  const s = await t.app.inject({ method: 'POST', url: `/api/v1/products/${productId}/parameters/draft/submit`, headers: a.auth });
  assert.equal(s.statusCode, 201, s.body);
});
after(() => t.close());

const importReq = (tenant: TestTenant, filename: string, content: Buffer, mapping: unknown) =>
  t.app.inject({ method: 'POST', url: '/api/v1/catalog/import', headers: tenant.auth, payload: { filename, contentBase64: content.toString('base64'), mapping } });
const versions = async () => (await t.deps.db.tx('operator', (sql) => sql.one<{ n: number }>('SELECT count(*)::int AS n FROM catalog_versions'))).n;

function xlsx(rows: string[][], sheetName = 'Annex2'): Promise<Buffer> {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const strings: string[] = [];
  const idx = (s: string) => { let i = strings.indexOf(s); if (i < 0) { i = strings.length; strings.push(s); } return i; };
  const col = (i: number) => String.fromCharCode(65 + i);
  const sheet = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${
    rows.map((r, ri) => `<row r="${ri + 1}">${r.map((c, ci) => c === '' ? '' : /^-?\d+(\.\d+)?$/.test(c)
      ? `<c r="${col(ci)}${ri + 1}"><v>${c}</v></c>` : `<c r="${col(ci)}${ri + 1}" t="s"><v>${idx(c)}</v></c>`).join('')}</row>`).join('')}</sheetData></worksheet>`;
  const shared = `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${strings.map((s) => `<si><t>${esc(s)}</t></si>`).join('')}</sst>`;
  const workbook = `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Info" sheetId="1" r:id="rId1"/><sheet name="${sheetName}" sheetId="2" r:id="rId2"/></sheets></workbook>`;
  const rels = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="worksheet" Target="worksheets/sheet2.xml"/></Relationships>`;
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from(workbook), 'xl/workbook.xml');
  zip.addBuffer(Buffer.from(rels), 'xl/_rels/workbook.xml.rels');
  zip.addBuffer(Buffer.from('<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>说明</t></is></c></row></sheetData></worksheet>'), 'xl/worksheets/sheet1.xml');
  zip.addBuffer(Buffer.from(sheet), 'xl/worksheets/sheet2.xml');
  zip.addBuffer(Buffer.from(shared), 'xl/sharedStrings.xml', { compress: false });
  zip.end();
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => parts.push(c)).on('end', () => resolve(Buffer.concat(parts))).on('error', reject);
  });
}

test('the CSV reader handles quotes, embedded commas, newlines and a BOM', () => {
  assert.deepEqual(parseCsv('\ufeffa,"b,1","c ""x""\nnext"\r\n1,2,3\n').rows, [['a', 'b,1', 'c "x"\nnext'], ['1', '2', '3']]);
});

test('the XLSX reader reads a named sheet with shared strings and numbers', async () => {
  const buf = await xlsx([['键', '名称'], ['a.b', '中文 & <值>'], ['c.d', '42']]);
  assert.deepEqual(parseXlsx(buf, 'Annex2').rows, [['键', '名称'], ['a.b', '中文 & <值>'], ['c.d', '42']]);
  assert.deepEqual(parseXlsx(buf).rows, [['说明']]);
  assert.throws(() => parseXlsx(Buffer.from('not a zip')), /not an XLSX/);
});

test('a bad template or mapping names the line and field and writes nothing', async () => {
  const n = await versions();
  const badRow = CSV.replace('cdas.tier,功能分级,Functional tier,组合驾驶辅助,枚举', 'cdas.tier,功能分级,Functional tier,组合驾驶辅助,日期');
  const r1 = await importReq(a, 't.csv', Buffer.from(badRow), MAPPING);
  assert.equal(r1.statusCode, 422);
  assert.deepEqual(r1.json().errors.map((e: any) => [e.line, e.path]), [[5, 'line 5: 类型']]);
  assert.match(r1.json().errors[0].message, /'日期' is not mapped/);

  const noUnit = CSV.replace(',数值,km/h,', ',数值,,');
  const r2 = await importReq(a, 't.csv', Buffer.from(noUnit), MAPPING);
  assert.equal(r2.statusCode, 422);
  assert.equal(r2.json().errors[0].line, 6);

  const dupKey = CSV + 'ota.mode,升级方式2,Mode 2,OTA,文本,,,,,具备OTA,是,不需要\n';
  const r3 = await importReq(a, 't.csv', Buffer.from(dupKey), MAPPING);
  assert.equal(r3.statusCode, 422);
  assert.match(r3.json().errors[0].path, /^line 11/);
  assert.match(r3.json().errors[0].message, /duplicate key ota\.mode/);

  const r4 = await importReq(a, 't.csv', Buffer.from(CSV), { ...MAPPING, columns: { ...MAPPING.columns, unit: '计量单位' } });
  assert.equal(r4.statusCode, 422);
  assert.equal(r4.json().errors[0].path, 'mapping.columns.unit');
  const r5 = await importReq(a, 't.csv', Buffer.from(CSV), { columns: {} });
  assert.equal(r5.statusCode, 422);
  assert.ok(r5.json().errors.some((e: any) => e.path === 'mapping.version'));
  assert.equal(await versions(), n);
  assert.equal((await t.app.inject({ url: '/api/v1/catalog', headers: a.auth })).json().provenance, 'candidate');
});

test('importing the official template installs a version; parameter sets move by key; what no longer maps is reported and kept', async () => {
  const r = await importReq(a, 'annex2.csv', Buffer.from(CSV), MAPPING);
  assert.equal(r.statusCode, 201, r.body);
  const rep = r.json();
  assert.equal(rep.version, 'official-example-2026');
  assert.equal(rep.provenance, 'official');
  assert.equal(rep.parameters, 9);
  assert.equal(rep.products.length, 1);
  const prod = rep.products[0];
  assert.equal(prod.draftCreated, true);
  const unmapped = Object.fromEntries(prod.unmapped.map((u: any) => [u.key, u.reason]));
  assert.match(unmapped['cdas.tier'], /'navigation' is not an allowed value/);
  assert.match(unmapped['cdas.sensors.cameras'], /no parameter cdas\.sensors\.cameras in catalog official-example-2026/);
  assert.ok(!('cdas.odd.speedMax' in unmapped) && !('ota.mode' in unmapped));

  const cat = (await t.app.inject({ url: '/api/v1/catalog', headers: a.auth })).json();
  assert.equal(cat.version, 'official-example-2026');
  assert.equal(cat.provenance, 'official');
  const tier = cat.parameters.find((p: any) => p.key === 'cdas.tier');
  assert.deepEqual(tier.values.map((v: any) => v.value), ['single_lane', 'multi_lane']);
  assert.equal(tier.label.en, 'Functional tier');
  assert.equal(cat.parameters.find((p: any) => p.key === 'cdas.odd.speedMax').unit.symbol, 'km/h');

  const draft = (await t.app.inject({ url: `/api/v1/products/${productId}/parameters/draft`, headers: a.auth })).json();
  assert.equal(draft.catalogVersion, 'official-example-2026');
  assert.equal(draft.values['cdas.odd.speedMax'], 130);
  assert.equal(draft.unmapped['cdas.tier'].value, 'navigation');
  assert.equal(draft.unmapped['cdas.tier'].fromCatalog, 'candidate-2025.1');
  // version 1 keeps its own catalog and values
  const v1 = (await t.app.inject({ url: `/api/v1/products/${productId}/parameters/1`, headers: a.auth })).json();
  assert.equal(v1.catalogVersion, 'candidate-2025.1');
  assert.equal(v1.values['cdas.tier'], 'navigation');
  // completeness now measures against the official catalog: the new parameter is missing
  const c = (await t.app.inject({ url: `/api/v1/products/${productId}/completeness`, headers: a.auth })).json();
  assert.equal(c.provenance, 'official');
  assert.ok(c.missing.some((m: any) => m.key === 'cdas.minimumRiskManoeuvre'));
  assert.ok(c.missing.some((m: any) => m.key === 'cdas.tier'));

  const again = await importReq(a, 'annex2.csv', Buffer.from(CSV), MAPPING);
  assert.equal(again.statusCode, 409);
});

test('an XLSX template with a label -> key mapping imports too', async () => {
  const rows = parseCsv(CSV).rows.map((r) => r.slice(1)); // no key column
  const keys = Object.fromEntries(parseCsv(CSV).rows.slice(1).map((r) => [r[1], r[0]]));
  const { key: _k, ...columns } = MAPPING.columns;
  const buf = await xlsx(rows);
  const r = await importReq(a, 'annex2.xlsx', buf, { ...MAPPING, version: 'official-xlsx-2026', sheet: 'Annex2', columns, keys });
  assert.equal(r.statusCode, 201, r.body);
  assert.equal(r.json().parameters, 9);
  assert.equal(r.json().products[0].draftCreated, false);
});

test('only a tenant admin may import', async () => {
  const auditor = await t.token(a.tenantId, 'auditor');
  const r = await importReq(auditor, 'annex2.csv', Buffer.from(CSV), { ...MAPPING, version: 'x' });
  assert.equal(r.statusCode, 403);
});
