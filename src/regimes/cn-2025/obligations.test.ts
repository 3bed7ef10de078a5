import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_POLICY, addMonthsShanghai, campaignObligations, incidentObligations, manufacturerObligations, productObligations,
  resolvePolicy, type ObligationSpec,
} from './obligations.ts';
import { REGIME } from './index.ts';

const dom = { tenantId: 'ten_1', overseas: false };
const ovs = { tenantId: 'ten_2', overseas: true };
const byKey = (xs: ObligationSpec[]) => Object.fromEntries(xs.map((x) => [x.key, x]));

test('every spec names rule, source, regime version and a unique natural key', () => {
  const all = [
    ...productObligations({ id: 'p1', model: 'M', cdas: true, ota: true, accessApprovedOn: '2024-05-01', productionAccessGrantedOn: '2024-05-01' }, dom),
    ...manufacturerObligations({ ...ovs, createdAt: '2026-03-02T02:00:00Z', hasOtaProducts: true }),
    ...campaignObligations({ id: 'c1', productIds: ['p1'], class: 'B', recall: true, plannedReleaseAt: '2026-03-20T02:00:00Z', completedAt: '2026-04-01T02:00:00Z' }, dom, new Date('2026-03-02T02:00:00Z')),
  ];
  for (const o of all) {
    assert.ok(o.rule && o.source.length > 10, o.key);
    assert.equal(o.regime, REGIME.id);
    assert.equal(o.regimeVersion, REGIME.version);
    assert.ok(o.title.zh && o.title.en && o.documents.length > 0, o.key);
  }
  assert.equal(new Set(all.map((o) => o.key)).size, all.length);
});

test('products: rule table', () => {
  type Row = [string, Parameters<typeof productObligations>[0], string[]];
  const rows: Row[] = [
    ['no CDAS, no OTA: nothing', { id: 'p', model: 'M', cdas: false, ota: false, accessApprovedOn: '2024-01-01' }, []],
    ['approved before the notice: N45-3 to both', { id: 'p', model: 'M', cdas: true, ota: false, accessApprovedOn: '2025-02-24' },
      ['N45-3:product:p:MIIT', 'N45-3:product:p:SAMR']],
    ['approved on the notice date: N45-2 with the application', { id: 'p', model: 'M', cdas: true, ota: false, accessApprovedOn: '2025-02-25' },
      ['N45-2:product:p:MIIT', 'N45-2:product:p:SAMR']],
    ['new OTA product: N45-2 and the model filing', { id: 'p', model: 'M', cdas: false, ota: true },
      ['N45-2:product:p:MIIT', 'N45-2:product:p:SAMR', 'M22-1b:product:p:MIIT']],
    ['CDAS with production access: sandbox documents to SAMR', { id: 'p', model: 'M', cdas: true, ota: false, accessApplicationOn: '2026-03-02', productionAccessGrantedOn: '2026-03-02' },
      ['N45-2:product:p:MIIT', 'N45-2:product:p:SAMR', 'N45-4:product:p:SAMR']],
    ['OTA-only product with production access: no sandbox (CDAS documents)', { id: 'p', model: 'M', cdas: false, ota: true, productionAccessGrantedOn: '2026-03-02' },
      ['N45-2:product:p:MIIT', 'N45-2:product:p:SAMR', 'M22-1b:product:p:MIIT']],
  ];
  for (const [why, facts, keys] of rows) assert.deepEqual(productObligations(facts, dom).map((o) => o.key), keys, why);
});

test('N45-3: due before 2025-06-01 Shanghai, law', () => {
  const o = byKey(productObligations({ id: 'p', model: 'M', cdas: true, ota: true, accessApprovedOn: '2023-06-01' }, dom))['N45-3:product:p:SAMR'];
  assert.equal(o.dueDate, '2025-06-01');
  assert.equal(o.dueAt, '2025-05-31T16:00:00.000Z');
  assert.equal(o.dueBasis, 'law');
  assert.deepEqual(o.documents, ['annex2-parameters', 'verification-reports']);
});

test('N45-2: with the application; undated until the application date is known', () => {
  const undated = productObligations({ id: 'p', model: 'M', cdas: true, ota: false }, dom)[0];
  assert.equal(undated.dueAt, null);
  assert.equal(undated.dueCondition, 'with-application');
  const dated = productObligations({ id: 'p', model: 'M', cdas: true, ota: false, accessApplicationOn: '2026-04-10' }, dom)[0];
  assert.equal(dated.dueDate, '2026-04-10');
});

test('N45-4: "promptly" = policy working days after production access, shown as policy', () => {
  const o = byKey(productObligations({ id: 'p', model: 'M', cdas: true, ota: false, productionAccessGrantedOn: '2026-02-10' }, dom))['N45-4:product:p:SAMR'];
  // 10 working days after Tue 2026-02-10: 11,12,13, Sat 14 (adjusted), 24,25,26,27, Sat 28 (adjusted), Mon 03-02
  assert.equal(o.dueDate, '2026-03-02');
  assert.equal(o.dueBasis, 'policy');
  assert.match(o.dueExplain, /sandboxWorkingDays/);
  const p3 = { ...DEFAULT_POLICY, sandboxWorkingDays: 3 };
  assert.equal(byKey(productObligations({ id: 'p', model: 'M', cdas: true, ota: false, productionAccessGrantedOn: '2026-02-10' }, dom, p3))['N45-4:product:p:SAMR'].dueDate, '2026-02-13');
  const before = byKey(productObligations({ id: 'p', model: 'M', cdas: true, ota: false, productionAccessGrantedOn: '2024-01-05' }, dom))['N45-4:product:p:SAMR'];
  assert.equal(before.dueDate, '2025-03-11', 'granted before the notice: counted from the notice date 2025-02-25');
});

test('M22-1: the model filing comes after the manufacturer capability filing; both gate the first OTA', () => {
  const model = productObligations({ id: 'p', model: 'M', cdas: false, ota: true }, dom).find((o) => o.rule === 'M22-1b')!;
  assert.deepEqual(model.after, ['M22-1a:manufacturer:ten_1:MIIT']);
  assert.equal(model.gate, true);
  const ms = manufacturerObligations({ ...dom, createdAt: '2026-01-05T00:00:00Z', hasOtaProducts: true });
  assert.deepEqual(ms.map((o) => o.key), ['M22-1a:manufacturer:ten_1:MIIT']);
  assert.equal(ms[0].gate, true);
  assert.deepEqual(manufacturerObligations({ ...dom, createdAt: '2026-01-05T00:00:00Z', hasOtaProducts: false }), []);
});

test('overseas manufacturers: importer acts for SAMR duties, designation due at once (policy)', () => {
  const ms = manufacturerObligations({ ...ovs, createdAt: '2026-03-02T20:00:00Z', hasOtaProducts: false });
  assert.equal(ms.length, 1);
  assert.equal(ms[0].rule, 'N45-over');
  assert.equal(ms[0].dueDate, '2026-03-03'); // 04:00 on 03-03 in Shanghai
  assert.equal(ms[0].dueBasis, 'policy');
  assert.equal(ms[0].dueCondition, 'immediately');
  const p = productObligations({ id: 'p', model: 'M', cdas: true, ota: false, accessApprovedOn: '2024-01-01' }, ovs);
  assert.deepEqual(p.map((o) => [o.addressee, o.actingParty]), [['MIIT', 'manufacturer'], ['SAMR', 'importer']]);
  assert.equal(p[0].dueDate, '2025-06-01', 'the N45-3 transition applies to overseas manufacturers too');
  const later = manufacturerObligations({ ...ovs, createdAt: '2026-03-02T20:00:00Z', hasOtaProducts: false }, { ...DEFAULT_POLICY, immediateWorkingDays: 2 });
  assert.equal(later[0].dueDate, '2026-03-05');
});

test('campaigns: class and recall decide the steps (from the OTA rule pack)', () => {
  const now = new Date('2026-03-02T02:00:00Z');
  const rows: [string, 'A' | 'B' | 'C', boolean, string[]][] = [
    ['A', 'A', false, ['N45-6#miit-filing:campaign:c:MIIT', 'N45-6#samr-filing:campaign:c:SAMR']],
    ['B', 'B', false, ['N45-7#miit-change-permit:campaign:c:MIIT', 'N45-6#miit-filing:campaign:c:MIIT', 'N45-6#samr-filing:campaign:c:SAMR']],
    ['C', 'C', false, ['N45-7c#miit-ad-approval:campaign:c:MIIT', 'N45-6#miit-filing:campaign:c:MIIT', 'N45-6#samr-filing:campaign:c:SAMR']],
    ['A+R', 'A', true, ['N45-8#samr-recall-filing:campaign:c:SAMR', 'N45-8#stop-sale:campaign:c:internal', 'S21-1#samr-ota-info-sheet:campaign:c:SAMR',
      'N45-6#miit-filing:campaign:c:MIIT', 'N45-6#samr-filing:campaign:c:SAMR']],
  ];
  for (const [why, cls, recall, keys] of rows) {
    const xs = campaignObligations({ id: 'c', productIds: ['p'], class: cls, recall }, dom, now);
    assert.deepEqual(xs.map((o) => o.key), keys, why);
    assert.ok(xs.every((o) => o.gate), why);
  }
});

test('campaigns: due dates on the working-day calendar, permits before filings', () => {
  const now = new Date('2026-02-02T02:00:00Z');
  const xs = byKey(campaignObligations({ id: 'c', productIds: ['p'], class: 'B', recall: true, plannedReleaseAt: '2026-02-25T02:00:00Z' }, dom, now));
  assert.equal(xs['N45-6#miit-filing:campaign:c:MIIT'].dueDate, '2026-02-24', 'last working day before the release');
  assert.equal(xs['S21-1#samr-ota-info-sheet:campaign:c:SAMR'].dueDate, '2026-02-11', '5 working days before 02-25: 24, Sat 14, 13, 12, 11 (Spring Festival skipped)');
  assert.equal(xs['N45-7#miit-change-permit:campaign:c:MIIT'].fulfilledBy, 'acceptance');
  assert.deepEqual(xs['N45-6#samr-filing:campaign:c:SAMR'].after, ['N45-7#miit-change-permit:campaign:c:MIIT']);
  const stop = xs['N45-8#stop-sale:campaign:c:internal'];
  assert.equal(stop.dueDate, '2026-02-02');
  assert.equal(stop.dueBasis, 'policy');
});

test('M22-3: implementation report 5 working days after completion; interim reports every 6 months', () => {
  const now = new Date('2026-10-20T02:00:00Z');
  const xs = campaignObligations({ id: 'c', productIds: ['p'], class: 'A', recall: false, startedAt: '2025-08-31T02:00:00Z', completedAt: '2026-09-29T02:00:00Z' }, dom, now);
  const m22 = xs.filter((o) => o.rule === 'M22-3');
  assert.deepEqual(m22.map((o) => [o.part, o.dueDate, o.gate]), [
    ['implementation-report', '2026-10-12', false], // 09-30, then National Day 10-01..07, 10-08, 09, Sat 10-10, Mon 10-12
    ['period-1', '2026-02-28', false],
    ['period-2', '2026-08-31', false],
  ]);
  const running = campaignObligations({ id: 'c', productIds: ['p'], class: 'A', recall: false, startedAt: '2026-01-10T02:00:00Z' }, dom, new Date('2026-07-09T02:00:00Z'));
  assert.equal(running.filter((o) => o.rule === 'M22-3').length, 0, 'not yet 6 months');
  assert.equal(addMonthsShanghai('2024-08-31', 6), '2025-02-28');
});

test('incidents: N45-5 to MIIT and SAMR per deadline; intrusion adds S20-3', () => {
  const xs = incidentObligations({
    id: 'i', intrusion: true, cdasInvolved: true,
    deadlines: [
      { kind: 'first-report', due: '2026-03-03T02:00:00Z', when: '24 h after awareness (policy S1)', basis: 'policy', provisional: false },
      { kind: 'result-report', due: null, when: 'when the investigation closes', basis: 'policy', provisional: false },
    ],
  }, dom);
  assert.deepEqual(xs.map((o) => o.key), [
    'N45-5#first-report:incident:i:MIIT', 'N45-5#first-report:incident:i:SAMR', 'S20-3#first-report:incident:i:SAMR',
    'N45-5#result-report:incident:i:MIIT', 'N45-5#result-report:incident:i:SAMR', 'S20-3#result-report:incident:i:SAMR',
  ]);
  assert.equal(xs[0].dueAt, '2026-03-03T02:00:00.000Z');
  assert.equal(xs[0].dueBasis, 'policy');
  assert.equal(xs[3].dueCondition, 'on-event');
});

test('resolvePolicy: overrides from tenant.policy.obligations, bad values ignored and named', () => {
  const r = resolvePolicy({ obligations: { sandboxWorkingDays: 15, dueSoonDays: 'x', nonsense: 1 } });
  assert.equal(r.policy.sandboxWorkingDays, 15);
  assert.equal(r.policy.dueSoonDays, DEFAULT_POLICY.dueSoonDays);
  assert.deepEqual(r.overridden, ['sandboxWorkingDays']);
  assert.deepEqual(r.ignored.sort(), ['dueSoonDays', 'nonsense']);
  assert.deepEqual(resolvePolicy(null).policy, DEFAULT_POLICY);
});

test('rules re-run to the same answer', () => {
  const f = () => campaignObligations({ id: 'c', productIds: ['p'], class: 'B', recall: false, plannedReleaseAt: '2026-05-12T02:00:00Z' }, dom, new Date('2026-04-01T00:00:00Z'));
  assert.deepEqual(f(), f());
});

test('property: working-day deadlines of campaigns and products land on working days; keys are unique; re-runs agree', async () => {
  const fc = (await import('fast-check')).default;
  const { isWorkingDay } = await import('./calendar.ts');
  const instant = fc.integer({ min: Date.parse('2025-01-01T00:00:00Z'), max: Date.parse('2027-06-30T00:00:00Z') }).map((t) => new Date(t));
  fc.assert(fc.property(
    fc.constantFrom('A' as const, 'B' as const, 'C' as const), fc.boolean(), instant, instant, fc.option(instant, { nil: null }),
    (cls, recall, now, release, completed) => {
      const xs = campaignObligations({ id: 'c', productIds: ['p'], class: cls, recall, plannedReleaseAt: release, completedAt: completed }, dom, now);
      assert.equal(new Set(xs.map((o) => o.key)).size, xs.length);
      for (const o of xs) {
        if (o.dueCondition === 'date' && o.part !== null && !o.part.startsWith('period-')) {
          const w = isWorkingDay(o.dueDate!);
          assert.equal(w.working, true, `${o.key} due ${o.dueDate}`);
          if (!w.provisional) assert.ok(o.dueAt && new Date(o.dueAt).toISOString().endsWith('T15:59:59.999Z'), 'end of the Shanghai day');
        }
      }
      assert.deepEqual(xs, campaignObligations({ id: 'c', productIds: ['p'], class: cls, recall, plannedReleaseAt: release, completedAt: completed }, dom, now));
    }), { numRuns: 300 });
  fc.assert(fc.property(fc.integer({ min: 0, max: 800 }), fc.integer({ min: 1, max: 30 }), (k, days) => {
    const granted = new Date(Date.parse('2025-02-25T00:00:00Z') + k * 86_400_000).toISOString().slice(0, 10);
    const o = productObligations({ id: 'p', model: 'M', cdas: true, ota: false, productionAccessGrantedOn: granted }, dom, { ...DEFAULT_POLICY, sandboxWorkingDays: days })
      .find((x) => x.rule === 'N45-4')!;
    assert.equal(isWorkingDay(o.dueDate!).working, true);
    assert.ok(o.dueDate! > granted);
  }), { numRuns: 300 });
});
