// Step: incidents for the on-call safety engineer (journey 3): a collision with navigation assist
// engaged 2 s before impact and an occupant taken to hospital (S1, first report due in 24 h), and the
// same fault code on the same software version in six vehicles this month (a defect assessment opens).
import { intakeEvents } from '../incidents/intake-events.ts';
import { makeVin } from '../ota/test-fixtures.ts';
import type { DemoStep } from './context.ts';

const HOUR = 3_600_000;

export const incidentsStep: DemoStep = {
  name: 'incidents',
  async run(ctx) {
    const domestic = ctx.tenants.domestic;
    if (!domestic) return;
    const now = ctx.deps.clock().getTime();
    const iso = (ms: number) => new Date(ms).toISOString();
    const collision = {
      type: 'collision', vin: makeVin('LHX', 105, 'A7BEV'), occurredAt: iso(now - 3 * HOUR), awareAt: iso(now - 2 * HOUR), awarenessSource: 'telematics', eventId: 'HX-TM-2026-000871',
      cdas: { function: 'NOA_HIGHWAY', engagement: 'verified_engaged', secondsBeforeImpact: 2 },
      software: [{ ecu: 'ADCU', version: '2026.40' }],
      location: { province: '浙江省', city: '杭州市' },
      severity: { hospitalInjury: true, airbag: true, towAway: true, vulnerableRoadUser: false, fire: false },
    };
    const failures = Array.from({ length: 6 }, (_, i) => ({
      type: 'cdas_failure', vin: makeVin('LHX', 120 + i, 'A7BEV'), occurredAt: iso(now - (i + 1) * 24 * HOUR), faultCode: 'ADCU-E1042',
      cdas: { function: 'LCC', engagement: 'verified_engaged' }, software: [{ ecu: 'ADCU', version: '2026.40' }],
    }));
    const lines = [collision, ...failures].map((e) => JSON.stringify(e)).join('\n');
    const r = await intakeEvents(ctx.deps, domestic.admin, { body: [lines], ndjson: true, idempotencyKey: 'demo-incidents-1' });
    ctx.results.incidents = r;
    ctx.notes.push('incidents: an S1 collision (first report due 24 h after awareness) and fault ADCU-E1042 on ADCU 2026.40 in six vehicles, which opened a defect assessment');
  },
};
