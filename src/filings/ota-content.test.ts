import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildDocument } from './document.ts';
import { EXAMPLE_FILES, EXAMPLE_MANUFACTURER } from './examples.ts';
import { KINDS, type FilingKind } from './kinds.ts';
import { changePermit, otaActivity, otaSamr, recallFiling, type CampaignForFiling, type ProductForFiling } from './ota-content.ts';

// A campaign as the OTA slice stores it (src/ota/model.ts CampaignContent) and a product with its baseline.
const campaign: CampaignForFiling = {
  id: 'cmp_w48', filingDigest: 'f'.repeat(64), releaseLabel: '2026.48',
  content: {
    products: ['prd_1'], purpose: '优化导航辅助速度控制 / refine NOA speed control', requirementSource: 'feature', otaType: 'remote', recall: false,
    software: [{ ecu: 'ADCU', partNumber: '8100-ADCU-01', from: '2026.40.1', to: '2026.48.0', sha256: 'a'.repeat(64), size: 734003200 }],
    swin: [{ system: 'ADCU', from: 'S-ADCU-2026.40', to: 'S-ADCU-2026.48' }],
    functions: [{ name: 'NOA speed control', change: 'changed', automationLevel: 2 }],
    parameters: { 'cdas.odd.speedMax': 130, 'cdas.odd.speedMin': 0 },
    window: { start: '2026-12-07T00:00:00+08:00', end: '2027-01-31T00:00:00+08:00' },
    scope: { vins: ['lexample0s0000002', 'LEXAMPLE0S0000001', 'LEXAMPLE0S0000002'], productionDate: { from: '2025-01-01', to: '2025-09-30' }, prerequisites: [{ ecu: 'ADCU', min: '2026.40.1' }] },
    notices: { before: { zh: '升级约 40 分钟', en: 'about 40 minutes' }, after: { zh: '升级结果', en: 'result' } },
    safety: 'P 挡驻车 / parked in P',
  },
  classification: { class: 'B', recall: false, regime: 'cn-2025', regimeVersion: '2025.1.0',
    reasons: [{ rule: 'N45-7', source: '2025 notice item 7', message: 'cdas.odd.speedMax 120 -> 130 (main parameter)' }] },
};
const product: ProductForFiling = {
  ref: { id: 'prd_1', model: 'EXM7000BEV', name: { zh: '示例轿车', en: 'Example Sedan' }, category: 'M1', cdas: true, ota: true, automationLevel: 2 },
  baseline: { 'cdas.odd.speedMax': 120, 'cdas.odd.speedMin': 0 },
  catalog: new Map([['cdas.odd.speedMax', { label: { zh: '最高工作车速', en: 'Maximum operating speed' }, unit: 'km/h', main: true }]]),
};
const extra = { safety: { energy: '电量 ≥ 30% / SoC at least 30 %', failureHandling: '回滚 / roll back', rollback: 'A/B' }, evidence: [EXAMPLE_FILES.hilReport.ref] };
const doc = (kind: FilingKind, content: unknown) => buildDocument({ id: 'fil_x', kind, version: 1, supersedes: null, addressee: KINDS[kind].addressees[0],
  preparedAt: new Date('2026-11-25T00:00:00Z'), preparedBy: 'Wang Lei', manufacturer: EXAMPLE_MANUFACTURER, subjectId: campaign.id, content });

test('a campaign maps to a valid MIIT activity filing: changed parameters with old -> new, SWIN per ECU, normalised VIN scope', () => {
  const a = otaActivity(campaign, [product], extra);
  assert.deepEqual(a.parameterChanges.map((c) => [c.key, c.from, c.to, c.main]), [['cdas.odd.speedMax', 120, 130, true]]);
  assert.equal(a.software[0].swinTo, 'S-ADCU-2026.48');
  assert.equal(a.scope.vehicleCount, 2, 'duplicates and case differences collapse');
  assert.equal(a.release.plannedStart, '2026-12-07');
  assert.equal(a.affects.mainParameters, true);
  assert.equal(a.campaign.contentDigest, campaign.filingDigest, 'the gate compares this digest with the campaign now');
  assert.doesNotThrow(() => doc('ota-filing-miit', a));
});

test('the SAMR variant, the change permit and the recall filing validate against their schemas', () => {
  const a = otaActivity(campaign, [product], extra);
  assert.doesNotThrow(() => doc('ota-filing-samr', otaSamr(a, EXAMPLE_MANUFACTURER)));
  const permit = changePermit(a, undefined);
  assert.equal(permit.parameterChanges.length, 1);
  assert.doesNotThrow(() => doc('change-permit', permit));
  const recall = { ...campaign, content: { ...campaign.content, recall: true, recallNumber: 'S2026M0001V' }, classification: { ...campaign.classification, recall: true } };
  const r = recallFiling(otaActivity(recall, [product], extra), { defect: '车道保持误退出 / lane keeping exits', risk: '偏离车道 / lane departure', decidedOn: '2026-11-20', productionStopped: true, productionStoppedOn: '2026-11-20' });
  assert.equal(r.recall.number, 'S2026M0001V');
  assert.doesNotThrow(() => doc('recall-filing', r));
});

test('facts the campaign does not record are named as missing, not invented', () => {
  const a = otaActivity(campaign, [product], {});
  assert.throws(() => doc('ota-filing-miit', a), (e: any) => e.errors.some((x: any) => x.path === 'content.safety.energy'));
  assert.throws(() => doc('recall-filing', recallFiling(a, {})), (e: any) => e.errors.some((x: any) => x.path === 'content.recall.defect'));
});
