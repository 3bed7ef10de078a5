// The real SAMR OTA recalls of real-cases.md as end-to-end scenarios: product and baseline, campaign
// (scope by the published production window), the class and recall the platform derives, and the
// obligations it puts in the register. Recall numbers are not in the sources: the ones below are
// format-valid placeholders (marked), used only because clearance asks for one.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp, type TestTenant } from '../../test/support.ts';
import { baselineValues, call, campaignBody, productWithBaseline, sha } from './test-fixtures.ts';

type Case = {
  n: number; date: string; filer: string; model: string; cdas: boolean; window: [string, string]; vehicles: number; defect: string;
  software: { ecu: string; from: string; to: string }; functions: { name: string; change: 'added' | 'enabled' | 'changed' | 'disabled'; automationLevel: number }[];
  expect: { class: 'A' | 'B' | 'C'; evidence: boolean };
};

const CASES: Case[] = [
  { n: 1, date: '2021-03-12', filer: 'Mercedes-Benz (China) / Beijing Benz', model: 'BJ7204GEL', cdas: false, window: ['2016-01-21', '2020-11-20'], vehicles: 2600677,
    defect: 'eCall module may send a wrong location after a crash', software: { ecu: 'COMM', from: '20.1', to: '21.1' }, functions: [], expect: { class: 'A', evidence: false } },
  { n: 2, date: '2021-06-26', filer: 'Tesla (Shanghai)', model: 'TSL7000BEVAR0', cdas: true, window: ['2019-12-19', '2021-06-07'], vehicles: 211256,
    defect: 'active cruise control engaged by mistake from the gear stalk', software: { ecu: 'ADCU', from: '2021.12', to: '2021.24' },
    functions: [{ name: 'ACC', change: 'changed', automationLevel: 1 }], expect: { class: 'A', evidence: true } },
  { n: 4, date: '2022-03-25', filer: 'Beijing Benz', model: 'BJ7204GEL2', cdas: false, window: ['2018-08-15', '2021-10-13'], vehicles: 17312,
    defect: 'MBUX display may not start: no rear-view camera image', software: { ecu: 'MBUX', from: 'NTG6.1', to: 'NTG6.2' }, functions: [], expect: { class: 'A', evidence: false } },
  { n: 5, date: '2024-01-05', filer: 'Tesla (Beijing)', model: 'TSLMODELS2022', cdas: false, window: ['2022-10-26', '2023-11-16'], vehicles: 7538,
    defect: 'door latch on the non-impact side may disengage in a crash', software: { ecu: 'BCM', from: '2023.38', to: '2023.44' }, functions: [], expect: { class: 'A', evidence: false } },
  { n: 7, date: '2024-04-11', filer: 'Polestar', model: 'PS4-2024', cdas: false, window: ['2023-11-29', '2024-02-01'], vehicles: 1867,
    defect: 'brake controller software may lose electronic brake boost', software: { ecu: 'EBB', from: '1.4.0', to: '1.4.2' }, functions: [], expect: { class: 'A', evidence: false } },
  { n: 8, date: '2024-08-06', filer: 'Tesla (Shanghai)', model: 'TSL7000BEVAR1', cdas: false, window: ['2020-10-15', '2024-07-17'], vehicles: 1683627,
    defect: 'front trunk latch may not detect the unlatched state', software: { ecu: 'BCM', from: '2024.20', to: '2024.26' },
    functions: [{ name: 'Front trunk open warning', change: 'added', automationLevel: 0 }], expect: { class: 'A', evidence: true } },
  { n: 9, date: '2025-01-24', filer: 'Xiaomi Auto', model: 'BJ7000MBEVR2', cdas: true, window: ['2024-02-06', '2024-11-26'], vehicles: 30931,
    defect: 'time-sync anomaly degrades parking assist detection of static obstacles', software: { ecu: 'ADCU', from: '1.4.5', to: '1.5.0' },
    functions: [{ name: 'APA', change: 'changed', automationLevel: 2 }], expect: { class: 'A', evidence: true } },
  { n: 10, date: '2025-01-24', filer: 'Tesla (Shanghai)', model: 'TSL6480BEVBR0', cdas: false, window: ['2022-01-03', '2023-09-23'], vehicles: 871087,
    defect: 'power steering software may limit assist', software: { ecu: 'EPS', from: '2024.45', to: '2025.2' }, functions: [], expect: { class: 'A', evidence: false } },
];

let t: TestApp;
let tenant: TestTenant;
before(async () => { t = await testApp({ now: '2026-11-25T02:00:00Z' }); tenant = await t.tenant(); });
after(() => t.close());

const RECALL_STEPS = ['samr-recall-filing', 'stop-sale', 'samr-ota-info-sheet', 'miit-filing', 'samr-filing', 'implementation-report'];

for (const c of CASES) {
  test(`real recall #${c.n} (${c.date}, ${c.filer}): ${c.defect} -> class ${c.expect.class} + R`, async () => {
    const product = await productWithBaseline(t, tenant, { model: c.model, cdas: c.cdas, values: baselineValues({}, c.cdas) });
    const body = campaignBody([product.id], {
      purpose: `recall: ${c.defect} (${c.vehicles.toLocaleString('en')} vehicles)`, requirementSource: 'defect', recall: true,
      recallNumber: `S${c.date.slice(0, 4)}M${String(c.n).padStart(4, '0')}V`, // placeholder, not the real SAMR code
      software: [{ ecu: c.software.ecu, partNumber: `${c.software.ecu}-${c.n}`, from: c.software.from, to: c.software.to, sha256: sha(String(c.n % 10)), size: 52_428_800 }],
      swin: [], functions: c.functions, parameters: {},
      scope: { productionDate: { from: c.window[0], to: c.window[1] } },
    });
    const created = await call(t, tenant, 'POST', '/api/v1/campaigns', body, 201);
    const r = await call(t, tenant, 'POST', `/api/v1/campaigns/${created.id}/classify`);
    assert.equal(r.class, c.expect.class);
    assert.equal(r.recall, true);
    const rules = r.reasons.map((x: any) => x.rule);
    assert.ok(rules.includes('N45-8'), 'the recall reason is listed');
    assert.equal(rules.includes('R156-7.1.1.9'), c.expect.evidence, 'function changes ask for evidence');
    assert.ok(!rules.includes('N45-7') && !rules.includes('N45-7c'), 'no main parameter or automated-driving reason');
    assert.deepEqual(r.steps.map((s: any) => s.id), RECALL_STEPS);
    const sheet = r.steps.find((s: any) => s.id === 'samr-ota-info-sheet');
    assert.equal(sheet.dueDate, '2026-11-30', 'at least 5 working days before the release on 2026-12-07');
    assert.equal(sheet.addressee, 'SAMR');
    const recall = r.steps.find((s: any) => s.id === 'samr-recall-filing');
    assert.equal(recall.dueDate, '2026-11-25', 'the recall filing is due at once');
    const register = await call(t, tenant, 'GET', `/api/v1/obligations?subject=${created.id}`);
    const parts = register.items.map((o: any) => `${o.part}:${o.addressee}`).sort();
    assert.deepEqual(parts, ['miit-filing:MIIT', 'samr-filing:SAMR', 'samr-ota-info-sheet:SAMR', 'samr-recall-filing:SAMR', 'stop-sale:internal']);
  });
}

test('contrast: a CDAS campaign that raises the speed limit is B, one adding a level-3 function is C', async () => {
  const product = await productWithBaseline(t, tenant, { model: 'CONTRAST0001', automationLevel: 3 });
  const b = await call(t, tenant, 'POST', '/api/v1/campaigns', campaignBody([product.id], { parameters: { 'cdas.odd.speedMax': '135 km/h' } }), 201);
  const rb = await call(t, tenant, 'POST', `/api/v1/campaigns/${b.id}/classify`);
  assert.equal(rb.class, 'B');
  assert.deepEqual(rb.reasons.find((x: any) => x.rule === 'N45-7').parameter, { key: 'cdas.odd.speedMax', old: 130, new: 135, main: true });
  const cc = await call(t, tenant, 'POST', '/api/v1/campaigns', campaignBody([product.id], { functions: [{ name: 'Traffic jam pilot', change: 'added', automationLevel: 3 }] }), 201);
  const rc = await call(t, tenant, 'POST', `/api/v1/campaigns/${cc.id}/classify`);
  assert.equal(rc.class, 'C');
  assert.ok(rc.steps.some((s: any) => s.id === 'miit-ad-approval' && s.addressee === 'MIIT'));
});
