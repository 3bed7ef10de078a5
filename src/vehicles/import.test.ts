import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp, type TestTenant } from '../../test/support.ts';
import { createProduct } from '../products/index.ts';
import { vinCheckCharacter } from '../identifiers/vin.ts';

let t: TestApp, a: TestTenant, b: TestTenant;
let productId: string;

/** A valid VIN: WMI + VDS + check digit + year/plant + serial. */
export function makeVin(wmi: string, serial: number): string {
  const base = `${wmi}3E7FS0PC${String(serial).padStart(6, '0')}`;
  return base.slice(0, 8) + vinCheckCharacter(base) + base.slice(9);
}

before(async () => {
  t = await testApp();
  a = await t.tenant();
  b = await t.tenant();
  const p = await createProduct(t.deps, a.actor, { model: 'TSL7000BEVAR0', name: { zh: 'Model 3', en: 'Model 3' }, category: 'M1', cdas: true, ota: true, automationLevel: 2 });
  productId = p.id;
});
after(() => t.close());

const csv = (rows: string[]) => ['vin,product,productionDate', ...rows].join('\n') + '\n';
const post = (tenant: TestTenant, body: string, type = 'text/csv', qs = '') =>
  t.app.inject({ method: 'POST', url: `/api/v1/vehicles/import${qs}`, headers: { ...tenant.auth, 'content-type': type }, payload: body });
const count = async (tenantId: string) => (await t.deps.db.tx({ tenantId }, (sql) => sql.one<{ n: number }>('SELECT count(*)::int AS n FROM vehicles'))).n;

test('a CSV imports; the same file again changes nothing', async () => {
  const body = csv([`${makeVin('LRW', 1)},TSL7000BEVAR0,2023-03-01`, `${makeVin('LRW', 2)},${productId},2023-03-02`, 'LRW3E7FS5PC695355,TSL7000BEVAR0,2023-04-01']);
  const r1 = await post(a, body);
  assert.equal(r1.statusCode, 200, r1.body);
  assert.equal(r1.json().inserted, 3);
  assert.equal(r1.json().imported, 3);
  const before = await t.deps.db.tx({ tenantId: a.tenantId }, (sql) => sql.query('SELECT vin, updated_at FROM vehicles ORDER BY vin'));
  const r2 = await post(a, body);
  assert.equal(r2.statusCode, 200);
  assert.deepEqual({ inserted: r2.json().inserted, updated: r2.json().updated, unchanged: r2.json().unchanged }, { inserted: 0, updated: 0, unchanged: 3 });
  assert.equal(r2.json().digest, r1.json().digest);
  const afterRows = await t.deps.db.tx({ tenantId: a.tenantId }, (sql) => sql.query('SELECT vin, updated_at FROM vehicles ORDER BY vin'));
  assert.deepEqual(afterRows, before);
  const v = await t.app.inject({ method: 'GET', url: '/api/v1/vehicles/lrw3e7fs5pc695355', headers: a.auth });
  assert.equal(v.statusCode, 200);
  assert.equal(v.json().productId, productId);
  assert.equal(v.json().plant, 'C');
  assert.equal(v.json().manufacturer, 'Tesla China');
});

test('every bad line is reported with its number and nothing is written', async () => {
  const n0 = await count(a.tenantId);
  const body = csv([
    `${makeVin('LRW', 10)},TSL7000BEVAR0,2023-03-01`,
    'LRW3E7FS6PC695355,TSL7000BEVAR0,2023-03-01', // line 3: check digit
    `${makeVin('LRW', 11)},NOPE0000,2023-03-01`, // line 4: product
    `${makeVin('LRW', 12)},TSL7000BEVAR0,2023-13-01`, // line 5: date
    `${makeVin('LRW', 13)},TSL7000BEVAR0,2099-01-01`, // line 6: future
  ]);
  const r = await post(a, body);
  assert.equal(r.statusCode, 422, r.body);
  const p = r.json();
  assert.equal(p.code, 'validation_failed');
  assert.deepEqual(p.errors.map((e: any) => e.line), [3, 4, 5, 6]);
  assert.equal(p.errors[0].vin, 'LRW3E7FS6PC695355');
  assert.match(p.errors[0].message, /check digit/);
  assert.match(p.errors[1].message, /NOPE0000/);
  assert.equal(p.errorCount, 4);
  assert.equal(await count(a.tenantId), n0, 'nothing written');
});

test('skipInvalid imports the good lines and reports the bad ones', async () => {
  const n0 = await count(a.tenantId);
  const r = await post(a, csv([`${makeVin('LRW', 20)},TSL7000BEVAR0,2023-03-01`, 'LRW3E7FS6PC695355,TSL7000BEVAR0,2023-03-01']), 'text/csv', '?skipInvalid=true');
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().inserted, 1);
  assert.equal(r.json().skipped, 1);
  assert.equal(r.json().errors[0].line, 3);
  assert.equal(await count(a.tenantId), n0 + 1);
});

test('a VIN twice with different data is a bad line; twice the same counts once', async () => {
  const v = makeVin('LRW', 30);
  const conflict = await post(a, csv([`${v},TSL7000BEVAR0,2023-03-01`, `${v},TSL7000BEVAR0,2023-03-02`]));
  assert.equal(conflict.statusCode, 422, conflict.body);
  assert.equal(conflict.json().errors[0].line, 3);
  assert.match(conflict.json().errors[0].message, /repeats line 2/);
  const same = await post(a, csv([`${v},TSL7000BEVAR0,2023-03-01`, `${v},TSL7000BEVAR0,2023-03-01`]));
  assert.equal(same.statusCode, 200, same.body);
  assert.equal(same.json().inserted, 1);
});

test('NDJSON with software; unknown WMI is a warning; an update changes the row', async () => {
  const vin = '1M8GDM9AXKP042788';
  const line = (date: string) => JSON.stringify({ vin, product: 'TSL7000BEVAR0', productionDate: date, software: { ADCU: '1.0.0' }, swin: { CDAS: 'SW-1' } });
  const r = await post(a, line('2019-01-01') + '\n', 'application/x-ndjson');
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().warningCount, 1);
  assert.match(r.json().warnings[0].message, /unknown WMI/);
  const r2 = await post(a, line('2019-01-02') + '\n', 'application/x-ndjson');
  assert.equal(r2.json().updated, 1);
  const v = await t.app.inject({ method: 'GET', url: `/api/v1/vehicles/${vin}`, headers: a.auth });
  assert.deepEqual(v.json().software, { ADCU: '1.0.0' });
  assert.equal(v.json().productionDate, '2019-01-02');
});

test('a CSV without the header is refused; a wrong media type is 415', async () => {
  const r = await post(a, 'vin,model\nX,Y\n');
  assert.equal(r.statusCode, 422);
  assert.match(r.json().detail, /header/);
  const m = await post(a, '{}', 'application/json');
  assert.ok([415, 422].includes(m.statusCode), m.body);
});

test('another tenant sees no vehicle (404) and cannot use our product', async () => {
  const v = await t.app.inject({ method: 'GET', url: '/api/v1/vehicles/LRW3E7FS5PC695355', headers: b.auth });
  assert.equal(v.statusCode, 404);
  const r = await post(b, csv([`${makeVin('LRW', 40)},TSL7000BEVAR0,2023-03-01`]));
  assert.equal(r.statusCode, 422);
});

test('the import is audited once per batch with its digest', async () => {
  const rows = await t.deps.db.tx({ tenantId: a.tenantId }, (sql) => sql.query(`SELECT data FROM audit_log WHERE action = 'vehicles.imported' ORDER BY seq`));
  assert.ok(rows.length >= 2);
  assert.match(rows[0].data.digest, /^[0-9a-f]{64}$/);
});
