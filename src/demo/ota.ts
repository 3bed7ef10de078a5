// Step: the OTA side of the demo, on the domestic manufacturer's approved product.
// - 300 vehicles in the VIN registry;
// - the manufacturer's OTA capability and model filings recorded (M22-1);
// - release 2026.48 of the ADAS controller changes a main parameter: class B, waiting for its permit
//   and filings (the gate refuses it), as Wang Lei finds it in journey 2;
// - release 2026.45 of the body controller changes no parameter: class A, filed, cleared, rolling out,
//   with reports that reconciliation flags (a vehicle outside the scope, a server-only success).
import { Readable } from 'node:stream';
import { recordSubmission } from '../obligations/index.ts';
import { createCampaign, classifyCampaign, getCampaign, postRolloutReports, recordStep, transitionCampaign } from '../ota/index.ts';
import { makeVin } from '../ota/test-fixtures.ts';
import { sha256Hex } from '../platform/canonical.ts';
import { unitOfWork } from '../platform/usecase.ts';
import { uploadEvidence } from '../evidence/upload-evidence.ts';
import { importVehicles } from '../vehicles/import-vehicles.ts';
import type { DemoContext, DemoStep } from './context.ts';
import { reportPdf } from './reports.ts';

/** A verification report for a release, stored as evidence, referenced by the campaign. */
async function releaseReport(ctx: DemoContext, actor: import('../platform/audit.ts').Actor, model: string, release: string, items: string[]) {
  const reportNo = `HX-VV-${release}`;
  const file = await reportPdf({ title: `OTA ${release} verification and validation report`, lab: 'Huaxing OTA validation laboratory', reportNo, issuedOn: '2026-11-10', product: model, items });
  const r = await uploadEvidence(ctx.deps, actor, file, { title: `OTA ${release} V&V report`, lab: 'Huaxing OTA validation laboratory', reportNo, issuedOn: '2026-11-10', filename: `${reportNo}.pdf`, contentType: 'application/pdf' });
  return [{ sha256: r.evidence.sha256, title: `OTA ${release} V&V report` }];
}

const DAY = 86_400_000;

export const otaStep: DemoStep = {
  name: 'ota',
  async run(ctx) {
    const domestic = ctx.tenants.domestic;
    const s7 = ctx.products.xingtuS7;
    if (!domestic || !s7) return;
    const actor = domestic.admin;
    const model = s7.product.model;
    const vins = Array.from({ length: 300 }, (_, i) => makeVin('LHX', 100 + i, 'A7BEV'));
    const csv = ['vin,product,productionDate', ...vins.map((v, i) => `${v},${model},${i < 280 ? '2025-04-15' : '2023-06-01'}`)].join('\n');
    await importVehicles(ctx.deps, actor, { format: 'csv', body: Readable.from([csv]), skipInvalid: false });

    await unitOfWork(ctx.deps, actor, async (u) => {
      const open = await u.sql.query<{ id: string; rule: string }>(
        `SELECT id, rule FROM obligations WHERE tenant_id = $1 AND rule IN ('M22-1a', 'M22-1b') AND status = 'open'`, [u.tenantId]);
      for (const o of open) await recordSubmission(u, o.id, { channel: 'MIIT EIDC OTA filing system', reference: `EIDC-${o.rule}-2026-0107` });
    });

    const now = ctx.deps.clock().getTime();
    const common = {
      products: [s7.product.id], otaType: 'remote' as const, recall: false,
      notices: {
        before: { zh: '本次升级约需30分钟，请在停车状态下进行。', en: 'The update takes about 30 minutes; park the vehicle first.' },
        after: { zh: '升级已完成。', en: 'The update is complete.' },
      },
    };
    const b = await createCampaign(ctx.deps, actor, {
      ...common,
      purpose: '导航辅助速度控制策略优化 / navigation assist speed-control strategy', requirementSource: 'feature',
      software: [{ ecu: 'ADCU', partNumber: 'HX-ADCU-7000', from: '2026.40', to: '2026.48', sha256: sha256Hex('demo ADCU 2026.48'), size: 734_003_200 }],
      swin: [{ system: 'CDAS', from: 'SWIN-HX-CDAS-3', to: 'SWIN-HX-CDAS-4' }],
      functions: [{ name: 'NOA_HIGHWAY', change: 'changed', automationLevel: 2 }],
      parameters: { 'cdas.odd.speedMax': 120 },
      evidence: await releaseReport(ctx, actor, model, '2026.48', ['HIL regression of navigation assist speed control', 'road test 12,000 km']),
      window: { start: new Date(now + 14 * DAY).toISOString(), end: new Date(now + 60 * DAY).toISOString() },
      scope: { productionDate: { from: '2024-01-01', to: '2026-06-30' } },
    } as any);
    await classifyCampaign(ctx.deps, actor, b.id);
    await transitionCampaign(ctx.deps, actor, b.id, 'awaiting_prerequisites');

    const a = await createCampaign(ctx.deps, actor, {
      ...common,
      purpose: '车身控制器舒适性功能优化 / body controller comfort functions', requirementSource: 'user-complaint',
      software: [{ ecu: 'BCM', partNumber: 'HX-BCM-2100', from: '2026.30', to: '2026.45', sha256: sha256Hex('demo BCM 2026.45'), size: 12_582_912 }],
      swin: [], functions: [], parameters: {},
      evidence: await releaseReport(ctx, actor, model, '2026.45', ['BCM comfort functions regression', 'update safety: energy check, rollback']),
      window: { start: new Date(now - 2 * DAY).toISOString(), end: new Date(now + 30 * DAY).toISOString() },
      scope: { productionDate: { from: '2024-01-01', to: '2026-06-30' } },
    } as any);
    await classifyCampaign(ctx.deps, actor, a.id);
    const classified = await getCampaign(ctx.deps, actor, a.id);
    for (const step of classified.steps as any[]) {
      if (step.phase !== 'before-release') continue;
      await recordStep(ctx.deps, actor, a.id, step.id, { reference: `${step.addressee}-OTA-2026-${step.id.slice(-4).toUpperCase()}`, evidence: [] });
    }
    await transitionCampaign(ctx.deps, actor, a.id, 'awaiting_prerequisites');
    await transitionCampaign(ctx.deps, actor, a.id, 'cleared');
    await transitionCampaign(ctx.deps, actor, a.id, 'rolling_out');
    const at = new Date(ctx.deps.clock().getTime() + 60_000).toISOString(); // after clearance
    const line = (vin: string, over: Record<string, unknown> = {}) => JSON.stringify({ vin, version: '2026.45', ecu: 'BCM', at, result: 'success', source: 'vehicle', ...over });
    const report = [
      ...vins.slice(0, 200).map((v) => line(v)),
      ...vins.slice(200, 210).map((v) => line(v, { source: 'server' })),
      ...vins.slice(210, 214).map((v) => line(v, { result: 'failure' })),
      line(vins[290]), // produced 2023: outside the filed production window
    ].join('\n');
    await postRolloutReports(ctx.deps, actor, a.id, 'demo-rollout-1', Readable.from([report]));

    ctx.results.ota = { classB: b.id, classA: a.id, vehicles: vins.length };
    ctx.notes.push(`${model}: campaign 2026.48 (class B) waits for the MIIT change permit and both filings; campaign 2026.45 (class A) is rolling out, and reconciliation flags a vehicle outside the filed scope and server-only successes`);
  },
};
