import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { testApp, type TestApp, type TestTenant } from '../../test/support.ts';
import { obligationsFor } from '../obligations/index.ts';
import { fullValues, pdf } from '../products/test-fixtures.ts';
import { readZip } from './zip.ts';

// Packages built from other slices' stored state: products (parameters, evidence) and incidents (report versions).
let t: TestApp;
let m: TestTenant;
const tmp = mkdtempSync(join(tmpdir(), 'filings-src-'));

async function req(method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, headers: Record<string, string> = {}) {
  const r = await t.app.inject({ method, url, headers: { ...m.auth, ...headers }, ...(payload === undefined ? {} : { payload: payload as any }) });
  return { status: r.statusCode, json: () => r.json(), raw: r.rawPayload, body: r.body };
}

before(async () => {
  t = await testApp({ now: '2026-11-25T08:00:00Z' });
  m = await t.tenant({ overseas: true, role: 'admin' });
});
after(() => t.close());

test('supplementary parameters: built from the frozen version with catalog labels and linked evidence, submitted to MIIT and SAMR', async () => {
  const p = (await req('POST', '/api/v1/products', { model: 'EXM7000BEVA', name: { zh: '示例轿车', en: 'Example Sedan' }, category: 'M1', cdas: true, ota: true, automationLevel: 2 })).json();
  const none = await req('POST', '/api/v1/filings', { kind: 'supplementary-parameters', subject: p.id });
  assert.equal(none.status, 422, 'nothing frozen yet');
  assert.match(none.json().errors[0].message, /no frozen parameter version/);

  assert.equal((await req('PUT', `/api/v1/products/${p.id}/parameters/draft`, { values: fullValues() })).status, 200);
  const report = pdf('DMS test report CAICV-2026-0815');
  const up = await req('POST', '/api/v1/evidence', report, {
    'content-type': 'application/pdf', 'x-evidence-title': encodeURIComponent('驾驶员监测检验报告'), 'x-evidence-lab': 'CAICV', 'x-evidence-report-no': 'CAICV-2026-0815',
    'x-evidence-issued-on': '2026-08-15', 'x-evidence-product': p.id, 'x-evidence-version': 'draft', 'x-evidence-keys': 'cdas.dms.handsOffDetection', 'x-evidence-filename': 'dms.pdf',
  });
  assert.ok(up.status === 201 || up.status === 200, up.body);
  assert.equal((await req('POST', `/api/v1/products/${p.id}/parameters/draft/submit`)).status, 201);

  const miit = await req('POST', '/api/v1/filings', { kind: 'supplementary-parameters', subject: p.id });
  assert.equal(miit.status, 201, miit.body);
  const doc = JSON.parse(readZip((await req('GET', `/api/v1/filings/${miit.json().id}/package.zip`)).raw).get('filing.json')!.toString());
  assert.equal(doc.filing.addressee, 'MIIT');
  assert.equal(doc.content.parameterSet.version, 1);
  assert.equal(doc.content.basis, 'N45-2', 'a product still applying files with its access application');
  const hands = doc.content.parameters.find((x: any) => x.key === 'cdas.dms.handsOffDetection');
  assert.equal(hands.evidence.length, 1);
  assert.equal(hands.label.zh.length > 0, true);
  assert.equal(doc.content.evidence[0].sha256, hands.evidence[0]);
  const entries = readZip((await req('GET', `/api/v1/filings/${miit.json().id}/package.zip`)).raw);
  assert.ok([...entries.keys()].some((k) => k.startsWith('evidence/') && k.endsWith('dms.pdf')));

  const samr = await req('POST', '/api/v1/filings', { kind: 'supplementary-parameters', subject: p.id, addressee: 'SAMR' });
  assert.equal(samr.status, 201);
  assert.notEqual(samr.json().id, miit.json().id, 'one package per addressee');

  for (const [f, ref] of [[miit.json(), 'MIIT-P-2026-1'], [samr.json(), 'SAMR-P-2026-1']] as const) {
    const s = await req('POST', `/api/v1/filings/${f.id}/submissions`, { channel: 'other', submittedOn: '2026-11-25', reference: ref });
    assert.equal(s.status, 201, s.body);
  }
  const obligations = await t.deps.db.tx({ tenantId: m.tenantId }, (sql) => obligationsFor(sql, m.tenantId, { type: 'product', id: p.id }));
  const params = obligations.filter((o) => o.rule === 'N45-2' || o.rule === 'N45-3');
  assert.ok(params.length >= 2, `parameter obligations exist: ${obligations.map((o) => o.key).join(', ')}`);
  for (const o of params) assert.equal(o.status, 'submitted', `${o.key} is ${o.status}`);
});

test('incident report: the report version the incidents slice publishes, in Chinese in the PDF; an update is a new package version and the first stays', async () => {
  const ev = await req('POST', '/api/v1/incidents/events', {
    type: 'collision', vin: 'LSVAU218XN2183294', occurredAt: '2026-11-20T11:00:00+08:00', awareAt: '2026-11-20T11:05:00+08:00',
    cdas: { function: 'NOA', engagement: 'verified_engaged', secondsBeforeImpact: 2 }, software: [{ ecu: 'ADCU', version: '2026.40.1' }],
    location: { province: '上海市', city: '上海市' }, severity: { hospitalInjury: true },
  });
  assert.ok(ev.status === 200 || ev.status === 201, ev.body);
  const inc = (await req('GET', '/api/v1/incidents?limit=5')).json().items[0];
  const noReport = await req('POST', '/api/v1/filings', { kind: 'incident-report', subject: inc.id, addressee: 'SAMR' });
  if (noReport.status !== 201) {
    assert.equal(noReport.status, 404, noReport.body);
    const r1 = await req('POST', `/api/v1/incidents/${inc.id}/reports`, { type: 'first', narrative: '导航辅助开启时与前车追尾，一名乘员送医。', basedOnVersion: 0 });
    assert.equal(r1.status, 201, r1.body);
  }
  const v1 = await req('POST', '/api/v1/filings', { kind: 'incident-report', subject: inc.id, addressee: 'SAMR' });
  assert.equal(v1.status, 201, v1.body);
  const pdfPath = join(tmp, 'incident.pdf');
  writeFileSync(pdfPath, (await req('GET', `/api/v1/filings/${v1.json().id}/package.pdf`)).raw);
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdfPath, '-'], { encoding: 'utf8' });
  assert.ok(text.includes('组合驾驶辅助系统事件事故报告'), 'the kind title in Chinese');
  assert.ok(text.includes(inc.id));

  const s = await req('POST', `/api/v1/filings/${v1.json().id}/submissions`, { channel: 'email', submittedOn: '2026-11-25', reference: 'SAMR-INC-0001' });
  assert.equal(s.status, 201, s.body);
  const incObligations = await t.deps.db.tx({ tenantId: m.tenantId }, (sql) => obligationsFor(sql, m.tenantId, { type: 'incident', id: inc.id }));
  const samrReports = incObligations.filter((o) => o.rule === 'N45-5' && o.addressee === 'SAMR');
  assert.ok(samrReports.length > 0, `N45-5 obligations: ${incObligations.map((o) => o.key).join(', ')}`);
  assert.deepEqual(samrReports.filter((o) => o.status === 'submitted').map((o) => o.part), ['first-report'], 'the first report answers the first-report deadline only');
  assert.ok(incObligations.filter((o) => o.addressee === 'MIIT').every((o) => o.status === 'open'), 'a SAMR package leaves the MIIT duties open');
  const doc1 = JSON.parse(readZip((await req('GET', `/api/v1/filings/${v1.json().id}/package.zip`)).raw).get('filing.json')!.toString());
  assert.equal(doc1.content.redacted, true);

  const latest = doc1.content.report.version;
  const r2 = await req('POST', `/api/v1/incidents/${inc.id}/reports`, { type: 'update', narrative: '交警认定：前车急刹。', basedOnVersion: latest });
  assert.equal(r2.status, 201, r2.body);
  const v2 = await req('POST', '/api/v1/filings', { kind: 'incident-report', subject: inc.id, addressee: 'SAMR' });
  assert.equal(v2.status, 201, v2.body);
  assert.equal(v2.json().version, 2);
  assert.equal(v2.json().supersedes, v1.json().id);
  const again = (await req('GET', `/api/v1/filings/${v1.json().id}`)).json();
  assert.equal(again.packageSha256, v1.json().packageSha256, 'version 1 stays as it was');
  assert.equal(again.submissions[0].reference, 'SAMR-INC-0001');
});

test('sandbox documents: uploaded files with their roles; a missing required role is named', async () => {
  const p = (await req('POST', '/api/v1/products', { model: 'EXM7000BEVS', name: { zh: '示例轿车', en: 'Example Sedan' }, category: 'M1', cdas: true, ota: true, automationLevel: 2 })).json();
  const upload = async (name: string) => {
    const r = await req('POST', '/api/v1/evidence', pdf(name), { 'content-type': 'application/pdf', 'x-evidence-title': encodeURIComponent(name), 'x-evidence-lab': 'CAICV',
      'x-evidence-report-no': name, 'x-evidence-issued-on': '2026-10-01', 'x-evidence-filename': `${name}.pdf` });
    assert.ok(r.status === 201 || r.status === 200, r.body);
    return r.json().evidence.sha256 as string;
  };
  const plan = await upload('in-depth-testing-plan'), risk = await upload('risk-assessment-plan'), prelim = await upload('preliminary-test-report');
  const incomplete = await req('POST', '/api/v1/filings', { kind: 'sandbox-documents', subject: p.id,
    input: { accessPermit: { reference: '准入 2026-0098', grantedOn: '2026-10-20' }, documents: [{ role: 'in-depth-testing-plan', sha256: plan }, { role: 'risk-assessment-plan', sha256: risk }] } });
  assert.equal(incomplete.status, 422);
  assert.deepEqual(incomplete.json().errors.map((e: any) => e.path), ['content.documents']);
  assert.match(incomplete.json().errors[0].message, /preliminary-test-report/);
  const badRole = await req('POST', '/api/v1/filings', { kind: 'sandbox-documents', subject: p.id, input: { documents: [{ role: 'brochure', sha256: plan }] } });
  assert.deepEqual(badRole.json().errors.map((e: any) => e.path), ['input.documents.0.role']);

  const ok = await req('POST', '/api/v1/filings', { kind: 'sandbox-documents', subject: p.id,
    input: { accessPermit: { reference: '准入 2026-0098', grantedOn: '2026-10-20' }, documents: [
      { role: 'in-depth-testing-plan', sha256: plan, filename: '深度测试方案.pdf' }, { role: 'risk-assessment-plan', sha256: risk }, { role: 'preliminary-test-report', sha256: prelim }] } });
  assert.equal(ok.status, 201, ok.body);
  assert.equal(ok.json().addressee, 'SAMR');
  const files = ok.json().manifest.files.filter((f: any) => f.role === 'evidence').map((f: any) => f.sha256).sort();
  assert.deepEqual(files, [plan, risk, prelim].sort());
  assert.equal((await req('POST', '/api/v1/filings', { kind: 'sandbox-documents', subject: 'prd_nope', input: { documents: [] } })).status, 404);
});
