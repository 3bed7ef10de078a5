import { call, campaignBody, makeVin, productWithBaseline } from '../../src/ota/test-fixtures.ts';
import type { TestApp, TestTenant } from '../support.ts';

/** Tenant B's vehicle and a classified campaign with its required steps. */
export default async function (t: TestApp, b: TestTenant): Promise<Record<string, string>> {
  const product = await productWithBaseline(t, b, { model: 'BRAVO-OTA-1' });
  const vin = makeVin('LRW', 777);
  const imp = await t.app.inject({ method: 'POST', url: '/api/v1/vehicles/import', headers: { ...b.auth, 'content-type': 'text/csv' }, payload: `vin,product,productionDate\n${vin},BRAVO-OTA-1,2025-03-01\n` });
  if (imp.statusCode !== 200) throw new Error(`ota fixture: import ${imp.statusCode} ${imp.body}`);
  const c = await call(t, b, 'POST', '/api/v1/campaigns', campaignBody([product.id], { parameters: { 'cdas.odd.speedMax': 135 } }), 201);
  await call(t, b, 'POST', `/api/v1/campaigns/${c.id}/classify`);
  const full = await call(t, b, 'GET', `/api/v1/campaigns/${c.id}`);
  return { vin, campaignId: c.id, stepId: full.steps[0].id };
}
