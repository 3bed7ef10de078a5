import { sha256Hex } from '../platform/canonical.ts';
import type { FilingKind } from './kinds.ts';
import type { EvidenceRef } from './schemas/common.ts';
import type { FilingDocument } from './schemas/index.ts';

/**
 * One complete, realistic content per kind: the schemas' reference examples, used by tests, the
 * docs and the demo. Evidence bytes are small text files so tests can put them in a blob store.
 */
function file(filename: string, title: string, text: string): { ref: EvidenceRef; bytes: Buffer } {
  const bytes = Buffer.from(text, 'utf8');
  return { ref: { sha256: sha256Hex(bytes), filename, mediaType: 'text/plain; charset=utf-8', size: bytes.length, title }, bytes };
}

export const EXAMPLE_FILES = {
  aebReport: file('aeb-test-report.txt', '自动紧急制动试验报告 AEB test report', 'CATARC test report 2025-0412: AEB, 40 km/h CCRs, pass.\n'),
  dmsReport: file('dms-test-report.txt', '驾驶员监测试验报告 DMS test report', 'Driver monitoring test report 2025-0413: warnings at 3 s, pass.\n'),
  depthPlan: file('in-depth-testing-plan.txt', '深度测试方案 In-depth testing plan', 'NOA in-depth testing plan: 120,000 km, 12 provinces.\n'),
  riskPlan: file('risk-assessment-plan.txt', '质量安全风险评估方案 Risk assessment plan', 'Quality and safety risk assessment plan v1.\n'),
  prelimReport: file('preliminary-test-report.txt', '初步测试报告 Preliminary test report', 'Preliminary test report: 8,400 km, 0 safety-relevant events.\n'),
  hilReport: file('hil-validation-2026.48.txt', '硬件在环验证报告 HIL validation report', 'HIL validation of ADCU 2026.48: 1,912 cases, pass.\n'),
  edrExtract: file('edr-extract.txt', 'EDR 数据提取 EDR extract', 'EDR extract: speed 62 km/h at t-2 s, NOA engaged.\n'),
};
export const EXAMPLE_EVIDENCE: Map<string, Buffer> = new Map(Object.values(EXAMPLE_FILES).map((f) => [f.ref.sha256, f.bytes]));

export const EXAMPLE_MANUFACTURER: FilingDocument['manufacturer'] = {
  tenantId: 'ten_example',
  name: { zh: '某汽车公司', en: 'Example Motors GmbH' },
  uscc: null,
  overseas: true,
  country: 'DE',
  importer: { name: { zh: '某汽车（中国）销售有限公司', en: 'Example Motors (China) Sales Co., Ltd.' }, uscc: '91310000MA1FL4B24G' },
};

const product = {
  id: 'prd_example', model: 'EXM7000BEV', name: { zh: '示例轿车', en: 'Example Sedan' }, category: 'M1',
  cdas: true, ota: true, automationLevel: 2,
};
const campaign = {
  id: 'cmp_example', contentDigest: sha256Hex('campaign 2026.48'), purpose: '优化导航辅助驾驶速度控制策略 / refine the speed-control strategy of navigation assist',
  releaseLabel: '2026.48',
};
const classification = {
  class: 'B' as const, recall: false,
  reasons: [{ rule: 'OTA-CLASS-B', source: '工信部联通装〔2025〕45号 item 7', text: 'cdas.noa.max_speed 120 -> 130 km/h (main parameter)' }],
  regime: 'cn-2025', regimeVersion: '2025.1.0',
};
const scope = {
  vehicleCount: 1200, productionWindow: { from: '2025-01-01', to: '2025-09-30' },
  vinRanges: [{ from: 'LEXAMPLE0S0000001', to: 'LEXAMPLE0S0001200' }], vinListDigest: null,
};
const software = [{
  ecu: 'ADCU', partNumber: '8100-ADCU-01', from: '2026.40.1', to: '2026.48.0', swinFrom: 'S-ADCU-2026.40', swinTo: 'S-ADCU-2026.48',
  sha256: sha256Hex('adcu image 2026.48'), size: 734003200,
}];
const parameterChanges = [{
  key: 'cdas.noa.max_speed', label: { zh: '导航辅助最高车速', en: 'Navigation assist maximum speed' }, from: 120, to: 130, unit: 'km/h', main: true,
}];
const functions = [{ name: 'NOA speed control', change: 'changed' as const, automationLevel: 2 }];

const otaActivity = {
  campaign, products: [product], classification, scope,
  prerequisiteVersions: [{ ecu: 'ADCU', versions: ['2026.40.1', '2026.44.0'] }],
  software, functions, parameterChanges, otaType: 'remote' as const, requirementSource: 'feature' as const,
  release: { plannedStart: '2026-12-07', plannedEnd: '2027-01-31' }, recall: null,
  affects: { typeApprovedSystems: true, mainParameters: true, automatedDriving: false, rationale: '最高车速为主要技术参数 / maximum speed is a main parameter' },
  safety: {
    vehicleState: '驻车、P 挡、电量不低于 30% / parked, P, state of charge at least 30%',
    energy: '低压蓄电池电压监测 / 12 V battery voltage monitored', failureHandling: '失败自动回滚至原版本 / roll back to the previous version on failure',
    rollback: 'A/B 分区 / A/B partitions',
  },
  userNotice: { before: '升级内容、所需时间约 40 分钟、注意事项 / content, about 40 minutes, precautions', after: '升级结果通知 / result notice' },
  verification: [EXAMPLE_FILES.hilReport.ref],
};

export const EXAMPLE_CONTENT: Record<FilingKind, unknown> = {
  'supplementary-parameters': {
    basis: 'N45-3', product,
    parameterSet: { version: 3, frozenAt: '2025-05-20T02:00:00.000Z', catalogVersion: 'annex2-2025.1', approval: null },
    parameters: [
      { key: 'cdas.aeb.present', label: { zh: '自动紧急制动', en: 'Automatic emergency braking' }, value: true, unit: null, main: true, evidence: [EXAMPLE_FILES.aebReport.ref.sha256] },
      { key: 'cdas.noa.max_speed', label: { zh: '导航辅助最高车速', en: 'Navigation assist maximum speed' }, value: 120, unit: 'km/h', main: true, evidence: [] },
      { key: 'cdas.dms.warning_delay', label: { zh: '驾驶员监测报警时间', en: 'Driver monitoring warning delay' }, value: 3, unit: 's', main: false, evidence: [EXAMPLE_FILES.dmsReport.ref.sha256] },
      { key: 'ota.methods', label: { zh: '升级方式', en: 'Upgrade methods' }, value: ['remote', 'local'], unit: null, main: false, evidence: [] },
    ],
    completeness: { ready: true, missing: [], evidenceMissing: [] },
    evidence: [EXAMPLE_FILES.aebReport.ref, EXAMPLE_FILES.dmsReport.ref],
  },
  'sandbox-documents': {
    product, accessPermit: { reference: '工信部准入 2025-0098', grantedOn: '2025-07-01' },
    documents: [
      { role: 'in-depth-testing-plan', evidence: EXAMPLE_FILES.depthPlan.ref },
      { role: 'risk-assessment-plan', evidence: EXAMPLE_FILES.riskPlan.ref },
      { role: 'preliminary-test-report', evidence: EXAMPLE_FILES.prelimReport.ref },
    ],
  },
  'ota-filing-miit': otaActivity,
  'ota-filing-samr': {
    ...otaActivity,
    infoSheet: {
      producer: { name: EXAMPLE_MANUFACTURER.name, uscc: null, importer: EXAMPLE_MANUFACTURER.importer },
      vehicle: { models: [product.model], vehicleCount: scope.vehicleCount, productionWindow: scope.productionWindow },
      otaType: 'remote', releaseTime: '2026-12-07', upgradePeriod: { from: '2026-12-07', to: '2027-01-31' },
      requirementSource: 'feature', purpose: campaign.purpose, failureHandling: otaActivity.safety.failureHandling,
    },
    upgradePackages: software.map((s) => ({ ecu: s.ecu, sha256: s.sha256, size: s.size })),
    earliestRelease: { date: '2026-12-07', provisional: false, rule: 'S21-1', source: 'SAMR 2021 OTA filing supplement' },
  },
  'change-permit': {
    campaign, products: [product], classification, parameterChanges, functions,
    rationale: '提高导航辅助最高车速至 130 km/h，已完成验证 / raise the navigation assist maximum speed to 130 km/h, verified',
    verification: [EXAMPLE_FILES.hilReport.ref],
  },
  'recall-filing': {
    campaign: { ...campaign, purpose: '修复车道保持误退出缺陷 / fix unintended lane-keeping exit' }, products: [product],
    recall: {
      number: 'S2026M0001V', defect: '车道保持功能在特定弯道误退出 / lane keeping exits in certain curves', cause: '曲率估计阈值 / curvature threshold',
      risk: '车辆偏离车道 / lane departure', remedy: 'OTA 升级 ADCU 软件 / OTA update of the ADCU software', decidedOn: '2026-11-20',
      productionStopped: true, productionStoppedOn: '2026-11-20', plan: { start: '2026-12-07', end: '2027-03-31' },
    },
    scope, software, evidence: [EXAMPLE_FILES.hilReport.ref],
  },
  'implementation-report': {
    campaign, products: [product], filedContentDigest: campaign.contentDigest,
    period: { from: '2026-12-07', to: '2027-01-31' }, final: true, completedAt: '2027-01-31T10:00:00.000Z',
    counts: { targeted: 1200, succeeded: 1150, failed: 12, notReached: 38, unconfirmed: 120, outsideScope: 3 },
    deviations: [{ kind: 'outside-scope', count: 3, note: '3 辆车不在备案范围内，已暂停并修正 / 3 vehicles outside the filed scope; halted and fixed' }],
  },
  'incident-report': {
    regime: 'cn-2025', regimeVersion: '2025.1.0',
    incident: {
      id: 'inc_example', kind: 'accident', source: 'telematics', type: 'collision', severity: 'S1', reportable: true, vin: 'LEXAMPLE0S0000042',
      vinStatus: 'valid', occurredAt: '2026-11-02T05:58:00.000Z', awareAt: '2026-11-02T06:10:00.000Z',
    },
    report: {
      reportId: 'inc_example', version: 1, type: 'first', digest: sha256Hex('report inc_example v1'), createdAt: '2026-11-02T07:00:00.000Z',
      content: {
        cdas: { function: 'NOA', engagement: 'verified-engaged', secondsBeforeImpact: 2 },
        software: [{ ecu: 'ADCU', version: '2026.40.1', swin: 'S-ADCU-2026.40' }],
        location: { province: '上海市', city: '上海市' }, roadType: 'expressway', weather: 'rain',
        crash: { partner: 'passenger car', speedKph: 62, highestInjury: 'hospitalized', airbags: true },
      },
    },
    versions: [{ version: 1, type: 'first', digest: sha256Hex('report inc_example v1'), createdAt: '2026-11-02T07:00:00.000Z' }],
    narrative: [{ version: 1, at: '2026-11-02T07:00:00.000Z', text: '导航辅助开启时与前车追尾，一名乘员送医 / rear-end collision with NOA engaged; one occupant to hospital' }],
    decision: {
      severity: 'S1', reportable: true, reasons: ['collision with hospital injury; NOA engaged 2 s before impact'],
      rules: [{ rule: 'INC-S1', source: '工信部联通装〔2025〕45号 item 4' }, { rule: 'INC-TIME-S1', source: 'icvgate default policy (after NHTSA SGO 2021-01)' }],
      deadlines: [{ kind: 'first-report', due: '2026-11-03T06:10:00.000Z', when: '24 h after awareness' }, { kind: 'full-report', due: '2026-11-07T15:59:59.999Z', when: '5 calendar days after awareness' }],
      policy: { s1FirstReportHours: 24 },
    },
    redacted: true,
    evidence: [EXAMPLE_FILES.edrExtract.ref],
  },
};
