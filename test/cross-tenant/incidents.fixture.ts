import { withVinCheck } from '../../src/incidents/test-vins.ts';
import type { TestApp, TestTenant } from '../support.ts';

/** Tenant B's incidents: five vehicles with the same failure signature, which opens a defect assessment. */
export default async function (t: TestApp, b: TestTenant): Promise<Record<string, string>> {
  const events = [1, 2, 3, 4, 5].map((n) => ({
    type: 'cdas_failure', vin: withVinCheck(`LFV2A21K0P4${String(300000 + n)}`), occurredAt: '2026-11-20T10:00:00+08:00', faultCode: 'E-BRAVO',
    cdas: { function: 'ACC', engagement: 'verified_engaged' }, software: [{ ecu: 'ADCU', version: '9.9.9' }],
  }));
  const r = await t.app.inject({ method: 'POST', url: '/api/v1/incidents/events', headers: { ...b.auth, 'content-type': 'application/x-ndjson' }, payload: events.map((e) => JSON.stringify(e)).join('\n') });
  if (r.statusCode >= 300) throw new Error(`incidents fixture: ${r.statusCode} ${r.body}`);
  const incidentId = (await t.app.inject({ url: '/api/v1/incidents?limit=1', headers: b.auth })).json().items?.[0]?.id;
  const signals = (await t.app.inject({ url: '/api/v1/signals', headers: b.auth })).json();
  const assessmentId = signals.assessments?.[0]?.assessmentId ?? signals.assessments?.[0]?.id;
  if (!incidentId || !assessmentId) throw new Error(`incidents fixture: no incident or assessment: ${JSON.stringify(signals).slice(0, 300)}`);
  return { incidentId, assessmentId };
}
