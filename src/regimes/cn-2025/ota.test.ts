import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyCampaign, effectiveClass, officialWorkingDays, overrideProblems, requiredSteps, type ClassifyInput, type FunctionChange } from './ota.ts';
import { REGIME } from './index.ts';

const catalog = {
  version: 'test-1',
  params: [
    { key: 'cdas.maxSpeed', main: true },
    { key: 'cdas.functions', main: true },
    { key: 'ota.remote', main: true },
    { key: 'hmi.warningTone', main: false },
  ],
};
const baseline = { 'cdas.maxSpeed': 130, 'cdas.functions': ['ACC', 'LCC'], 'ota.remote': true, 'hmi.warningTone': 'chime' };
const input = (over: Partial<ClassifyInput>): ClassifyInput => ({ baseline, resulting: {}, catalog, functions: [], recall: false, ...over });
const fn = (name: string, change: FunctionChange['change'], automationLevel: number): FunctionChange => ({ name, change, automationLevel });

type Case = { name: string; in: Partial<ClassifyInput>; cls: 'A' | 'B' | 'C'; recall?: boolean; rules: string[]; evidence?: boolean };
const cases: Case[] = [
  { name: 'N45-6: nothing changes -> A (filing only)', in: {}, cls: 'A', rules: ['N45-6'] },
  { name: 'N45-6: resulting value equal to the baseline is no change', in: { resulting: { 'cdas.maxSpeed': 130, 'cdas.functions': ['ACC', 'LCC'] } }, cls: 'A', rules: ['N45-6'] },
  { name: 'N45-7: a main parameter changes -> B', in: { resulting: { 'cdas.maxSpeed': 150 } }, cls: 'B', rules: ['N45-7'] },
  { name: 'N45-7: a list-valued main parameter changes -> B', in: { resulting: { 'cdas.functions': ['ACC', 'LCC', 'NOA'] } }, cls: 'B', rules: ['N45-7'] },
  { name: 'N45-7: a main parameter set where the baseline had none -> B', in: { baseline: {}, resulting: { 'ota.remote': true } }, cls: 'B', rules: ['N45-7'] },
  { name: 'N45-7-U: a key outside the catalog counts as main -> B', in: { resulting: { 'x.unknown': 1 } }, cls: 'B', rules: ['N45-7-U'] },
  { name: 'R156-7.1.1.8: a non-main parameter changes -> A with evidence', in: { resulting: { 'hmi.warningTone': 'beep' } }, cls: 'A', rules: ['N45-6', 'R156-7.1.1.8'], evidence: true },
  { name: 'R156-7.1.1.9: a level-2 function changes -> A with evidence', in: { functions: [fn('NOA', 'changed', 2)] }, cls: 'A', rules: ['N45-6', 'R156-7.1.1.9'], evidence: true },
  { name: 'R156-7.1.1.9: a level-3 function disabled is not class C', in: { functions: [fn('TJP', 'disabled', 3)] }, cls: 'A', rules: ['N45-6', 'R156-7.1.1.9'], evidence: true },
  { name: 'N45-7c: a level-3 function added -> C', in: { functions: [fn('TJP', 'added', 3)] }, cls: 'C', rules: ['N45-7c'] },
  { name: 'N45-7c: a level-4 function enabled -> C', in: { functions: [fn('Valet', 'enabled', 4)] }, cls: 'C', rules: ['N45-7c'] },
  { name: 'N45-7c: a level-3 function changed -> C', in: { functions: [fn('TJP', 'changed', 3)] }, cls: 'C', rules: ['N45-7c'] },
  { name: 'N45-7c over N45-7: C wins and both reasons are listed', in: { resulting: { 'cdas.maxSpeed': 150 }, functions: [fn('TJP', 'added', 3)] }, cls: 'C', rules: ['N45-7', 'N45-7c'] },
  { name: 'N45-8: recall flag -> A + R', in: { recall: true, recallNumber: 'S2025M0149I' }, cls: 'A', recall: true, rules: ['N45-6', 'N45-8'] },
  { name: 'N45-8: recall with a main parameter change -> B + R', in: { recall: true, resulting: { 'cdas.maxSpeed': 120 } }, cls: 'B', recall: true, rules: ['N45-7', 'N45-8'] },
];

for (const c of cases) {
  test(`classification: ${c.name}`, () => {
    const r = classifyCampaign(input(c.in));
    assert.equal(r.class, c.cls);
    assert.equal(r.recall, c.recall ?? false);
    assert.deepEqual(r.reasons.map((x) => x.rule), c.rules);
    assert.equal(r.needsEvidence, c.evidence ?? false);
    assert.equal(r.regime, REGIME.id);
    assert.equal(r.regimeVersion, REGIME.version);
    assert.equal(r.catalogVersion, 'test-1');
    for (const reason of r.reasons) {
      assert.ok(reason.source.length > 10, 'every reason names its source');
      assert.ok(reason.message.zh && reason.message.en);
    }
  });
}

test('classification: a parameter reason shows old -> new and the main flag', () => {
  const r = classifyCampaign(input({ resulting: { 'cdas.maxSpeed': 150 } }));
  assert.deepEqual(r.reasons[0].parameter, { key: 'cdas.maxSpeed', old: 130, new: 150, main: true });
  assert.match(r.reasons[0].message.en, /cdas.maxSpeed: 130 -> 150/);
});

test('classification: a function reason names the function and its level', () => {
  const r = classifyCampaign(input({ functions: [fn('TJP', 'added', 3)] }));
  assert.deepEqual(r.reasons[0].function, { name: 'TJP', change: 'added', automationLevel: 3 });
});

test('classification: same inputs, same result, whatever the key and function order', () => {
  const a = classifyCampaign(input({ resulting: { 'hmi.warningTone': 'x', 'cdas.maxSpeed': 1 }, functions: [fn('B', 'changed', 2), fn('A', 'added', 1)] }));
  const b = classifyCampaign(input({ resulting: { 'cdas.maxSpeed': 1, 'hmi.warningTone': 'x' }, functions: [fn('A', 'added', 1), fn('B', 'changed', 2)] }));
  assert.deepEqual(a, b);
});

test('override: lowering needs a justification, a lower class and a second user', () => {
  assert.deepEqual(overrideProblems('B', { to: 'A', justification: 'The parameter only renames a label; the approved test report 2025-17 still covers it.', requestedBy: 'u1' }), []);
  assert.match(overrideProblems('B', { to: 'B', justification: 'x'.repeat(30), requestedBy: 'u1' })[0], /lower the class/);
  assert.match(overrideProblems('B', { to: 'A', justification: 'short', requestedBy: 'u1' })[0], /justification/);
  assert.match(overrideProblems('B', { to: 'A', justification: 'x'.repeat(30), requestedBy: 'u1', approvedBy: 'u1' })[0], /different user/);
  assert.equal(effectiveClass('B', { to: 'A', justification: 'x'.repeat(30), requestedBy: 'u1' }), 'B', 'not approved yet');
  assert.equal(effectiveClass('B', { to: 'A', justification: 'x'.repeat(30), requestedBy: 'u1', approvedBy: 'u1' }), 'B', 'self-approval does not count');
  assert.equal(effectiveClass('B', { to: 'A', justification: 'x'.repeat(30), requestedBy: 'u1', approvedBy: 'u2' }), 'A');
});

const cal = officialWorkingDays();
test('working days both ways on the official calendar', () => {
  // 2026-02-24 (Tue) is the first working day after the Spring Festival break (02-15..02-23; 02-14 Sat is worked).
  assert.deepEqual(cal('2026-02-24', -1), { date: '2026-02-14', provisional: false });
  assert.deepEqual(cal('2026-02-13', 1), { date: '2026-02-14', provisional: false });
  assert.deepEqual(cal('2026-03-09', -5), { date: '2026-03-02', provisional: false });
  assert.equal(cal('2027-03-09', -1).provisional, true);
});

type StepCase = { name: string; cls: 'A' | 'B' | 'C'; recall: boolean; steps: string[] };
const stepCases: StepCase[] = [
  { name: 'A', cls: 'A', recall: false, steps: ['miit-filing', 'samr-filing', 'implementation-report'] },
  { name: 'B', cls: 'B', recall: false, steps: ['miit-change-permit', 'miit-filing', 'samr-filing', 'implementation-report'] },
  { name: 'C', cls: 'C', recall: false, steps: ['miit-ad-approval', 'miit-filing', 'samr-filing', 'implementation-report'] },
  { name: 'A + R', cls: 'A', recall: true, steps: ['samr-recall-filing', 'stop-sale', 'samr-ota-info-sheet', 'miit-filing', 'samr-filing', 'implementation-report'] },
  { name: 'B + R', cls: 'B', recall: true, steps: ['miit-change-permit', 'samr-recall-filing', 'stop-sale', 'samr-ota-info-sheet', 'miit-filing', 'samr-filing', 'implementation-report'] },
];
for (const c of stepCases) {
  test(`required steps for ${c.name}`, () => {
    const steps = requiredSteps(c.cls, c.recall, { today: '2026-02-10', releaseDate: '2026-03-09' }, cal);
    assert.deepEqual(steps.map((s) => s.id), c.steps);
    for (const s of steps) assert.ok(['MIIT', 'SAMR', 'internal'].includes(s.addressee));
  });
}

test('required steps: due dates on the working-day calendar', () => {
  const steps = requiredSteps('B', true, { today: '2026-02-10', releaseDate: '2026-03-09', completedDate: '2026-09-30' }, cal);
  const by = Object.fromEntries(steps.map((s) => [s.id, s]));
  assert.equal(by['miit-filing'].dueDate, '2026-03-06'); // last working day before release (Fri)
  assert.equal(by['samr-ota-info-sheet'].dueDate, '2026-03-02'); // 5 working days before release
  assert.equal(by['samr-recall-filing'].dueDate, '2026-02-10'); // immediately
  assert.equal(by['implementation-report'].dueDate, '2026-10-13'); // 09-30 + 5 wd: 10-08, 10-09, 10-10 (worked Sat), 10-12, 10-13
  assert.equal(by['implementation-report'].phase, 'after-completion');
  assert.equal(by['miit-change-permit'].addressee, 'MIIT');
  assert.equal(by['samr-ota-info-sheet'].addressee, 'SAMR');
});

test('required steps: without a planned window, release-relative dues stay open', () => {
  const steps = requiredSteps('A', false, { today: '2026-02-10' }, cal);
  assert.equal(steps.find((s) => s.id === 'miit-filing')!.dueDate, null);
});
