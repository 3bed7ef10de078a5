import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp, type TestTenant } from '../../test/support.ts';
import { unitOfWork } from '../platform/usecase.ts';
import {
  campaignObligationStatus, obligationsFor, sweepReminders, syncCampaignObligations, syncIncidentObligations, syncProductObligations,
} from './index.ts';

let t: TestApp;
let ovs: TestTenant; // overseas manufacturer, admin token
let second: TestTenant; // a second user (compliance) in the same tenant
let other: TestTenant; // another manufacturer

before(async () => {
  t = await testApp({ now: '2026-11-25T02:00:00Z' });
  ovs = await t.tenant({ overseas: true });
  second = await t.token(ovs.tenantId, 'compliance');
  other = await t.tenant();
});
after(() => t.close());

const get = (url: string, who: TestTenant | { auth: { authorization: string } } = ovs) => t.app.inject({ method: 'GET', url, headers: who.auth });
const post = (url: string, body: unknown, who: { auth: { authorization: string } } = ovs) =>
  t.app.inject({ method: 'POST', url, headers: who.auth, payload: body as any });
const inTenant = <T>(who: TestTenant, fn: Parameters<typeof unitOfWork<T>>[2]) => unitOfWork(t.deps, who.actor, fn);

test('back-fill on day one: an approved product shows what is already overdue, with source and policy', async () => {
  const atCreation = ((await get('/api/v1/obligations')).json().items as any[]).map((o) => o.rule);
  assert.deepEqual(atCreation, ['N45-over'], 'creating an overseas tenant back-fills its manufacturer duties at once');
  const r = await inTenant(ovs, (u) => syncProductObligations(u, { id: 'prd_a', model: 'EXM1', cdas: true, ota: true, accessApprovedOn: '2024-03-01', productionAccessGrantedOn: '2024-03-01' }));
  assert.deepEqual(r.created.sort(), [
    'M22-1a:manufacturer:' + ovs.tenantId + ':MIIT', 'M22-1b:product:prd_a:MIIT', 'N45-3:product:prd_a:MIIT', 'N45-3:product:prd_a:SAMR',
    'N45-4:product:prd_a:SAMR',
  ].sort());
  const again = await inTenant(ovs, (u) => syncProductObligations(u, { id: 'prd_a', model: 'EXM1', cdas: true, ota: true, accessApprovedOn: '2024-03-01', productionAccessGrantedOn: '2024-03-01' }));
  assert.equal(again.created.length + again.updated.length, 0, 're-running changes nothing');

  const res = await get('/api/v1/obligations?overdue=true');
  assert.equal(res.statusCode, 200, res.body);
  const items = res.json().items as any[];
  assert.deepEqual(items.map((o) => o.rule).sort(), ['N45-3', 'N45-3', 'N45-4']);
  const over = ((await get('/api/v1/obligations?rule=N45-over')).json().items as any[])[0];
  assert.equal(over.due.condition, 'immediately');
  assert.equal(over.due.basis, 'policy');
  assert.equal(over.dueSoon, true, 'an overseas tenant created today: the importer designation is due at once');
  const n453 = items.find((o) => o.rule === 'N45-3' && o.addressee === 'SAMR');
  assert.equal(n453.due.date, '2025-06-01');
  assert.equal(n453.due.basis, 'law');
  assert.equal(n453.actingParty, 'importer');
  assert.match(n453.source, /45号/);
  assert.equal(n453.overdue, true);
  assert.equal(items.find((o) => o.rule === 'N45-4').due.basis, 'policy');

  const sum = (await get('/api/v1/obligations/summary')).json();
  assert.equal(sum.overdue, 3);
  assert.equal(sum.policy.sandboxWorkingDays.value, 10);
  assert.equal(sum.policy.sandboxWorkingDays.basis, 'policy');
  assert.deepEqual(sum.byAddressee.map((a: any) => [a.addressee, a.overdue]), [['MIIT', 1], ['SAMR', 2]]);
});

test('another tenant sees none of it, and gets 404 for its ids', async () => {
  const mine = (await get('/api/v1/obligations')).json().items as any[];
  assert.ok(mine.length > 0);
  assert.equal((await get('/api/v1/obligations', other)).json().total, 0);
  assert.equal((await get(`/api/v1/obligations/${mine[0].id}`, other)).statusCode, 404);
  assert.equal((await post(`/api/v1/obligations/${mine[0].id}/submissions`, { channel: 'x' }, other)).statusCode, 404);
});

test('submission, decision, reopening: statuses, history and bad input', async () => {
  const o = ((await get('/api/v1/obligations?rule=N45-3&addressee=MIIT')).json().items as any[])[0];
  const bad = await post(`/api/v1/obligations/${o.id}/submissions`, { channel: '', packageSha256: 'nothex' });
  assert.equal(bad.statusCode, 422);
  assert.deepEqual(bad.json().errors.map((e: any) => e.path).sort(), ['channel', 'packageSha256']);
  assert.equal((await get(`/api/v1/obligations/${o.id}`)).json().status, 'open', 'nothing written');

  const sha = 'a'.repeat(64);
  const s = await post(`/api/v1/obligations/${o.id}/submissions`, { channel: 'MIIT production conformity system', reference: 'MIIT-2026-0001', packageSha256: sha, submittedAt: '2026-11-24T08:00:00+08:00' });
  assert.equal(s.statusCode, 201, s.body);
  const after1 = s.json();
  assert.equal(after1.status, 'submitted');
  assert.equal(after1.overdue, false);
  assert.equal(after1.fulfilled, true, 'a filing with a receipt number fulfils a submission-type obligation');
  assert.equal(after1.submissions[0].reference, 'MIIT-2026-0001');
  assert.equal(after1.submissions[0].packageSha256, sha);
  assert.equal(after1.submissions[0].addressee, 'MIIT');

  const noReason = await post(`/api/v1/obligations/${o.id}/decisions`, { decision: 'rejected' });
  assert.equal(noReason.statusCode, 422);
  const rej = await post(`/api/v1/obligations/${o.id}/decisions`, { decision: 'rejected', reason: 'verification report missing for item 3.2' });
  assert.equal(rej.json().status, 'rejected');
  assert.equal(rej.json().statusReason, 'verification report missing for item 3.2');
  assert.equal(rej.json().overdue, true, 'a rejected obligation past its due date is overdue again');
  assert.equal((await post(`/api/v1/obligations/${o.id}/decisions`, { decision: 'accepted' })).statusCode, 409, 'rejected cannot be accepted without a new submission');
  await post(`/api/v1/obligations/${o.id}/submissions`, { channel: 'MIIT production conformity system', reference: 'MIIT-2026-0002' });
  const acc = await post(`/api/v1/obligations/${o.id}/decisions`, { decision: 'accepted', reference: 'OK-1' });
  assert.equal(acc.json().status, 'accepted');
  const reo = await post(`/api/v1/obligations/${o.id}/reopen`, { question: 'please add the lane-keeping test report' });
  assert.equal(reo.json().status, 'open');
  assert.equal(reo.json().statusReason, 'please add the lane-keeping test report');

  const audit = await get(`/api/v1/audit?subjectType=obligation&subject=${o.id}`);
  assert.equal(audit.statusCode, 200, audit.body);
  assert.ok((audit.json().items as any[]).every((e) => e.subjectId === o.id));
  const actions = (audit.json().items as any[]).map((e) => e.action);
  for (const a of ['obligation.created', 'obligation.submitted', 'obligation.rejected', 'obligation.accepted', 'obligation.reopened']) assert.ok(actions.includes(a), `${a} in ${actions}`);
});

test('waiver needs a justification and a second user', async () => {
  const o = ((await get('/api/v1/obligations?rule=N45-4')).json().items as any[])[0];
  assert.equal((await post(`/api/v1/obligations/${o.id}/waive`, { justification: 'no' })).statusCode, 422);
  assert.equal((await post(`/api/v1/obligations/${o.id}/waive/approve`, {}, second)).statusCode, 409, 'nothing to approve yet');
  const req = await post(`/api/v1/obligations/${o.id}/waive`, { justification: 'product withdrawn from the Chinese market before production' });
  assert.equal(req.json().status, 'open');
  assert.equal(req.json().waiverRequest.justification, 'product withdrawn from the Chinese market before production');
  const self = await post(`/api/v1/obligations/${o.id}/waive/approve`, {});
  assert.equal(self.statusCode, 403, self.body);
  const ok = await post(`/api/v1/obligations/${o.id}/waive/approve`, {}, second);
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal(ok.json().status, 'waived');
  assert.equal(ok.json().fulfilled, true);
  assert.equal(ok.json().overdue, false);
});

test('campaign gate: missing until every before-release obligation and the M22-1 filings are fulfilled', async () => {
  const campaign = { id: 'cmp_b', productIds: ['prd_a'], class: 'B' as const, recall: false, plannedReleaseAt: '2026-12-15T02:00:00Z' };
  await inTenant(ovs, (u) => syncCampaignObligations(u, campaign));
  let st = await inTenant(ovs, (u) => campaignObligationStatus(u.sql, u.tenantId, { campaignId: 'cmp_b', productIds: ['prd_a'] }));
  assert.equal(st.fulfilled, false);
  assert.deepEqual(st.missing.map((m) => m.rule).sort(), ['M22-1a', 'M22-1b', 'N45-6', 'N45-6', 'N45-7'].sort());

  for (const m of st.missing) {
    await post(`/api/v1/obligations/${m.obligationId}/submissions`, { channel: 'EIDC OTA filing system', reference: `R-${m.key}` });
  }
  st = await inTenant(ovs, (u) => campaignObligationStatus(u.sql, u.tenantId, { campaignId: 'cmp_b', productIds: ['prd_a'] }));
  assert.deepEqual(st.missing.map((m) => [m.rule, m.status]), [['N45-7', 'submitted']], 'a permit needs acceptance, not just a submission');
  await post(`/api/v1/obligations/${st.missing[0].obligationId}/decisions`, { decision: 'accepted', reference: 'permit 2026-77' });
  st = await inTenant(ovs, (u) => campaignObligationStatus(u.sql, u.tenantId, { campaignId: 'cmp_b', productIds: ['prd_a'] }));
  assert.equal(st.fulfilled, true);
  const permit = st.obligations.find((o) => o.rule === 'N45-7')!;
  assert.equal(permit.decisionReference, 'permit 2026-77');
  assert.equal(permit.lastSubmission?.reference, `R-${permit.key}`);

  // Re-classified to A: the open permit obligation would be withdrawn; the accepted one stays as history.
  const r = await inTenant(ovs, (u) => syncCampaignObligations(u, { ...campaign, class: 'A' }));
  assert.deepEqual(r.withdrawn, []);
  const list = await inTenant(ovs, (u) => obligationsFor(u.sql, u.tenantId, { type: 'campaign', id: 'cmp_b' }, u.now));
  assert.equal(list.find((o) => o.rule === 'N45-7')!.status, 'accepted');

  const never = await inTenant(ovs, (u) => campaignObligationStatus(u.sql, u.tenantId, { campaignId: 'cmp_none', productIds: ['prd_unknown'] }));
  assert.equal(never.fulfilled, false, 'obligations never derived do not clear by omission');
  assert.deepEqual(never.missing.map((m) => m.status), ['absent', 'absent']);
});

test('a changed release date reschedules open campaign obligations, with an audit entry and an event', async () => {
  await inTenant(ovs, (u) => syncCampaignObligations(u, { id: 'cmp_r', productIds: ['prd_a'], class: 'A', recall: false, plannedReleaseAt: '2026-12-15T02:00:00Z' }));
  const r = await inTenant(ovs, (u) => syncCampaignObligations(u, { id: 'cmp_r', productIds: ['prd_a'], class: 'A', recall: false, plannedReleaseAt: '2026-12-22T02:00:00Z' }));
  assert.deepEqual(r.updated.sort(), ['N45-6#miit-filing:campaign:cmp_r:MIIT', 'N45-6#samr-filing:campaign:cmp_r:SAMR']);
  const list = await inTenant(ovs, (u) => obligationsFor(u.sql, u.tenantId, { type: 'campaign', id: 'cmp_r' }, u.now));
  assert.deepEqual(list.map((o) => o.due.date), ['2026-12-21', '2026-12-21']);
  const events = await t.deps.db.tx('operator', (sql) => sql.query(`SELECT 1 FROM outbox WHERE type = 'obligation.rescheduled' AND subject_id = ANY($1::text[])`, [list.map((o) => o.id)]));
  assert.equal(events.length, 2);
});

test('re-classification withdraws open obligations no longer required', async () => {
  await inTenant(ovs, (u) => syncCampaignObligations(u, { id: 'cmp_c', productIds: ['prd_a'], class: 'C', recall: false }));
  const r = await inTenant(ovs, (u) => syncCampaignObligations(u, { id: 'cmp_c', productIds: ['prd_a'], class: 'A', recall: false }));
  assert.deepEqual(r.withdrawn, ['N45-7c#miit-ad-approval:campaign:cmp_c:MIIT']);
  const st = await inTenant(ovs, (u) => campaignObligationStatus(u.sql, u.tenantId, { campaignId: 'cmp_c', productIds: ['prd_a'] }));
  assert.ok(!st.missing.some((m) => m.rule === 'N45-7c'));
});

test('incident deadlines become N45-5 obligations to MIIT and SAMR', async () => {
  const r = await inTenant(ovs, (u) => syncIncidentObligations(u, { id: 'inc_1', intrusion: false, cdasInvolved: true,
    deadlines: [{ kind: 'first-report', due: '2026-11-26T02:00:00Z', when: '24 h after awareness (policy S1)', basis: 'policy', provisional: false }] }));
  assert.equal(r.created.length, 2);
  const due = (await get('/api/v1/obligations?subjectType=incident&dueSoon=true')).json();
  assert.equal(due.total, 2);
  assert.equal(due.items[0].due.basis, 'policy');
});

test('CSV and iCalendar exports carry due dates, provisional marks and sources', async () => {
  const csv = await get('/api/v1/obligations?format=csv&lang=en');
  assert.equal(csv.statusCode, 200);
  assert.match(csv.headers['content-type'] as string, /text\/csv/);
  const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
  assert.match(lines[0], /^id,rule,part,addressee/);
  assert.ok(lines.some((l) => l.includes('N45-3') && l.includes('2025-06-01')));
  const zh = await get('/api/v1/obligations?format=csv&lang=zh-CN');
  assert.match(zh.body, /报送对象/);
  const ics = await get('/api/v1/obligations?format=ics&lang=en');
  assert.match(ics.headers['content-type'] as string, /text\/calendar/);
  assert.match(ics.body, /^BEGIN:VCALENDAR\r\n/);
  assert.match(ics.body, /DTSTART;VALUE=DATE:20250601/);
  assert.ok(ics.body.split('\r\n').every((l) => Buffer.byteLength(l) <= 75), 'lines folded at 75 octets');
});

test('reminder sweep: due-soon and overdue events once each, re-runs emit nothing new', async () => {
  const count = async (type: string) => (await t.deps.db.tx('operator', (sql) => sql.query(`SELECT 1 FROM outbox WHERE tenant_id = $1 AND type = $2`, [ovs.tenantId, type]))).length;
  const first = await sweepReminders(t.deps.db, t.deps.clock);
  assert.equal(first.ran, true);
  // overdue: N45-3 to SAMR, N45-3 to MIIT (reopened); due soon: N45-over, the two incident first reports
  assert.equal(first.overdue, 2, JSON.stringify(first));
  assert.equal(first.dueSoon, 3, JSON.stringify(first));
  const overdue = await count('obligation.overdue');
  const rem = (await get('/api/v1/obligations/reminders')).json().items as any[];
  assert.equal(rem.length, 5);
  assert.deepEqual(rem.map((r) => r.type).sort(), ['obligation.due_soon', 'obligation.due_soon', 'obligation.due_soon', 'obligation.overdue', 'obligation.overdue']);
  assert.ok(rem.every((r) => r.obligationId.startsWith('obl_') && r.title.en));
  assert.equal((await get('/api/v1/obligations/reminders', other)).json().items.length, 0);
  const [a, b] = await Promise.all([sweepReminders(t.deps.db, t.deps.clock), sweepReminders(t.deps.db, t.deps.clock)]);
  assert.equal(a.overdue + b.overdue + a.dueSoon + b.dueSoon, 0, 'nothing new, even when two sweeps run at once');
  assert.equal(await count('obligation.overdue'), overdue);
  if (t.deps.db.kind === 'postgres') {
    // Another instance holds the lock: this one skips the sweep.
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => { locked = r; });
    const holder = t.deps.db.tx('operator', async (sql) => { await sql.query('SELECT pg_advisory_xact_lock(7340030)'); locked(); await held; });
    await isLocked;
    const skipped = await sweepReminders(t.deps.db, t.deps.clock);
    release();
    await holder;
    assert.equal(skipped.ran, false);
  }
});

test('working-day API and operator-loaded schedules', async () => {
  const r = await get('/api/v1/calendar/working-days?from=2026-02-13&add=1');
  assert.deepEqual(r.json(), { date: '2026-02-14', provisional: false });
  assert.deepEqual((await get('/api/v1/calendar/working-days?from=2026-12-31&add=1')).json(), { date: '2027-01-01', provisional: true });
  assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/calendar/working-days?from=2026-02-13&add=1' })).statusCode, 401);
  const regulator = await t.tenant({ kind: 'regulator', regulator: 'SAMR' });
  assert.deepEqual((await get('/api/v1/calendar/working-days?date=2026-02-14', regulator)).json(), { date: '2026-02-14', working: true, provisional: false });
  assert.equal((await get('/api/v1/calendar/working-days?from=2026-02-13', regulator)).statusCode, 422, 'from without add');
  const bad = await get('/api/v1/calendar/working-days?from=2026-02-30&add=1');
  assert.equal(bad.statusCode, 422);
  assert.equal(bad.json().errors[0].path, 'query.from');

  const y2027 = { year: 2027, source: '国务院办公厅关于2027年部分节假日安排的通知 (test)', issued: '2026-11-10', offDays: ['2027-01-01'], workingWeekends: ['2027-01-02'] };
  assert.equal((await t.app.inject({ method: 'PUT', url: '/api/v1/calendar/schedules/2027', headers: ovs.auth, payload: y2027 })).statusCode, 403);
  const invalid = await t.app.inject({ method: 'PUT', url: '/api/v1/calendar/schedules/2027', headers: t.operator, payload: { ...y2027, workingWeekends: ['2027-01-04'] } });
  assert.equal(invalid.statusCode, 422);
  assert.equal(invalid.json().errors[0].path, 'workingWeekends.0');
  assert.deepEqual((await get('/api/v1/calendar/working-days?from=2026-12-31&add=1')).json(), { date: '2027-01-01', provisional: true }, 'nothing written');
  const put = await t.app.inject({ method: 'PUT', url: '/api/v1/calendar/schedules/2027', headers: t.operator, payload: y2027 });
  assert.equal(put.statusCode, 200, put.body);
  assert.deepEqual((await get('/api/v1/calendar/working-days?from=2026-12-31&add=1')).json(), { date: '2027-01-02', provisional: false });
  const schedules = (await get('/api/v1/calendar/schedules')).json().items as any[];
  assert.deepEqual(schedules.map((s) => [s.year, s.origin]), [[2025, 'bundled'], [2026, 'bundled'], [2027, 'loaded']]);
});
