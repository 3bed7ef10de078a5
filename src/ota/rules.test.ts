import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requiredSteps, officialWorkingDays } from '../regimes/cn-2025/ota.ts';
import { localizedMessage, msg, withMsg } from '../platform/messages.ts';
import { CampaignContent } from './model.ts';
import { clearanceMissing, compareVersions, digestsOf, gateReason, inScope, listingOf, payloadDigest, scopeDigest, transitionMissing, vehicleGate, TRANSITIONS, type ClearanceInput } from './rules.ts';

const content = CampaignContent.parse({
  products: ['prd_1'], purpose: 'fix cruise engagement', recall: true, recallNumber: 'S2021M0010V',
  software: [{ ecu: 'ADCU', partNumber: 'P-1', from: '1.0.0', to: '1.1.0', sha256: 'a'.repeat(64), size: 1024 }],
  window: { start: '2026-03-09T00:00:00+08:00', end: '2026-04-09T00:00:00+08:00' },
  scope: { productionDate: { from: '2019-12-19', to: '2021-06-07' } },
  notices: { before: { zh: '升级前', en: 'before' }, after: { zh: '升级后', en: 'after' } },
  evidence: [{ sha256: 'b'.repeat(64), title: 'HIL report' }],
});
const steps = requiredSteps('B', true, { today: '2026-02-10', releaseDate: '2026-03-09' }, officialWorkingDays());
const digest = digestsOf(content).contentDigest;
const filed = steps.filter((s) => s.filesContent).map((s) => ({ stepId: s.id, digest, source: 'test' }));
const ok: ClearanceInput = {
  content, classification: { class: 'B', recall: true, needsEvidence: false }, override: null, steps, open: [], filed,
  currentContentDigest: digest, blocked: [], now: new Date('2026-03-01T00:00:00Z'),
};
const open = (part: string | null, rule: string) => ({ obligationId: 'obl_1', key: `${rule}#${part}`, rule, part, addressee: 'MIIT', status: 'open', title: { zh: 'x', en: `step ${part}` } });

test('clearance: nothing missing when every step is recorded against the current digest', () => {
  assert.deepEqual(clearanceMissing(ok), []);
});

type Refusal = { name: string; change: (i: ClearanceInput) => ClearanceInput; code: string; step?: string };
const refusals: Refusal[] = [
  { name: 'not classified', change: (i) => ({ ...i, classification: null }), code: 'not_classified' },
  { name: 'downgrade awaiting approval', change: (i) => ({ ...i, override: { to: 'A', approvedBy: null } }), code: 'override_pending' },
  { name: 'MIIT change permit not granted', change: (i) => ({ ...i, open: [open('miit-change-permit', 'N45-7')] }), code: 'obligation_open', step: 'miit-change-permit' },
  { name: 'MIIT AD approval not granted', change: (i) => ({ ...i, open: [open('miit-ad-approval', 'N45-7c')] }), code: 'obligation_open', step: 'miit-ad-approval' },
  { name: 'MIIT filing receipt missing', change: (i) => ({ ...i, open: [open('miit-filing', 'N45-6')] }), code: 'obligation_open', step: 'miit-filing' },
  { name: 'SAMR filing receipt missing', change: (i) => ({ ...i, open: [open('samr-filing', 'N45-6')] }), code: 'obligation_open', step: 'samr-filing' },
  { name: 'SAMR recall filing missing', change: (i) => ({ ...i, open: [open('samr-recall-filing', 'N45-8')] }), code: 'obligation_open', step: 'samr-recall-filing' },
  { name: 'OTA information sheet missing', change: (i) => ({ ...i, open: [open('samr-ota-info-sheet', 'S21-1')] }), code: 'obligation_open', step: 'samr-ota-info-sheet' },
  { name: 'stop-sale statement missing', change: (i) => ({ ...i, open: [open('stop-sale', 'N45-8')] }), code: 'obligation_open', step: 'stop-sale' },
  { name: 'capability filing (M22-1a) missing', change: (i) => ({ ...i, open: [open(null, 'M22-1a')] }), code: 'obligation_open' },
  { name: 'no filed digest for a content filing', change: (i) => ({ ...i, filed: i.filed.filter((f) => f.stepId !== 'samr-filing') }), code: 'filed_digest_missing', step: 'samr-filing' },
  { name: 'content changed after filing', change: (i) => ({ ...i, currentContentDigest: 'f'.repeat(64) }), code: 'filed_digest_mismatch', step: 'miit-filing' },
  { name: 'window missing', change: (i) => ({ ...i, content: { ...i.content, window: undefined } }), code: 'window_missing' },
  { name: 'window passed', change: (i) => ({ ...i, now: new Date('2026-05-01T00:00:00Z') }), code: 'window_passed' },
  { name: 'notice before missing', change: (i) => ({ ...i, content: { ...i.content, notices: { after: i.content.notices.after } } }), code: 'notice_before_missing' },
  { name: 'notice after missing', change: (i) => ({ ...i, content: { ...i.content, notices: { before: i.content.notices.before } } }), code: 'notice_after_missing' },
  { name: 'evidence missing', change: (i) => ({ ...i, content: { ...i.content, evidence: [] } }), code: 'evidence_missing' },
  { name: 'recall number missing', change: (i) => ({ ...i, content: { ...i.content, recallNumber: undefined } }), code: 'recall_number_missing' },
  { name: 'scope missing', change: (i) => ({ ...i, content: { ...i.content, scope: {} } }), code: 'scope_missing' },
  { name: 'target version blocked by a defect assessment', change: (i) => ({ ...i, blocked: [{ ecu: 'ADCU', version: '1.1.0', reason: 'assessment da_1 open' }] }), code: 'version_blocked' },
];
for (const r of refusals) {
  test(`clearance refused: ${r.name}`, () => {
    const missing = clearanceMissing(r.change(ok));
    assert.ok(missing.length >= 1);
    const hit = missing.find((m) => m.code === r.code && (!r.step || m.step === r.step));
    assert.ok(hit, JSON.stringify(missing));
    assert.ok(hit.message.length > 10);
  });
}

test('clearance: a VIN list kept beside the content (scope without a production window) is a scope', () => {
  const listOnly = { ...ok, content: { ...ok.content, scope: {} } };
  assert.deepEqual(clearanceMissing({ ...listOnly, scopeVinCount: 3 }), []);
  assert.equal(clearanceMissing({ ...listOnly, scopeVinCount: 0 })[0].code, 'scope_missing');
});

test('clearance: a blocked version keeps the block\'s translation (the incidents slice attaches its key)', () => {
  const reason = withMsg({ ecu: 'ADCU', version: '1.1.0', reason: 'assessment da_1 open' }, msg('incidents.versionBlockedRecall', { id: 'da_1', function: 'ACC', fault: 'E-4', target: 'ADCU 1.1.0' }));
  const [item] = clearanceMissing({ ...ok, blocked: [reason] });
  assert.equal(item.code, 'version_blocked');
  assert.equal(item.message, 'assessment da_1 open');
  assert.match(localizedMessage('zh-CN', item), /^缺陷研判 da_1 已决定召回/);
});

test('clearance: a block on another ECU does not apply', () => {
  assert.deepEqual(clearanceMissing({ ...ok, blocked: [{ ecu: 'BCM', version: '1.1.0', reason: 'x' }] }), []);
});

test('transitions: every pair outside the table is refused with the allowed ones listed', () => {
  const states = Object.keys(TRANSITIONS) as (keyof typeof TRANSITIONS)[];
  for (const from of states) for (const to of states) {
    const m = transitionMissing(from, to, { now: new Date(), authorizationActive: true, clearance: [] });
    if (TRANSITIONS[from].includes(to)) assert.deepEqual(m, [], `${from} -> ${to}`);
    else assert.equal(m[0].code, 'transition_not_allowed', `${from} -> ${to}`);
  }
});

test('transitions: rolling out needs an active authorization and an open window', () => {
  assert.equal(transitionMissing('halted', 'rolling_out', { now: new Date('2026-03-10T00:00:00Z'), authorizationActive: false, window: content.window })[0].code, 'not_cleared');
  assert.equal(transitionMissing('cleared', 'rolling_out', { now: new Date('2026-06-01T00:00:00Z'), authorizationActive: true, window: content.window })[0].code, 'window_passed');
});

test('digests: order of software and VINs does not matter; content and scope changes do', () => {
  const swapped = { ...content, software: [...content.software].reverse() };
  assert.equal(payloadDigest(swapped), payloadDigest(content));
  assert.notEqual(digestsOf({ ...content, scope: { vins: ['LRW3E7FS5PC695355'] } }).contentDigest, digestsOf(content).contentDigest, 'the content digest covers the scope');
  assert.equal(scopeDigest({ vins: ['LRW3E7FS5PC695355', 'lrw3e7fs5pc695355', '1M8GDM9AXKP042788'] }, ['p']), scopeDigest({ vins: ['1M8GDM9AXKP042788', 'LRW3E7FS5PC695355'] }, ['p']));
  assert.notEqual(payloadDigest({ ...content, software: [{ ...content.software[0], sha256: 'c'.repeat(64) }] }), payloadDigest(content));
  assert.notEqual(scopeDigest({ productionDate: { from: '2019-12-19', to: '2021-06-08' } }, ['prd_1']), scopeDigest(content.scope, ['prd_1']));
});

test('versions compare numerically by segment', () => {
  assert.ok(compareVersions('1.10.0', '1.9.9') > 0);
  assert.ok(compareVersions('2026.48', '2026.8') > 0);
  assert.equal(compareVersions('1.0', '1.0'), 0);
  assert.ok(compareVersions('1.0', '1.0.1') < 0);
});

const vehicle = { vin: 'LRW3E7FS5PC695355', product: 'prd_1', productionDate: '2020-05-01', software: { ADCU: '1.0.0' } };
const gateBase = { state: 'rolling_out' as const, authorizationActive: true, window: content.window, scope: { ...content.scope, prerequisites: [{ ecu: 'ADCU', min: '1.0.0', max: '1.0.9' }] }, products: ['prd_1'], listing: { present: false, listed: false }, vehicle, now: new Date('2026-03-10T00:00:00Z') };
type GateCase = { name: string; over: Record<string, unknown>; code: string };
const gateCases: GateCase[] = [
  { name: 'allowed', over: {}, code: 'allowed' },
  { name: 'campaign not cleared', over: { state: 'awaiting_prerequisites' }, code: 'campaign_not_cleared' },
  { name: 'campaign halted', over: { state: 'halted' }, code: 'campaign_not_cleared' },
  { name: 'authorization revoked', over: { authorizationActive: false }, code: 'authorization_revoked' },
  { name: 'before the window', over: { now: new Date('2026-03-01T00:00:00Z') }, code: 'before_window' },
  { name: 'after the window', over: { now: new Date('2026-04-10T00:00:00Z') }, code: 'after_window' },
  { name: 'produced outside the window', over: { vehicle: { ...vehicle, productionDate: '2021-07-01' } }, code: 'vehicle_not_in_scope' },
  { name: 'other product', over: { vehicle: { ...vehicle, product: 'prd_2' } }, code: 'vehicle_not_in_scope' },
  { name: 'unknown vehicle without VIN list', over: { vehicle: null }, code: 'vehicle_not_in_scope' },
  { name: 'prerequisite version too new', over: { vehicle: { ...vehicle, software: { ADCU: '1.1.0' } } }, code: 'prerequisite_version' },
  { name: 'prerequisite version unknown', over: { vehicle: { ...vehicle, software: {} } }, code: 'prerequisite_unknown' },
];
for (const c of gateCases) {
  test(`vehicle gate: ${c.name}`, () => {
    const d = vehicleGate({ ...gateBase, ...c.over } as any);
    assert.equal(d.code, c.code);
    assert.equal(d.allow, c.code === 'allowed');
    for (const locale of ['en', 'zh-CN'] as const) {
      const reason = gateReason(locale, d);
      assert.ok(reason.length > 5 && !reason.includes('{{') && !reason.includes('vehicleGate'), `${locale}: ${reason}`);
      assert.equal(/[\u4e00-\u9fff]/.test(reason), locale === 'zh-CN', `${locale}: ${reason}`);
    }
  });
}

test('vehicle gate reasons name the facts, in both languages', () => {
  const d = vehicleGate({ ...gateBase, vehicle: { ...vehicle, productionDate: '2021-07-01' } } as any);
  assert.match(gateReason('en', d), /produced 2021-07-01, outside/);
  assert.match(gateReason('zh-CN', d), /生产日期 2021-07-01 不在/);
  const draft = vehicleGate({ ...gateBase, state: 'draft' } as any);
  assert.equal(gateReason('en', draft), 'the campaign is draft, not cleared');
  assert.match(gateReason('zh-CN', draft), /草稿/);
  assert.equal(gateReason('en', vehicleGate(gateBase as any)), 'cleared, within the window and the filed scope');
});

test('scope by VIN list: a listed VIN unknown to the registry is in scope, an unlisted one is not', () => {
  const scope = { vins: ['LRW3E7FS5PC695355'] };
  assert.equal(inScope(scope, ['p'], listingOf(scope, 'LRW3E7FS5PC695355'), null).in, true);
  assert.equal(inScope(scope, ['p'], listingOf(scope, '1M8GDM9AXKP042788'), null).in, false);
  assert.equal(inScope(scope, ['p'], listingOf(scope, 'LRW3E7FS5PC695355'), { ...vehicle, product: 'q' }).in, false, 'listed but of another product');
});
