import { strict as assert } from 'node:assert';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import { testApp, type TestApp, type TestTenant } from '../../test/support.ts';
import { sha256Hex } from '../platform/canonical.ts';
import { DirectoryBlobStore } from '../platform/blobs.ts';
import { fullValues, pdf } from '../products/test-fixtures.ts';
import { verifyEvidence } from './verify-evidence.ts';

let t: TestApp;
let a: TestTenant;
let b: TestTenant;
let productId: string;
before(async () => {
  t = await testApp({ now: '2026-11-25T02:00:00Z', config: { uploadLimit: 64 * 1024 } });
  a = await t.tenant();
  b = await t.tenant({ name: 'Other Motors' });
  const r = await t.app.inject({ method: 'POST', url: '/api/v1/products', headers: a.auth, payload: { model: 'LYNK0101', name: { zh: '领克01', en: 'Lynk 01' }, category: 'M1', cdas: true, ota: true, automationLevel: 2 } });
  productId = r.json().id;
});
after(() => t.close());

const meta = (o: Record<string, string> = {}) => ({
  'x-evidence-title': encodeURIComponent('组合驾驶辅助系统检验报告'), 'x-evidence-lab': encodeURIComponent('国家智能网联汽车质量检验检测中心'),
  'x-evidence-report-no': 'CAICV-2026-0815', 'x-evidence-issued-on': '2026-08-15', 'x-evidence-valid-until': '2027-08-14', ...o,
});
const upload = (tenant: TestTenant, body: Buffer, headers: Record<string, string>, type = 'application/pdf') =>
  t.app.inject({ method: 'POST', url: '/api/v1/evidence', headers: { ...tenant.auth, 'content-type': type, ...headers }, payload: body });
const count = async (table: string) => (await t.deps.db.tx('operator', (sql) => sql.one<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))).n;
const blobFiles = async () => {
  const root = (t.deps.blobs as DirectoryBlobStore).root;
  const out: string[] = [];
  const walk = async (d: string) => { for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) e.isDirectory() ? await walk(join(d, e.name)) : out.push(e.name); };
  await walk(root);
  return out;
};

test('upload a report with headers, link it to keys of the draft, download it hash-checked', async () => {
  const file = pdf('DMS test report');
  const r = await upload(a, file, meta({ 'x-evidence-product': productId, 'x-evidence-keys': 'cdas.dms.handsOffDetection, cdas.dms.eyesOffDetection', 'x-evidence-filename': encodeURIComponent('报告.pdf') }));
  assert.equal(r.statusCode, 201, r.body);
  const ev = r.json();
  assert.equal(ev.evidence.sha256, sha256Hex(file));
  assert.equal(ev.evidence.title, '组合驾驶辅助系统检验报告');
  assert.deepEqual(ev.linked, ['cdas.dms.handsOffDetection', 'cdas.dms.eyesOffDetection']);

  const again = await upload(a, file, meta());
  assert.equal(again.statusCode, 200, 'the same file with the same metadata is not a second record');
  assert.equal(again.json().created, false);
  const clash = await upload(a, file, meta({ 'x-evidence-report-no': 'OTHER-1' }));
  assert.equal(clash.statusCode, 409);

  const d = await t.app.inject({ method: 'GET', url: `/api/v1/evidence/${ev.evidence.sha256}`, headers: a.auth });
  assert.equal(d.statusCode, 200);
  assert.deepEqual(d.rawPayload, file);
  assert.equal(d.headers['x-content-sha256'], ev.evidence.sha256);
  assert.equal(d.headers['content-type'], 'application/pdf');

  const draft = await t.app.inject({ method: 'GET', url: `/api/v1/products/${productId}/parameters/draft`, headers: a.auth });
  assert.deepEqual(draft.json().evidence.map((e: any) => e.key).sort(), ['cdas.dms.eyesOffDetection', 'cdas.dms.handsOffDetection']);

  assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/evidence/${ev.evidence.sha256}`, headers: b.auth })).statusCode, 404, 'another tenant cannot fetch it');
  const byName = await upload(a, pdf('named'), meta({ 'x-evidence-report-no': 'NAMED-1', 'x-evidence-filename': 'r.PDF' }), 'application/octet-stream');
  assert.equal(byName.statusCode, 201, byName.body);
  assert.equal(byName.json().evidence.contentType, 'application/pdf');
});

test('multipart upload works and names a missing field', async () => {
  const boundary = 'XyZ123';
  const file = pdf('OTA rollback test');
  const part = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const body = (fields: Record<string, string>) => Buffer.concat([
    Buffer.from(Object.entries(fields).map(([k, v]) => part(k, v)).join('')),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="ota.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
    file, Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const fields = { title: 'OTA 回滚测试报告', lab: 'CATARC', reportNo: 'CATARC-OTA-77', issuedOn: '2026-09-01', productId, keys: 'ota.failureHandling' };
  const r = await upload(a, body(fields), {}, `multipart/form-data; boundary=${boundary}`);
  assert.equal(r.statusCode, 201, r.body);
  assert.equal(r.json().evidence.filename, 'ota.pdf');
  assert.deepEqual(r.json().linked, ['ota.failureHandling']);
  const { lab: _omit, ...noLab } = fields;
  const bad = await upload(a, body({ ...noLab, reportNo: 'OTHER' }), {}, `multipart/form-data; boundary=${boundary}`);
  assert.equal(bad.statusCode, 422);
  assert.deepEqual(bad.json().errors.map((e: any) => e.path), ['lab']);
});

test('bad metadata, wrong type, bad keys, a wrong declared hash and an oversize file write nothing', async () => {
  const rows = await count('evidence');
  const blobs = (await blobFiles()).length;
  const cases: [Buffer, Record<string, string>, string, number, string][] = [
    [pdf('a'), meta({ 'x-evidence-issued-on': '2026-13-01' }), 'application/pdf', 422, 'issuedOn'],
    [pdf('b'), meta({ 'x-evidence-valid-until': '2020-01-01' }), 'application/pdf', 422, 'validUntil'],
    [Buffer.from('GIF89a not a pdf'), meta(), 'application/pdf', 422, 'contentType'],
    [pdf('c'), meta({ 'x-evidence-product': productId, 'x-evidence-keys': 'cdas.nope' }), 'application/pdf', 422, 'keys.0'],
    [pdf('d'), meta({ 'x-content-sha256': 'f'.repeat(64) }), 'application/pdf', 422, 'sha256'],
    [Buffer.concat([pdf('e'), Buffer.alloc(70 * 1024)]), meta(), 'application/pdf', 413, ''],
  ];
  for (const [body, headers, type, status, path] of cases) {
    const r = await upload(a, body, headers, type);
    assert.equal(r.statusCode, status, `${path}: ${r.body}`);
    if (path) assert.ok(r.json().errors.some((e: any) => e.path === path), r.body);
  }
  const generic = await upload(a, pdf('f'), meta({ 'x-evidence-report-no': 'GEN-1' }), 'application/octet-stream');
  assert.equal(generic.statusCode, 422, 'a generic type without a known file extension is refused');
  assert.ok(generic.json().errors.some((e: any) => e.path === 'contentType'));
  const unsupported = await upload(a, Buffer.from('hello'), meta(), 'text/plain');
  assert.equal(unsupported.statusCode, 415);
  assert.equal(await count('evidence'), rows);
  assert.equal((await blobFiles()).length, blobs, 'no blob kept, no temp file left');
});

test('an upload interrupted by the client leaves no record and no file', async () => {
  const rows = await count('evidence');
  const blobs = (await blobFiles()).length;
  let sent = 0;
  const body = new Readable({
    read() {
      if (sent++ === 0) this.push(pdf('first half of a report'));
      else this.destroy(new Error('connection reset by peer'));
    },
  });
  const r = await t.app.inject({ method: 'POST', url: '/api/v1/evidence', headers: { ...a.auth, 'content-type': 'application/pdf', ...meta({ 'x-evidence-report-no': 'CUT-1' }) }, payload: body })
    .catch((e: Error) => ({ statusCode: 0, error: e }));
  // inject() itself fails when its payload stream does; a server sees the same stream error
  assert.ok([0, 400].includes(r.statusCode), String(r.statusCode));
  assert.equal(await count('evidence'), rows);
  assert.equal((await blobFiles()).length, blobs);
});

test('a changed blob is detected on download and never served', async () => {
  const file = pdf('sensor report');
  const r = await upload(a, file, meta({ 'x-evidence-report-no': 'SENS-1' }));
  const sha = r.json().evidence.sha256;
  await writeFile((t.deps.blobs as DirectoryBlobStore).pathOf(sha), pdf('sensor report, edited'));
  const d = await t.app.inject({ method: 'GET', url: `/api/v1/evidence/${sha}`, headers: a.auth });
  assert.equal(d.statusCode, 500);
  assert.equal(d.json().code, 'integrity_error');
  assert.match(d.json().detail, /has changed/);
  const sweep = await verifyEvidence(t.deps, { tenantId: a.tenantId });
  assert.deepEqual(sweep.broken.map((x) => [x.sha256, x.reportNo]), [[sha, 'SENS-1']]);
  assert.ok(sweep.checked >= 2);
});

test('completeness counts linked evidence; expired evidence is reported; the register exports CSV', async () => {
  const put = await t.app.inject({ method: 'PUT', url: `/api/v1/products/${productId}/parameters/draft`, headers: a.auth, payload: { values: fullValues() } });
  assert.equal(put.statusCode, 200, put.body);
  const c0 = (await t.app.inject({ method: 'GET', url: `/api/v1/products/${productId}/completeness`, headers: a.auth })).json();
  assert.equal(c0.ready, false);
  assert.deepEqual(c0.missing, []);
  assert.ok(c0.evidenceMissing.some((e: any) => e.key === 'cdas.tier'));
  assert.ok(!c0.evidenceMissing.some((e: any) => e.key === 'cdas.dms.handsOffDetection'), 'linked evidence counts');

  const catalog = (await t.app.inject({ method: 'GET', url: '/api/v1/catalog', headers: a.auth })).json();
  const needs: string[] = catalog.parameters.filter((p: any) => p.evidence === 'required').map((p: any) => p.key);
  const expired = await upload(a, pdf('old ODD report'), meta({ 'x-evidence-report-no': 'ODD-2024', 'x-evidence-issued-on': '2024-01-10', 'x-evidence-valid-until': '2026-01-09', 'x-evidence-product': productId, 'x-evidence-keys': 'cdas.odd.roadTypes' }));
  assert.equal(expired.statusCode, 201, expired.body);
  const rest = needs.filter((k) => !['cdas.odd.roadTypes'].includes(k));
  const full = await upload(a, pdf('full CDAS report'), meta({ 'x-evidence-report-no': 'FULL-1', 'x-evidence-product': productId, 'x-evidence-keys': rest.join(',') }));
  assert.equal(full.statusCode, 201, full.body);
  const c1 = (await t.app.inject({ method: 'GET', url: `/api/v1/products/${productId}/completeness`, headers: a.auth })).json();
  assert.equal(c1.ready, false);
  assert.deepEqual(c1.evidenceMissing, [{ key: 'cdas.odd.roadTypes', label: catalog.parameters.find((p: any) => p.key === 'cdas.odd.roadTypes').label, reason: 'expired', expiredOn: '2026-01-09' }]);

  const link = await t.app.inject({ method: 'POST', url: `/api/v1/products/${productId}/parameters/draft/evidence`, headers: a.auth, payload: { sha256: full.json().evidence.sha256, keys: ['cdas.odd.roadTypes'] } });
  assert.equal(link.statusCode, 200, link.body);
  const c2 = (await t.app.inject({ method: 'GET', url: `/api/v1/products/${productId}/completeness`, headers: a.auth })).json();
  assert.equal(c2.ready, true, JSON.stringify(c2));
  assert.equal(c2.percent, 100);

  // a submitted version keeps the links, and so does the next draft
  assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/products/${productId}/parameters/draft/submit`, headers: a.auth })).statusCode, 201);
  assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/products/${productId}/completeness`, headers: a.auth })).json().ready, true);
  await t.app.inject({ method: 'PUT', url: `/api/v1/products/${productId}/parameters/draft`, headers: a.auth, payload: { values: fullValues({ 'cdas.sensors.cameras': 12 }) } });
  assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/products/${productId}/completeness`, headers: a.auth })).json().ready, true);

  const reg = await t.app.inject({ method: 'GET', url: '/api/v1/completeness', headers: a.auth });
  assert.equal(reg.json().items.length, 1);
  assert.equal(reg.json().candidate, true);
  const csv = await t.app.inject({ method: 'GET', url: '/api/v1/completeness?format=csv&lang=en', headers: a.auth });
  assert.equal(csv.statusCode, 200);
  assert.match(csv.headers['content-type'] as string, /text\/csv/);
  const lines = csv.body.replace(/^\ufeff/, '').trim().split('\r\n');
  assert.equal(lines.length, 2);
  assert.match(lines[0], /^model,name_zh,name_en,category,access_status/);
  assert.match(lines[1], /^LYNK0101,领克01,Lynk 01,M1,Applying,Yes,Yes,draft,candidate-2025\.1,candidate,100,Yes,,,"candidate parameter list/);
  const zh = await t.app.inject({ method: 'GET', url: '/api/v1/completeness?format=csv', headers: a.auth });
  assert.match(zh.body, /产品型号/);
  assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/completeness', headers: b.auth })).json().items.length, 0);
});
