import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  assessReportability, engagedInWindow, escalation, incidentPolicy, INCIDENT_POLICY_DEFAULTS, nextMonthDay, severityOf, updateDue,
  type IncidentFacts, type IncidentPolicy,
} from './incidents.ts';

const P = INCIDENT_POLICY_DEFAULTS;
const AWARE = new Date('2026-05-01T02:00:00Z'); // 10:00 Shanghai, a public holiday (Labour Day)
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

describe('severity per incidents.md', () => {
  const cases: [string, IncidentFacts, string | null][] = [
    ['death, engaged', { type: 'collision', engagement: 'verified_engaged', fatality: true }, 'S1'],
    ['hospital injury, alleged engaged', { type: 'collision', engagement: 'alleged_engaged', hospitalInjury: true }, 'S1'],
    ['vulnerable road user, disengaged 30 s before (edge in)', { type: 'collision', engagement: 'verified_not_engaged', secondsBeforeImpact: 30, vulnerableRoadUser: true }, 'S1'],
    ['fire, engaged at impact', { type: 'collision', secondsBeforeImpact: 0, fire: true }, 'S1'],
    ['death, disengaged 31 s before (edge out)', { type: 'collision', engagement: 'verified_engaged', secondsBeforeImpact: 31, fatality: true }, null],
    ['airbag, engaged', { type: 'collision', engagement: 'verified_engaged', airbag: true }, 'S2'],
    ['tow-away, engaged', { type: 'collision', engagement: 'verified_engaged', towAway: true }, 'S2'],
    ['property damage only, engaged', { type: 'collision', engagement: 'alleged_engaged', propertyDamage: true }, 'S2'],
    ['collision, verified not engaged', { type: 'collision', engagement: 'verified_not_engaged', airbag: true }, null],
    ['collision, engagement unknown (policy: counts)', { type: 'collision', engagement: 'unknown', airbag: true }, 'S2'],
    ['collision, engagement missing', { type: 'collision', fatality: true }, 'S1'],
    ['intrusion', { type: 'intrusion' }, 'S3'],
    ['remote control', { type: 'remote_control' }, 'S3'],
    ['intrusion with collision facts stays S3', { type: 'intrusion', fatality: true }, 'S3'],
    ['CDAS failure', { type: 'cdas_failure' }, 'S4'],
    ['boundary exit', { type: 'boundary_exit' }, 'S4'],
    ['deactivation', { type: 'deactivation' }, 'S4'],
    ['lockout', { type: 'lockout' }, 'S4'],
  ];
  for (const [name, facts, severity] of cases) {
    it(name, () => {
      const r = assessReportability(facts, AWARE);
      assert.equal(r.severity, severity);
      assert.equal(severityOf(facts), severity);
      assert.equal(r.reportable, severity !== null);
      assert.ok(r.rules.length > 0 && r.rules.every((x) => x.regime === 'cn-2025' && x.source.length > 0));
      assert.ok(r.reasons[0].length > 0);
      for (const d of r.deadlines) assert.equal(d.basis, 'policy');
    });
  }
  it('unknown engagement does not count when the tenant says so', () => {
    const p = incidentPolicy({ incidents: { unknownEngagementCounts: false } });
    assert.equal(assessReportability({ type: 'collision', engagement: 'unknown', fatality: true }, AWARE, p).severity, null);
  });
  it('a tenant window of 10 s moves the edge', () => {
    const p = incidentPolicy({ incidents: { engagementWindowSeconds: 10 } });
    assert.equal(engagedInWindow({ type: 'collision', secondsBeforeImpact: 10 }, p).inWindow, true);
    assert.equal(engagedInWindow({ type: 'collision', secondsBeforeImpact: 11 }, p).inWindow, false);
  });
});

describe('deadlines: the clock starts at awareness', () => {
  const cases: [string, IncidentFacts, Date, Partial<IncidentPolicy>, [string, string | null][]][] = [
    ['S1: 24 h, then full report at end of the 5th calendar day (Shanghai)', { type: 'collision', engagement: 'verified_engaged', fatality: true }, AWARE, {},
      [['first-report', '2026-05-02T02:00:00.000Z'], ['full-report', '2026-05-06T15:59:59.999Z']]],
    ['S1 with a tenant policy of 12 h and 3 days', { type: 'collision', engagement: 'verified_engaged', fire: true }, AWARE, { s1FirstReportHours: 12, s1FullReportDays: 3 },
      [['first-report', '2026-05-01T14:00:00.000Z'], ['full-report', '2026-05-04T15:59:59.999Z']]],
    ['S2: 5 working days across Spring Festival 2026 (Sat 02-14 is a working day)', { type: 'collision', engagement: 'verified_engaged', airbag: true }, new Date('2026-02-13T02:00:00Z'), {},
      [['first-report', '2026-02-27T15:59:59.999Z']]],
    ['S2: awareness at 04:00 Shanghai counts the Shanghai day', { type: 'collision', engagement: 'alleged_engaged' }, new Date('2026-03-10T20:00:00Z'), {},
      [['first-report', '2026-03-18T15:59:59.999Z']]],
    ['S3: investigation opened in 24 h, result when it closes', { type: 'intrusion' }, AWARE, {},
      [['investigation-opened', '2026-05-02T02:00:00.000Z'], ['result-report', null]]],
    ['S4: monthly summary by the 15th of the next month', { type: 'cdas_failure' }, AWARE, {},
      [['monthly-summary', '2026-06-15T15:59:59.999Z']]],
    ['S4: awareness on New Year 01:00 Shanghai is January, not December', { type: 'boundary_exit' }, new Date('2026-12-31T17:00:00Z'), {},
      [['monthly-summary', '2027-02-15T15:59:59.999Z']]],
    ['S4: December awareness rolls into January', { type: 'lockout' }, new Date('2026-12-10T00:00:00Z'), { monthlyDueDay: 10 },
      [['monthly-summary', '2027-01-10T15:59:59.999Z']]],
  ];
  for (const [name, facts, aware, policy, expected] of cases) {
    it(name, () => {
      const r = assessReportability(facts, aware, incidentPolicy({ incidents: policy }));
      assert.deepEqual(r.deadlines.map((d) => [d.kind, iso(d.due)]), expected);
      for (const d of r.deadlines) assert.equal(d.policy.value, r.policy[d.policy.key]);
    });
  }
  it('S2 deadline in a year without an official schedule is provisional', () => {
    const r = assessReportability({ type: 'collision', engagement: 'verified_engaged' }, new Date('2031-03-03T02:00:00Z'));
    assert.equal(r.deadlines[0].provisional, true);
  });
  it('updates on new material facts are due by the 15th of the following month', () => {
    assert.equal(iso(updateDue(new Date('2026-07-20T03:00:00Z')).due), '2026-08-15T15:59:59.999Z');
    assert.equal(iso(nextMonthDay(new Date('2026-01-31T16:30:00Z'), 15)), '2026-03-15T15:59:59.999Z'); // Feb 1 Shanghai
  });
  it('same inputs, same answer', () => {
    const f: IncidentFacts = { type: 'collision', engagement: 'verified_engaged', airbag: true };
    assert.deepEqual(assessReportability(f, AWARE), assessReportability(f, AWARE));
  });
});

describe('tenant policy', () => {
  it('defaults when the tenant has none', () => assert.deepEqual(incidentPolicy({}), P));
  it('rejects a bad value naming the field', () => {
    assert.throws(() => incidentPolicy({ incidents: { escalationVehicles: 0 } }), /escalationVehicles/);
  });
  it('rejects an unknown key', () => assert.throws(() => incidentPolicy({ incidents: { s9: 1 } })));
});

describe('escalation threshold edges (5 vehicles in 30 days by default)', () => {
  const days = (n: number, start = '2026-03-01') => Array.from({ length: n }, (_, i) => ({ vin: `V${i}`, day: start }));
  it('4 vehicles: no', () => assert.equal(escalation(days(4)), null));
  it('5 vehicles the same day: yes', () => assert.equal(escalation(days(5))?.vehicles, 5));
  it('one vehicle 9 times: no', () => assert.equal(escalation(Array.from({ length: 9 }, () => ({ vin: 'X', day: '2026-03-01' }))), null));
  it('5 vehicles spanning exactly 30 days (day 1 .. day 30): yes', () => {
    const s = [{ vin: 'A', day: '2026-03-01' }, { vin: 'B', day: '2026-03-10' }, { vin: 'C', day: '2026-03-20' }, { vin: 'D', day: '2026-03-25' }, { vin: 'E', day: '2026-03-30' }];
    assert.deepEqual(escalation(s)?.from, '2026-03-01');
  });
  it('5 vehicles spanning 31 days: no', () => {
    const s = [{ vin: 'A', day: '2026-03-01' }, { vin: 'B', day: '2026-03-10' }, { vin: 'C', day: '2026-03-20' }, { vin: 'D', day: '2026-03-25' }, { vin: 'E', day: '2026-03-31' }];
    assert.equal(escalation(s), null);
  });
  it('a repeat of an early vehicle inside the window keeps it counted', () => {
    const s = [{ vin: 'A', day: '2026-03-01' }, { vin: 'A', day: '2026-03-29' }, { vin: 'B', day: '2026-03-10' }, { vin: 'C', day: '2026-03-20' }, { vin: 'D', day: '2026-03-25' }, { vin: 'E', day: '2026-03-31' }];
    assert.deepEqual(escalation(s), { ...escalation(s)!, vehicles: 5, from: '2026-03-02', to: '2026-03-31' });
  });
  it('tenant threshold 3 in 7 days', () => {
    const p = incidentPolicy({ incidents: { escalationVehicles: 3, escalationWindowDays: 7 } });
    assert.equal(escalation([{ vin: 'A', day: '2026-03-01' }, { vin: 'B', day: '2026-03-04' }, { vin: 'C', day: '2026-03-07' }], p)?.vehicles, 3);
    assert.equal(escalation([{ vin: 'A', day: '2026-03-01' }, { vin: 'B', day: '2026-03-04' }, { vin: 'C', day: '2026-03-08' }], p), null);
  });
});
