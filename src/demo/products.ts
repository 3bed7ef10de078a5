// Step 2: products with CDAS and OTA, parameter versions, an approved baseline, a pending change, and
// evidence, so the registry, completeness and diff views have something real to show.
import type { Actor } from '../platform/audit.ts';
import { uploadEvidence } from '../evidence/upload-evidence.ts';
import { approveVersion } from '../products/approve-version.ts';
import { createProduct } from '../products/create-product.ts';
import type { CreateProductInput } from '../products/model.ts';
import { putDraft } from '../products/put-draft.ts';
import { submitDraft } from '../products/submit-draft.ts';
import { fullValues } from '../products/test-fixtures.ts';
import { SHIPPED_CATALOG } from '../regimes/cn-2025/catalog/index.ts';
import type { Values } from '../regimes/cn-2025/parameters.ts';
import type { DemoContext, DemoStep } from './context.ts';
import { reportPdf } from './reports.ts';

const EVIDENCE_KEYS = SHIPPED_CATALOG.parameters.filter((p) => p.evidence === 'required');
const CDAS_EVIDENCE = EVIDENCE_KEYS.filter((p) => p.group === 'cdas').map((p) => p.key);
const OTA_EVIDENCE = EVIDENCE_KEYS.filter((p) => p.group === 'ota').map((p) => p.key);

const LABS = {
  caicv: 'National Intelligent Connected Vehicle Quality Inspection and Testing Center (Chongqing)',
  catarc: 'China Automotive Technology and Research Center, Tianjin',
  tuv: 'TÜV SÜD Auto Service GmbH',
};

async function product(ctx: DemoContext, tenant: 'domestic' | 'overseas', name: string, input: CreateProductInput) {
  const p = await createProduct(ctx.deps, ctx.tenants[tenant]!.admin, input);
  ctx.products[name] = { product: p, tenant };
  return p;
}

async function report(ctx: DemoContext, actor: Actor, productId: string, model: string, keys: string[], r: { title: string; lab: string; reportNo: string; issuedOn: string; validUntil?: string; version?: number | 'draft' }) {
  const file = await reportPdf({ ...r, product: model, items: keys });
  await uploadEvidence(ctx.deps, actor, file, {
    title: r.title, lab: r.lab, reportNo: r.reportNo, issuedOn: r.issuedOn, validUntil: r.validUntil, filename: `${r.reportNo}.pdf`,
    contentType: 'application/pdf', productId, version: r.version ?? 'draft', keys,
  });
}

async function approvedVersion(ctx: DemoContext, actor: Actor, productId: string, values: Values, approval: { reference: string; date: string; batch?: string }) {
  await putDraft(ctx.deps, actor, productId, values);
  const v = await submitDraft(ctx.deps, actor, productId);
  await approveVersion(ctx.deps, actor, productId, v.version!, approval);
  return v.version!;
}

const OTA_ONLY: Values = {
  'general.cdasFitted': false, 'general.otaCapable': true, 'ota.mode': 'remote', 'ota.upgradableSystems': ['BMS', 'VCU', 'IVI'],
  'ota.swin': ['SWIN-VCU-1.4'], 'ota.preconditions': 'Vehicle parked, P gear, state of charge at least 25 %', 'ota.energyCheck': true,
  'ota.failureHandling': 'rollback', 'ota.userConfirmation': true,
};

export const productsStep: DemoStep = {
  name: 'products',
  async run(ctx) {
    const dom = ctx.tenants.domestic!.admin;
    const ovs = ctx.tenants.overseas!.admin;

    // Domestic flagship: approved baseline with full evidence, and a draft that changes a main parameter.
    const s7 = await product(ctx, 'domestic', 'xingtuS7', {
      model: 'HXA7000BEVAR0', name: { zh: '华兴 星途S7', en: 'Huaxing Xingtu S7' }, category: 'M1', cdas: true, ota: true, automationLevel: 2,
    });
    await putDraft(ctx.deps, dom, s7.id, fullValues({ 'cdas.systemName': 'Huaxing Pilot 高速领航', 'cdas.odd.speedMax': 130 }));
    await report(ctx, dom, s7.id, s7.model, CDAS_EVIDENCE, { title: 'CDAS function and performance test report', lab: LABS.caicv, reportNo: 'CAICV-2025-ADAS-0318', issuedOn: '2025-04-18', validUntil: '2028-04-17' });
    await report(ctx, dom, s7.id, s7.model, OTA_EVIDENCE, { title: 'Software update (GB 44496) conformity report', lab: LABS.catarc, reportNo: 'CATARC-SU-2025-1127', issuedOn: '2025-05-06', validUntil: '2028-05-05' });
    const s7v1 = await submitDraft(ctx.deps, dom, s7.id);
    await approveVersion(ctx.deps, dom, s7.id, s7v1.version!, { reference: 'MIIT-ZB-2025-06-0417', date: '2025-06-20', batch: '396' });
    await putDraft(ctx.deps, dom, s7.id, fullValues({ 'cdas.systemName': 'Huaxing Pilot 高速领航', 'cdas.odd.speedMax': 120, 'cdas.odd.weather': ['clear', 'light_rain', 'heavy_rain'] }));
    const s7v2 = await submitDraft(ctx.deps, dom, s7.id);
    await putDraft(ctx.deps, dom, s7.id, fullValues({ 'cdas.systemName': 'Huaxing Pilot 高速领航', 'cdas.odd.speedMax': 120, 'cdas.odd.weather': ['clear', 'light_rain', 'heavy_rain'], 'cdas.functions': ['ACC', 'LCC', 'ALC', 'NOA_HIGHWAY'] }));
    ctx.notes.push(`${s7.model}: approved baseline v1, submitted v${s7v2.version} (maximum speed 130 -> 120 km/h, a main parameter), and a draft adding automatic lane change`);

    // Domestic new model still applying: parameters partly filled, one report in, one expired.
    const l9 = await product(ctx, 'domestic', 'xingtuL9', {
      model: 'HXA6500PHEVB2', name: { zh: '华兴 星途L9', en: 'Huaxing Xingtu L9' }, category: 'M1', cdas: true, ota: true, automationLevel: 2,
    });
    const partial = fullValues({ 'cdas.tier': 'multi_lane', 'cdas.functions': ['ACC', 'LCC', 'APA'], 'cdas.odd.roadTypes': ['highway', 'urban_expressway', 'urban_road'] });
    for (const k of ['cdas.takeoverStrategy', 'cdas.dms.misuseLockout', 'ota.swin', 'cdas.sensors.lidars']) delete partial[k];
    await putDraft(ctx.deps, dom, l9.id, partial);
    await report(ctx, dom, l9.id, l9.model, ['cdas.dms.handsOffDetection', 'cdas.dms.eyesOffDetection', 'cdas.dms.firstWarningDelay'], { title: 'Driver monitoring test report', lab: LABS.caicv, reportNo: 'CAICV-2024-DMS-0901', issuedOn: '2024-09-01', validUntil: '2025-08-31' });
    await report(ctx, dom, l9.id, l9.model, ['cdas.functions', 'cdas.tier', 'cdas.odd.roadTypes', 'cdas.odd.speedMin', 'cdas.odd.speedMax'], { title: 'CDAS functional test report', lab: LABS.catarc, reportNo: 'CATARC-ADAS-2026-0211', issuedOn: '2026-02-11', validUntil: '2029-02-10' });
    ctx.notes.push(`${l9.model}: applying; parameters missing, driver-monitoring report expired`);

    // Domestic light van approved before the notice: OTA only, baseline recorded for the supplement.
    const van = await product(ctx, 'domestic', 'cargoVan', {
      model: 'HXA5040XXYBEV', name: { zh: '华兴 纯电动厢式运输车', en: 'Huaxing e-Cargo Van' }, category: 'N1', cdas: false, ota: true, automationLevel: 1,
      access: { status: 'approved', batch: '382', approvalDate: '2024-08-15' },
    });
    await putDraft(ctx.deps, dom, van.id, OTA_ONLY);
    await report(ctx, dom, van.id, van.model, OTA_EVIDENCE, { title: 'OTA update safety test report', lab: LABS.catarc, reportNo: 'CATARC-OTA-2025-0520', issuedOn: '2025-05-20', validUntil: '2028-05-19' });
    const vanV = await submitDraft(ctx.deps, dom, van.id);
    await approveVersion(ctx.deps, dom, van.id, vanV.version!, { reference: 'MIIT-ZB-2025-05-0288', date: '2025-05-28' });

    // Overseas: two imported models with highway assist and OTA, approved before the notice (N45-3 was due 2025-06-01).
    const ex5 = await product(ctx, 'overseas', 'ex5', {
      model: 'EXM6480BEVA', name: { zh: '示例 EX5', en: 'Example EX5' }, category: 'M1', cdas: true, ota: true, automationLevel: 2,
      manufacturer: { zh: '示例汽车股份公司（德国工厂）', en: 'Example Motors AG, Plant Ingolstadt' },
      access: { status: 'approved', batch: '371', approvalDate: '2023-11-30' },
    });
    await approvedVersion(ctx, ovs, ex5.id, fullValues({
      'cdas.systemName': 'Highway Assist Pro', 'cdas.tier': 'multi_lane', 'cdas.functions': ['ACC', 'LCC', 'ALC'], 'cdas.odd.roadTypes': ['highway'],
      'cdas.odd.speedMax': 130, 'cdas.sensors.lidars': 0, 'cdas.controller': 'ZF ProAI', 'ota.swin': ['RXSWIN-EX5-ADAS-3', 'RXSWIN-EX5-BMS-1'],
    }), { reference: 'MIIT-ZB-2025-07-1102', date: '2025-07-15' });
    await report(ctx, ovs, ex5.id, ex5.model, CDAS_EVIDENCE, { title: 'ADAS type-approval test report (UN R79 / R171 and Annex 2 items)', lab: LABS.tuv, reportNo: 'TUV-ADAS-2025-77410', issuedOn: '2025-03-12', validUntil: '2027-03-11', version: 1 });
    await report(ctx, ovs, ex5.id, ex5.model, OTA_EVIDENCE, { title: 'Software update management (UN R156 / GB 44496) report', lab: LABS.tuv, reportNo: 'TUV-SUMS-2025-33108', issuedOn: '2025-03-20', validUntil: '2027-03-19', version: 1 });
    const ex7 = await product(ctx, 'overseas', 'ex7', {
      model: 'EXM7300BEVS', name: { zh: '示例 EX7', en: 'Example EX7' }, category: 'M1', cdas: true, ota: true, automationLevel: 2,
      access: { status: 'approved', batch: '374', approvalDate: '2024-02-28' },
    });
    await putDraft(ctx.deps, ovs, ex7.id, fullValues({ 'cdas.systemName': 'Highway Assist', 'cdas.tier': 'single_lane', 'cdas.functions': ['ACC', 'LCC'], 'cdas.odd.roadTypes': ['highway'] }));
    ctx.notes.push(`${ex7.model} (overseas): supplementary parameters drafted, verification reports still missing`);
  },
};
