// Fixtures for OTA tests and benches: products with an approved baseline, fulfilled manufacturer
// filings, and step records, all through the real use cases and HTTP routes.
import assert from 'node:assert/strict';
import type { TestApp, TestTenant } from '../../test/support.ts';
import { vinCheckCharacter } from '../identifiers/vin.ts';
import { approveVersion, createProduct, putDraft, submitDraft } from '../products/index.ts';

export function makeVin(wmi: string, serial: number, vds = '3E7FS'): string {
  const base = `${wmi}${vds}0PC${String(serial).padStart(6, '0')}`;
  return base.slice(0, 8) + vinCheckCharacter(base) + base.slice(9);
}

export function baselineValues(over: Record<string, unknown> = {}, cdas = true): Record<string, unknown> {
  const ota = {
    'general.otaCapable': true, 'ota.mode': 'remote', 'ota.upgradableSystems': ['ADCU', 'BCM'], 'ota.swin': ['SWIN-CDAS-1'],
    'ota.preconditions': 'parked, battery above 30%', 'ota.energyCheck': true, 'ota.failureHandling': 'rollback', 'ota.userConfirmation': true,
  };
  const c = cdas ? {
    'general.cdasFitted': true, 'cdas.systemName': 'Highway Assist', 'cdas.functions': ['ACC', 'LCC', 'NOA_HIGHWAY'], 'cdas.tier': 'navigation',
    'cdas.odd.roadTypes': ['highway'], 'cdas.odd.speedMin': 0, 'cdas.odd.speedMax': 130, 'cdas.odd.weather': ['clear', 'light_rain'],
    'cdas.odd.lighting': ['daylight', 'night_lit'], 'cdas.odd.infrastructure': 'lane markings', 'cdas.takeoverStrategy': 'staged warnings then minimal risk manoeuvre',
    'cdas.riskMitigation': true, 'cdas.dms.handsOffDetection': true, 'cdas.dms.eyesOffDetection': true, 'cdas.dms.firstWarningDelay': 10,
    'cdas.dms.misuseLockout': 30, 'cdas.sensors.cameras': 8, 'cdas.sensors.radars': 1, 'cdas.sensors.lidars': 0, 'cdas.sensors.ultrasonic': 12,
    'cdas.controller': 'ADCU v4', 'cdas.eventDataRecording': true,
  } : { 'general.cdasFitted': false };
  return { ...ota, ...c, ...over };
}

export async function productWithBaseline(t: TestApp, tenant: TestTenant, p: { model: string; cdas?: boolean; automationLevel?: number; values?: Record<string, unknown> }) {
  const cdas = p.cdas ?? true;
  const product = await createProduct(t.deps, tenant.actor, {
    model: p.model, name: { zh: p.model, en: p.model }, category: 'M1', cdas, ota: true, automationLevel: p.automationLevel ?? (cdas ? 2 : 0),
    access: { status: 'approved', approvalDate: '2024-01-10' },
  } as any);
  await putDraft(t.deps, tenant.actor, product.id, p.values ?? baselineValues({}, cdas));
  const set = await submitDraft(t.deps, tenant.actor, product.id);
  await approveVersion(t.deps, tenant.actor, product.id, set.version!, { reference: `MIIT-APPROVAL-${p.model}`, date: '2024-01-10' });
  return product;
}

async function call(t: TestApp, tenant: TestTenant, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, expect = 200) {
  const r = await t.app.inject({ method, url, headers: tenant.auth, payload: payload as any });
  assert.equal(r.statusCode, expect, `${method} ${url} -> ${r.statusCode} ${r.body}`);
  return r.json();
}
export { call };

/** Records the manufacturer's OTA capability filing and the model filings (M22-1a/b) with receipt numbers. */
export async function fileManufacturerOta(t: TestApp, tenant: TestTenant) {
  const list = await call(t, tenant, 'GET', '/api/v1/obligations?limit=500');
  for (const o of list.items) {
    if ((o.rule === 'M22-1a' || o.rule === 'M22-1b') && o.status === 'open') {
      await call(t, tenant, 'POST', `/api/v1/obligations/${o.id}/submissions`, { channel: 'MIIT EIDC OTA filing system', reference: `EIDC-${o.rule}-${o.subjectId.slice(-6)}` }, 201);
    }
  }
}

/** Records every before-release step of a classified campaign (receipts, permits) against its current digest. */
export async function recordAllSteps(t: TestApp, tenant: TestTenant, campaignId: string) {
  const c = await call(t, tenant, 'GET', `/api/v1/campaigns/${campaignId}`);
  for (const s of c.steps) {
    if (s.phase !== 'before-release') continue;
    await call(t, tenant, 'POST', `/api/v1/campaigns/${campaignId}/steps/${s.id}`, { reference: `${s.addressee}-${s.id}-0001` });
  }
}

export const sha = (c: string) => c.repeat(64).slice(0, 64);

export function campaignBody(products: string[], over: Record<string, unknown> = {}) {
  return {
    products, purpose: 'improve the speed-control strategy of navigation assist', requirementSource: 'feature', otaType: 'remote', recall: false,
    software: [{ ecu: 'ADCU', partNumber: 'ADCU-7000', from: '2026.40', to: '2026.48', sha256: sha('a'), size: 734003200 }],
    swin: [{ system: 'CDAS', from: 'SWIN-CDAS-1', to: 'SWIN-CDAS-2' }],
    functions: [], parameters: {},
    window: { start: '2026-12-07T00:00:00+08:00', end: '2027-01-31T00:00:00+08:00' },
    scope: { productionDate: { from: '2024-01-01', to: '2026-06-30' } },
    notices: { before: { zh: '本次升级优化导航辅助速度控制，约需40分钟。', en: 'This update improves navigation-assist speed control; about 40 minutes.' },
      after: { zh: '升级已完成。', en: 'The update is complete.' } },
    evidence: [{ sha256: sha('e'), title: 'HIL regression report 2026-48' }],
    ...over,
  };
}
