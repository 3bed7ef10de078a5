import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { DirectoryBlobStore } from '../platform/blobs.ts';
import { campaignObligationStatus, obligationsFor, syncCampaignObligations } from '../obligations/index.ts';
import { verifyAudit } from '../platform/audit.ts';
import { sha256Hex } from '../platform/canonical.ts';
import { unitOfWork } from '../platform/usecase.ts';
import { testApp, type TestApp, type TestTenant } from '../../test/support.ts';
import { EXAMPLE_CONTENT, EXAMPLE_EVIDENCE } from './examples.ts';
import { filingsFor, currentFiled } from './index.ts';
import { verifyPackage } from './package.ts';
import { readZip } from './zip.ts';

let t: TestApp;
let a: TestTenant, b: TestTenant, miit: TestTenant, samr: TestTenant;
const clone = (v: unknown): any => JSON.parse(JSON.stringify(v));

async function call(who: TestTenant | null, method: 'GET' | 'POST', url: string, payload?: unknown) {
  const res = await t.app.inject({ method, url, headers: who ? who.auth : {}, ...(payload === undefined ? {} : { payload: payload as any }) });
  return { status: res.statusCode, body: res.headers['content-type']?.toString().includes('json') ? res.json() : undefined, raw: res.rawPayload, headers: res.headers };
}
const build = (who: TestTenant, kind: string, subject: string, content: unknown, extra: Record<string, unknown> = {}) =>
  call(who, 'POST', '/api/v1/filings', { kind, subject, input: { content }, ...extra });
const submit = (who: TestTenant, id: string, reference: string, channel = 'miit-ota-system') =>
  call(who, 'POST', `/api/v1/filings/${id}/submissions`, { channel, submittedOn: '2026-11-25', reference });

before(async () => {
  t = await testApp({ now: '2026-11-25T08:00:00Z' });
  for (const bytes of EXAMPLE_EVIDENCE.values()) await t.deps.blobs!.put(bytes);
  a = await t.tenant({ overseas: true, name: 'Alpha Motors GmbH' });
  b = await t.tenant({ name: 'Beta Motors Co., Ltd.' });
  miit = await t.tenant({ kind: 'regulator', regulator: 'MIIT' });
  samr = await t.tenant({ kind: 'regulator', regulator: 'SAMR' });
});
after(() => t.close());

describe('building packages', () => {
  test('a package is built from the given content, downloaded byte-identical, and re-sending it builds no duplicate', async () => {
    const first = await build(a, 'ota-filing-samr', 'cmp_build', EXAMPLE_CONTENT['ota-filing-samr']);
    assert.equal(first.status, 201, JSON.stringify(first.body));
    const f = first.body;
    assert.equal(f.addressee, 'SAMR');
    assert.equal(f.version, 1);
    assert.equal(f.state, 'built');
    assert.equal(f.subjectDigest, (EXAMPLE_CONTENT['ota-filing-samr'] as any).campaign.contentDigest);

    const zip1 = await call(a, 'GET', `/api/v1/filings/${f.id}/package.zip`);
    const zip2 = await call(a, 'GET', `/api/v1/filings/${f.id}/package.zip`);
    assert.equal(zip1.status, 200);
    assert.ok(zip1.raw.equals(zip2.raw), 'two downloads are byte-identical');
    assert.equal(sha256Hex(zip1.raw), f.packageSha256);
    assert.equal(verifyPackage(zip1.raw).ok, true);
    const json = await call(a, 'GET', `/api/v1/filings/${f.id}/filing.json`);
    assert.equal(sha256Hex(json.raw), f.contentDigest);
    assert.ok(readZip(zip1.raw).get('filing.json')!.equals(json.raw));
    const pdf = await call(a, 'GET', `/api/v1/filings/${f.id}/package.pdf`);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.equal(sha256Hex(pdf.raw), f.pdfSha256);

    const again = await build(a, 'ota-filing-samr', 'cmp_build', EXAMPLE_CONTENT['ota-filing-samr']);
    assert.equal(again.status, 200);
    assert.equal(again.body.id, f.id);
  });

  test('bad input names the field and writes nothing', async () => {
    const before = (await call(a, 'GET', '/api/v1/filings?limit=200')).body.total;
    const none = await call(a, 'POST', '/api/v1/filings', { kind: 'recall-filing', subject: 'cmp_bad' });
    assert.equal(none.status, 404, 'no such campaign, and no hand-written content either');
    const broken = clone(EXAMPLE_CONTENT['recall-filing']);
    broken.recall.plan.start = 'soon';
    const bad = await build(a, 'recall-filing', 'cmp_bad', broken);
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.body.errors.map((e: any) => e.path), ['content.recall.plan.start']);
    const wrongAddressee = await build(a, 'recall-filing', 'cmp_bad', EXAMPLE_CONTENT['recall-filing'], { addressee: 'MIIT' });
    assert.equal(wrongAddressee.status, 422);
    assert.deepEqual(wrongAddressee.body.errors.map((e: any) => e.path), ['addressee']);
    const unknownKind = await call(a, 'POST', '/api/v1/filings', { kind: 'bribe', subject: 'x' });
    assert.equal(unknownKind.status, 422);
    const notUploaded = clone(EXAMPLE_CONTENT['recall-filing']);
    notUploaded.evidence[0].sha256 = sha256Hex('never uploaded');
    const missingEvidence = await build(a, 'recall-filing', 'cmp_bad', notUploaded);
    assert.equal(missingEvidence.status, 422);
    assert.match(missingEvidence.body.errors[0].message, /has not been uploaded/);
    assert.equal((await call(a, 'GET', '/api/v1/filings?limit=200')).body.total, before);
  });

  test('a bad submission or decision names its field and changes nothing', async () => {
    const f = (await build(a, 'ota-filing-samr', 'cmp_badsub', EXAMPLE_CONTENT['ota-filing-samr'])).body;
    const badDate = await call(a, 'POST', `/api/v1/filings/${f.id}/submissions`, { channel: 'email', submittedOn: '2026-02-30', reference: 'X' });
    assert.equal(badDate.status, 422);
    assert.deepEqual(badDate.body.errors.map((e: any) => e.path), ['submittedOn']);
    const future = await call(a, 'POST', `/api/v1/filings/${f.id}/submissions`, { channel: 'email', submittedOn: '2027-01-01', reference: 'X' });
    assert.equal(future.status, 422);
    const badChannel = await call(a, 'POST', `/api/v1/filings/${f.id}/submissions`, { channel: 'carrier pigeon', submittedOn: '2026-11-25' });
    assert.deepEqual(badChannel.body.errors.map((e: any) => e.path), ['channel']);
    const after = (await call(a, 'GET', `/api/v1/filings/${f.id}`)).body;
    assert.equal(after.state, 'built');
    assert.deepEqual(after.submissions, []);
    const notZip = await t.app.inject({ method: 'POST', url: '/api/v1/filings/package-check', headers: { 'content-type': 'application/zip' }, payload: Buffer.from('PK but not really a zip file at all') });
    assert.equal(notZip.statusCode, 422);
  });

  test('evidence changed in storage after the package was built is refused at download, never served', async () => {
    const content = clone(EXAMPLE_CONTENT['recall-filing']);
    const bytes = Buffer.from('HIL report for the tamper test\n');
    const info = await t.deps.blobs!.put(bytes);
    content.evidence = [{ sha256: info.sha256, filename: 'tamper.txt', mediaType: 'text/plain', size: info.size, title: 'tamper test' }];
    const f = (await build(a, 'recall-filing', 'cmp_tamper', content)).body;
    const path = (t.deps.blobs as DirectoryBlobStore).pathOf(info.sha256);
    chmodSync(path, 0o644);
    writeFileSync(path, 'HIL report, edited afterwards\n');
    const res = await call(a, 'GET', `/api/v1/filings/${f.id}/package.zip`);
    assert.equal(res.status, 500);
    assert.equal(res.body.code, 'integrity_error');
    assert.match(res.body.detail, new RegExp(info.sha256));
  });

  test('a stored package cannot be changed in the database', async () => {
    const f = (await build(a, 'change-permit', 'cmp_immutable', EXAMPLE_CONTENT['change-permit'])).body;
    await assert.rejects(t.deps.db.tx('owner', (sql) => sql.query(`UPDATE filings SET document = '{}' WHERE id = $1`, [f.id])), /never changes/);
    await assert.rejects(t.deps.db.tx('owner', (sql) => sql.query(`DELETE FROM filings WHERE id = $1`, [f.id])), /append-only/);
  });
});

describe('submissions, decisions and the obligations they move', () => {
  const campaign = 'cmp_journey';
  let v1: any;

  test('a submission with a receipt number turns the matching obligation submitted; re-sending it changes nothing', async () => {
    await unitOfWork(t.deps, a.actor, (u) => syncCampaignObligations(u, { id: campaign, productIds: [], class: 'B', recall: false, plannedReleaseAt: '2026-12-07T00:00:00Z' }));
    v1 = (await build(a, 'ota-filing-miit', campaign, EXAMPLE_CONTENT['ota-filing-miit'])).body;
    const res = await submit(a, v1.id, 'MIIT-OTA-2026-0042');
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.state, 'submitted');
    assert.equal(res.body.submissions.length, 1);
    const [oblId] = res.body.submissions[0].obligationIds;
    const obligations = await t.deps.db.tx({ tenantId: a.tenantId }, (sql) => obligationsFor(sql, a.tenantId, { type: 'campaign', id: campaign }));
    const miitFiling = obligations.find((o) => o.part === 'miit-filing')!;
    assert.equal(oblId, miitFiling.id);
    assert.equal(miitFiling.status, 'submitted');
    assert.equal(obligations.find((o) => o.part === 'samr-filing')!.status, 'open', 'the SAMR filing obligation is untouched by a MIIT package');

    const resend = await submit(a, v1.id, 'MIIT-OTA-2026-0042');
    assert.equal(resend.status, 200);
    assert.equal(resend.body.submissions.length, 1);

    const records = await t.deps.db.tx({ tenantId: a.tenantId }, (sql) => filingsFor(sql, a.tenantId, 'campaign', campaign));
    const filed = currentFiled(records, 'ota-filing-miit', 'MIIT')!;
    assert.equal(filed.id, v1.id);
    assert.equal(filed.subjectDigest, (EXAMPLE_CONTENT['ota-filing-miit'] as any).campaign.contentDigest);
    assert.equal(filed.submissions[0].reference, 'MIIT-OTA-2026-0042');
  });

  test('more information requested reopens the obligation and keeps the campaign from clearing until the answer is filed and accepted', async () => {
    const asked = await call(miit, 'POST', `/api/v1/filings/${v1.id}/decisions`, { decision: 'info_requested', reason: '请补充 HIL 验证的边界工况 / add the HIL boundary cases' });
    assert.equal(asked.status, 201, JSON.stringify(asked.body));
    assert.equal(asked.body.state, 'info_requested');
    const gate = () => t.deps.db.tx({ tenantId: a.tenantId }, (sql) => campaignObligationStatus(sql, a.tenantId, { campaignId: campaign, productIds: [] }));
    const blocked = (await gate()).missing.find((m) => m.part === 'miit-filing');
    assert.equal(blocked?.status, 'open');
    const obl = (await t.deps.db.tx({ tenantId: a.tenantId }, (sql) => obligationsFor(sql, a.tenantId, { type: 'campaign', id: campaign }))).find((o) => o.part === 'miit-filing')!;
    assert.match(obl.statusReason ?? '', /HIL boundary cases/);
    assert.equal(currentFiled(await t.deps.db.tx({ tenantId: a.tenantId }, (sql) => filingsFor(sql, a.tenantId, 'campaign', campaign)), 'ota-filing-miit', 'MIIT'), undefined);

    // The answer: a corrected version referring to the old one; the old one stays as it was.
    const answer = clone(EXAMPLE_CONTENT['ota-filing-miit']);
    answer.affects.rationale += ' HIL boundary cases: 240 added, all pass.';
    const wrongHead = await build(a, 'ota-filing-miit', campaign, answer, { supersedes: 'fil_not_the_latest' });
    assert.equal(wrongHead.status, 409);
    const v2 = (await build(a, 'ota-filing-miit', campaign, answer, { supersedes: v1.id })).body;
    assert.equal(v2.version, 2);
    assert.equal(v2.supersedes, v1.id);
    const old = (await call(a, 'GET', `/api/v1/filings/${v1.id}`)).body;
    assert.equal(old.supersededBy, v2.id);
    assert.equal(old.packageSha256, v1.packageSha256, 'the submitted version never changes');
    assert.equal((await submit(a, v1.id, 'late')).status, 409, 'a superseded version takes no submission');

    assert.equal((await submit(a, v2.id, 'MIIT-OTA-2026-0042-2')).status, 201);
    assert.equal((await gate()).missing.find((m) => m.part === 'miit-filing'), undefined);
    const accepted = await call(miit, 'POST', `/api/v1/filings/${v2.id}/decisions`, { decision: 'accepted' });
    assert.equal(accepted.status, 201);
    const obl2 = (await t.deps.db.tx({ tenantId: a.tenantId }, (sql) => obligationsFor(sql, a.tenantId, { type: 'campaign', id: campaign }))).find((o) => o.part === 'miit-filing')!;
    assert.equal(obl2.status, 'accepted');
    const again = await call(miit, 'POST', `/api/v1/filings/${v2.id}/decisions`, { decision: 'rejected', reason: 'changed my mind' });
    assert.equal(again.status, 409, 'an accepted filing takes no further decision');
  });

  test('a permit is granted only on a change-permit filing, with its reference, and accepts the permit obligation', async () => {
    const filing = (await build(a, 'ota-filing-miit', 'cmp_permit', EXAMPLE_CONTENT['ota-filing-miit'])).body;
    await submit(a, filing.id, 'R-1');
    const wrongKind = await call(miit, 'POST', `/api/v1/filings/${filing.id}/decisions`, { decision: 'permit_granted', reference: 'P-1' });
    assert.equal(wrongKind.status, 422);
    const noReason = await call(miit, 'POST', `/api/v1/filings/${filing.id}/decisions`, { decision: 'rejected' });
    assert.deepEqual(noReason.body.errors.map((e: any) => e.path), ['reason']);
    const badDay = await call(miit, 'POST', `/api/v1/filings/${filing.id}/decisions`, { decision: 'accepted', decidedOn: '2026-13-01' });
    assert.deepEqual(badDay.body.errors.map((e: any) => e.path), ['decidedOn']);
    assert.equal((await call(a, 'GET', `/api/v1/filings/${filing.id}`)).body.state, 'submitted', 'refused decisions change nothing');
    await unitOfWork(t.deps, a.actor, (u) => syncCampaignObligations(u, { id: 'cmp_permit', productIds: [], class: 'B', recall: false }));
    const permit = (await build(a, 'change-permit', 'cmp_permit', EXAMPLE_CONTENT['change-permit'])).body;
    assert.equal((await submit(a, permit.id, 'CP-2026-7')).status, 201);
    const noRef = await call(miit, 'POST', `/api/v1/filings/${permit.id}/decisions`, { decision: 'permit_granted' });
    assert.equal(noRef.status, 422);
    assert.deepEqual(noRef.body.errors.map((e: any) => e.path), ['reference']);
    const granted = await call(miit, 'POST', `/api/v1/filings/${permit.id}/decisions`, { decision: 'permit_granted', reference: '工信部许可 2026-0311' });
    assert.equal(granted.status, 201);
    assert.equal(granted.body.decisions[0].reference, '工信部许可 2026-0311');
    const obl = (await t.deps.db.tx({ tenantId: a.tenantId }, (sql) => obligationsFor(sql, a.tenantId, { type: 'campaign', id: 'cmp_permit' }))).find((o) => o.part === 'miit-change-permit')!;
    assert.equal(obl.status, 'accepted');
    assert.equal(obl.decisionReference, '工信部许可 2026-0311');
  });

  test('after a rejection the same content can be filed again as a new version', async () => {
    await unitOfWork(t.deps, a.actor, (u) => syncCampaignObligations(u, { id: 'cmp_rejected', productIds: [], class: 'A', recall: false }));
    const v1 = (await build(a, 'ota-filing-samr', 'cmp_rejected', EXAMPLE_CONTENT['ota-filing-samr'])).body;
    await submit(a, v1.id, 'SAMR-R-1', 'samr-recall-platform');
    const rejected = await call(samr, 'POST', `/api/v1/filings/${v1.id}/decisions`, { decision: 'rejected', reason: '信息表未盖章 / the sheet is not sealed' });
    assert.equal(rejected.status, 201);
    const obl = (await t.deps.db.tx({ tenantId: a.tenantId }, (sql) => obligationsFor(sql, a.tenantId, { type: 'campaign', id: 'cmp_rejected' }))).filter((o) => o.addressee === 'SAMR');
    assert.ok(obl.length > 0 && obl.every((o) => o.status === 'rejected'), obl.map((o) => `${o.part}:${o.status}`).join(','));
    assert.equal((await submit(a, v1.id, 'SAMR-R-2', 'samr-recall-platform')).status, 409, 'a rejected version takes no submission');
    const v2 = await build(a, 'ota-filing-samr', 'cmp_rejected', EXAMPLE_CONTENT['ota-filing-samr']);
    assert.equal(v2.status, 201);
    assert.equal(v2.body.version, 2);
    assert.equal((await submit(a, v2.body.id, 'SAMR-R-2', 'samr-recall-platform')).status, 201);
    const after = (await t.deps.db.tx({ tenantId: a.tenantId }, (sql) => obligationsFor(sql, a.tenantId, { type: 'campaign', id: 'cmp_rejected' }))).filter((o) => o.addressee === 'SAMR');
    assert.ok(after.every((o) => o.status === 'submitted'));
  });

  test('a manufacturer cannot record a regulator decision', async () => {
    const res = await call(a, 'POST', `/api/v1/filings/${v1.id}/decisions`, { decision: 'accepted' });
    assert.equal(res.status, 403);
  });
});

describe('isolation', () => {
  let aSamr: any, aMiitBuilt: any, bSamr: any;
  before(async () => {
    aSamr = (await build(a, 'recall-filing', 'cmp_iso', EXAMPLE_CONTENT['recall-filing'])).body;
    aMiitBuilt = (await build(a, 'implementation-report', 'cmp_iso', EXAMPLE_CONTENT['implementation-report'])).body;
    bSamr = (await build(b, 'recall-filing', 'cmp_b', EXAMPLE_CONTENT['recall-filing'])).body;
  });

  test('a regulator sees nothing until it is submitted to it, and never what went to the other authority', async () => {
    const ids = async (who: TestTenant) => (await call(who, 'GET', '/api/v1/regulator/filings?limit=200')).body.items.map((f: any) => f.id);
    assert.ok(!(await ids(samr)).includes(aSamr.id), 'a built, unsubmitted package is not addressed to anyone yet');
    assert.equal((await call(samr, 'GET', `/api/v1/regulator/filings/${aSamr.id}`)).status, 404);

    await submit(a, aSamr.id, 'SAMR-RC-2026-11', 'samr-recall-platform');
    await submit(b, bSamr.id, 'SAMR-RC-B-9', 'samr-recall-platform');
    const samrSees = await ids(samr);
    assert.ok(samrSees.includes(aSamr.id) && samrSees.includes(bSamr.id), 'SAMR sees what both manufacturers submitted to it');
    const all = (await call(samr, 'GET', '/api/v1/regulator/filings?limit=200')).body;
    assert.equal(all.authority, 'SAMR');
    assert.ok(all.items.every((f: any) => f.addressee === 'SAMR' && f.state !== 'built'));

    const miitSees = await ids(miit);
    assert.ok(!miitSees.includes(aSamr.id) && !miitSees.includes(bSamr.id), 'MIIT sees nothing addressed to SAMR');
    assert.ok(!miitSees.includes(aMiitBuilt.id), 'nor a MIIT package that was never submitted');
    for (const url of [`/api/v1/regulator/filings/${aSamr.id}`, `/api/v1/regulator/filings/${aSamr.id}/package.zip`, `/api/v1/regulator/filings/${aSamr.id}/package.pdf`]) {
      assert.equal((await call(miit, 'GET', url)).status, 404, url);
    }
    assert.equal((await call(miit, 'POST', `/api/v1/filings/${aSamr.id}/decisions`, { decision: 'accepted' })).status, 404);
    assert.equal((await call(miit, 'POST', `/api/v1/filings/${aMiitBuilt.id}/decisions`, { decision: 'accepted' })).status, 404, 'not submitted yet');

    const zip = await call(samr, 'GET', `/api/v1/regulator/filings/${aSamr.id}/package.zip`);
    assert.equal(zip.status, 200);
    assert.equal(sha256Hex(zip.raw), aSamr.packageSha256);
    const check = await t.app.inject({ method: 'POST', url: `/api/v1/regulator/filings/${aSamr.id}/package-check`, headers: { ...samr.auth, 'content-type': 'application/zip' }, payload: zip.raw });
    assert.equal(check.json().ok, true);
  });

  test('regulator routes refuse manufacturer users, and manufacturer routes refuse regulators', async () => {
    assert.equal((await call(a, 'GET', '/api/v1/regulator/filings')).status, 403);
    assert.equal((await call(samr, 'GET', `/api/v1/filings/${aSamr.id}`)).status, 403);
    assert.equal((await call(samr, 'POST', '/api/v1/filings', { kind: 'recall-filing', subject: 'x' })).status, 403);
  });

  test('a manufacturer never sees another manufacturer\'s filings', async () => {
    assert.equal((await call(b, 'GET', `/api/v1/filings/${aSamr.id}`)).status, 404);
    assert.equal((await call(b, 'GET', `/api/v1/filings/${aSamr.id}/package.zip`)).status, 404);
    assert.equal((await call(b, 'GET', `/api/v1/filings/${aSamr.id}/package.pdf`)).status, 404);
    assert.equal((await submit(b, aSamr.id, 'X')).status, 404);
    const list = (await call(b, 'GET', '/api/v1/filings?limit=200')).body;
    assert.ok(list.items.length > 0 && list.items.every((f: any) => f.tenantId === b.tenantId));
    const records = await t.deps.db.tx({ tenantId: b.tenantId }, (sql) => filingsFor(sql, b.tenantId, 'campaign', 'cmp_iso'));
    assert.deepEqual(records, []);
  });

  test('a package check on an altered download names the changed file', async () => {
    const zip = (await call(samr, 'GET', `/api/v1/regulator/filings/${aSamr.id}/package.zip`)).raw;
    const entries = readZip(zip);
    const evidencePath = [...entries.keys()].find((p) => p.startsWith('evidence/'))!;
    const { deterministicZip } = await import('./zip.ts');
    const altered = await deterministicZip([...entries].map(([path, data]) => ({ path, data: path === evidencePath ? Buffer.from('forged report') : data })), new Date());
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/regulator/filings/${aSamr.id}/package-check`, headers: { ...samr.auth, 'content-type': 'application/zip' }, payload: altered });
    const body = res.json();
    assert.equal(body.ok, false);
    assert.deepEqual(body.files.filter((f: any) => !f.ok).map((f: any) => [f.path, f.problem]), [[evidencePath, 'changed']]);
  });

  test('every step is in the audit chains, which verify', async () => {
    for (const tenantId of [a.tenantId, b.tenantId, miit.tenantId]) {
      const r = await t.deps.db.tx('operator', (sql) => verifyAudit(sql, tenantId));
      assert.equal(r.ok, true, JSON.stringify(r));
    }
    const actions = await t.deps.db.tx('operator', (sql) => sql.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE tenant_id = $1 AND subject_type = 'filing' ORDER BY seq`, [a.tenantId]));
    const names = new Set(actions.map((x) => x.action));
    for (const n of ['filing.built', 'filing.submitted', 'filing.info_requested', 'filing.accepted', 'filing.permit_granted']) assert.ok(names.has(n), n);
    const regulatorSide = await t.deps.db.tx('operator', (sql) => sql.query<{ action: string }>(`SELECT action FROM audit_log WHERE tenant_id = $1`, [miit.tenantId]));
    assert.ok(regulatorSide.some((x) => x.action === 'filing.accepted'));
  });
});
