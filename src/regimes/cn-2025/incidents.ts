/**
 * Reportability of CDAS events and accidents (工信部联通装〔2025〕45号 item 4, 健全事件事故报告与研判机制).
 * The notice says WHAT to report; no public source gives time limits, so every number here is a
 * tenant-configurable policy default (basis 'policy'), modelled on SAMR's NEV fire rule, NHTSA SGO
 * 2021-01 (3rd amendment) and UNECE R171. Pure: no clock, no IO; `aware` is passed in.
 */
import { z } from 'zod';
import { shanghaiDate, shanghaiInstant } from '../../platform/time.ts';
import { addCalendarDays, dueAfterHours, dueAfterWorkingDays, OFFICIAL_CALENDAR, type Calendar } from './calendar.ts';
import { ref, type RuleRef } from './index.ts';

export const EVENT_TYPES = ['cdas_failure', 'boundary_exit', 'deactivation', 'lockout', 'collision', 'intrusion', 'remote_control'] as const;
export type EventType = (typeof EVENT_TYPES)[number];
export const ENGAGEMENT = ['verified_engaged', 'alleged_engaged', 'verified_not_engaged', 'unknown'] as const;
export type Engagement = (typeof ENGAGEMENT)[number];
export type Severity = 'S1' | 'S2' | 'S3' | 'S4';

const SRC_NOTICE = '工信部联通装〔2025〕45号 第四条（健全事件事故报告与研判机制）';
const SRC_SAMR_OTA = '市场监管总局 关于进一步加强汽车远程升级（OTA）技术召回监管的通知（2020）';
const SRC_POLICY = 'icvgate default policy (no published time limit; after SAMR NEV fire rule, NHTSA SGO 2021-01 amdt. 3, UNECE R171)';

/** Policy defaults; a tenant overrides any of them in `tenants.policy.incidents`. */
export const IncidentPolicySchema = z.object({
  engagementWindowSeconds: z.number().int().min(0).max(600).default(30),
  /** A collision with unknown engagement counts as engaged (conservative) unless the tenant says otherwise. */
  unknownEngagementCounts: z.boolean().default(true),
  s1FirstReportHours: z.number().positive().max(720).default(24),
  s1FullReportDays: z.number().int().min(1).max(60).default(5),
  s2FirstReportWorkingDays: z.number().int().min(1).max(60).default(5),
  s3FirstReportHours: z.number().positive().max(720).default(24),
  monthlyDueDay: z.number().int().min(1).max(28).default(15),
  escalationVehicles: z.number().int().min(2).max(100_000).default(5),
  escalationWindowDays: z.number().int().min(1).max(365).default(30),
}).strict();
export type IncidentPolicy = z.infer<typeof IncidentPolicySchema>;
export const INCIDENT_POLICY_DEFAULTS: IncidentPolicy = IncidentPolicySchema.parse({});

/** Tenant policy jsonb (`{incidents: {...}}`) merged over the defaults; a bad value is a clear error. */
export function incidentPolicy(tenantPolicy: unknown): IncidentPolicy {
  const raw = (tenantPolicy && typeof tenantPolicy === 'object' ? (tenantPolicy as Record<string, unknown>).incidents : undefined) ?? {};
  return IncidentPolicySchema.parse(raw);
}

export type IncidentFacts = {
  type: EventType;
  engagement?: Engagement;
  /** Seconds between CDAS disengagement and impact; 0 = engaged at impact; null = not known. */
  secondsBeforeImpact?: number | null;
  fatality?: boolean;
  hospitalInjury?: boolean;
  vulnerableRoadUser?: boolean;
  fire?: boolean;
  airbag?: boolean;
  towAway?: boolean;
  propertyDamage?: boolean;
};

export type Deadline = {
  kind: 'first-report' | 'full-report' | 'update' | 'investigation-opened' | 'result-report' | 'monthly-summary';
  /** null: no date, due when the named condition happens (e.g. the investigation closes). */
  due: Date | null;
  when: string;
  basis: 'policy';
  policy: { key: keyof IncidentPolicy; value: number };
  provisional: boolean;
  calendarRule?: string;
};

export type Reportability = {
  reportable: boolean;
  severity: Severity | null;
  reasons: string[];
  rules: RuleRef[];
  deadlines: Deadline[];
  /** Updates on new material facts are due by this day of the following month (S1, S2). */
  updatePolicy: { dueDay: number; basis: 'policy' } | null;
  policy: IncidentPolicy;
};

/** Was CDAS engaged at any time in the window before the crash? */
export function engagedInWindow(f: IncidentFacts, p: IncidentPolicy): { inWindow: boolean; why: string } {
  const w = p.engagementWindowSeconds;
  if (typeof f.secondsBeforeImpact === 'number') {
    return f.secondsBeforeImpact <= w
      ? { inWindow: true, why: `CDAS engaged ${f.secondsBeforeImpact} s before impact (window ${w} s, policy)` }
      : { inWindow: false, why: `CDAS disengaged ${f.secondsBeforeImpact} s before impact, outside the ${w} s window (policy)` };
  }
  switch (f.engagement) {
    case 'verified_engaged': case 'alleged_engaged':
      return { inWindow: true, why: `CDAS ${f.engagement.replace('_', ' ')} in the ${w} s before the crash` };
    case 'verified_not_engaged':
      return { inWindow: false, why: 'CDAS verified not engaged' };
    default:
      return p.unknownEngagementCounts
        ? { inWindow: true, why: 'engagement unknown: counted as engaged (policy unknownEngagementCounts)' }
        : { inWindow: false, why: 'engagement unknown: not counted (policy unknownEngagementCounts=false)' };
  }
}

/** The severity alone, for bulk intake; agrees with assessReportability(...).severity (tested). */
export function severityOf(f: IncidentFacts, p: IncidentPolicy = INCIDENT_POLICY_DEFAULTS): Severity | null {
  if (f.type === 'intrusion' || f.type === 'remote_control') return 'S3';
  if (f.type !== 'collision') return 'S4';
  if (!engagedInWindow(f, p).inWindow) return null;
  return f.fatality || f.hospitalInjury || f.vulnerableRoadUser || f.fire ? 'S1' : 'S2';
}

const POLICY = (key: keyof IncidentPolicy, value: number) => ({ key, value });

/** The day `dueDay` of the month after the Shanghai month of `at`, end of day, Asia/Shanghai. */
export function nextMonthDay(at: Date, dueDay: number): Date {
  const [y, m] = shanghaiDate(at).split('-').map(Number);
  const ny = m === 12 ? y + 1 : y, nm = m === 12 ? 1 : m + 1;
  return shanghaiInstant(`${ny}-${String(nm).padStart(2, '0')}-${String(dueDay).padStart(2, '0')}`);
}

/** Severity and deadlines of one event or accident; the clock starts at awareness (知悉). */
export function assessReportability(f: IncidentFacts, aware: Date, p: IncidentPolicy = INCIDENT_POLICY_DEFAULTS, cal: Calendar = OFFICIAL_CALENDAR): Reportability {
  const base = { policy: p };
  if (f.type === 'intrusion' || f.type === 'remote_control') {
    const first = dueAfterHours(aware, p.s3FirstReportHours);
    return {
      ...base, reportable: true, severity: 'S3',
      reasons: [`vehicle ${f.type === 'intrusion' ? 'intruded into (被入侵)' : 'remotely controlled (远程控制)'}: investigate immediately and report`],
      rules: [ref('INC-S3', SRC_SAMR_OTA), ref('INC-TIME-S3', SRC_POLICY)],
      deadlines: [
        { kind: 'investigation-opened', due: first.due, when: `${p.s3FirstReportHours} h after awareness`, basis: 'policy', policy: POLICY('s3FirstReportHours', p.s3FirstReportHours), provisional: false },
        { kind: 'result-report', due: null, when: 'when the investigation closes', basis: 'policy', policy: POLICY('s3FirstReportHours', p.s3FirstReportHours), provisional: false },
      ],
      updatePolicy: null,
    };
  }
  if (f.type === 'collision') {
    const w = engagedInWindow(f, p);
    if (!w.inWindow) {
      return { ...base, reportable: false, severity: null, reasons: [`collision, ${w.why}: not a CDAS accident`], rules: [ref('INC-COLLISION-WINDOW', SRC_POLICY)], deadlines: [], updatePolicy: null };
    }
    const grave = [f.fatality && 'death', f.hospitalInjury && 'injury treated in hospital', f.vulnerableRoadUser && 'vulnerable road user struck', f.fire && 'fire']
      .filter(Boolean) as string[];
    const update = { dueDay: p.monthlyDueDay, basis: 'policy' as const };
    if (grave.length > 0) {
      const first = dueAfterHours(aware, p.s1FirstReportHours);
      const fullDate = addCalendarDays(shanghaiDate(aware), p.s1FullReportDays);
      return {
        ...base, reportable: true, severity: 'S1',
        reasons: [`collision with ${grave.join(', ')}; ${w.why}`],
        rules: [ref('INC-S1', SRC_NOTICE), ref('INC-TIME-S1', SRC_POLICY)],
        deadlines: [
          { kind: 'first-report', due: first.due, when: `${p.s1FirstReportHours} h after awareness`, basis: 'policy', policy: POLICY('s1FirstReportHours', p.s1FirstReportHours), provisional: false },
          { kind: 'full-report', due: shanghaiInstant(fullDate), when: `${p.s1FullReportDays} calendar days after awareness, end of day Asia/Shanghai`, basis: 'policy', policy: POLICY('s1FullReportDays', p.s1FullReportDays), provisional: false },
        ],
        updatePolicy: update,
      };
    }
    const other = [f.airbag && 'airbag deployed', f.towAway && 'tow-away', f.propertyDamage && 'property damage'].filter(Boolean) as string[];
    const first = dueAfterWorkingDays(aware, p.s2FirstReportWorkingDays, cal);
    return {
      ...base, reportable: true, severity: 'S2',
      reasons: [`collision${other.length ? ` (${other.join(', ')})` : ''}; ${w.why}`],
      rules: [ref('INC-S2', SRC_NOTICE), ref('INC-TIME-S2', SRC_POLICY)],
      deadlines: [{ kind: 'first-report', due: first.due, when: `${p.s2FirstReportWorkingDays} working days after awareness`, basis: 'policy', policy: POLICY('s2FirstReportWorkingDays', p.s2FirstReportWorkingDays), provisional: first.provisional, calendarRule: first.rule }],
      updatePolicy: update,
    };
  }
  const label = { cdas_failure: 'CDAS failure (失效)', boundary_exit: 'function exit beyond the system boundary (超出系统边界导致功能退出)', deactivation: 'CDAS deactivation', lockout: 'CDAS lockout' }[f.type];
  return {
    ...base, reportable: true, severity: 'S4',
    reasons: [`${label} without collision: monthly summary`],
    rules: [ref('INC-S4', SRC_NOTICE), ref('INC-TIME-S4', SRC_POLICY)],
    deadlines: [{ kind: 'monthly-summary', due: nextMonthDay(aware, p.monthlyDueDay), when: `day ${p.monthlyDueDay} of the month after awareness`, basis: 'policy', policy: POLICY('monthlyDueDay', p.monthlyDueDay), provisional: false }],
    updatePolicy: null,
  };
}

/** When an update carrying new material facts (learned at `learnedAt`) is due (S1, S2). */
export function updateDue(learnedAt: Date, p: IncidentPolicy = INCIDENT_POLICY_DEFAULTS): Deadline {
  return { kind: 'update', due: nextMonthDay(learnedAt, p.monthlyDueDay), when: `update by day ${p.monthlyDueDay} of the month after the new facts`, basis: 'policy', policy: POLICY('monthlyDueDay', p.monthlyDueDay), provisional: false };
}

// ---- Escalation: repeated failure signatures -------------------------------------------------

/** A failure signature: CDAS function, fault code, software version (ECU optional). */
export type Signature = { function: string; faultCode: string; softwareVersion: string; ecu?: string | null };
export const signatureKey = (s: Signature) => [s.function, s.faultCode, s.softwareVersion, s.ecu ?? ''].join('|');

/**
 * Windows are whole Asia/Shanghai days: the window ending on day D covers the `escalationWindowDays`
 * days D-(n-1) .. D. A signature escalates when some window holds at least `escalationVehicles`
 * distinct vehicles. Returns the first such window or null.
 */
export function escalation(sightings: { vin: string; day: string }[], p: IncidentPolicy = INCIDENT_POLICY_DEFAULTS):
  { vehicles: number; from: string; to: string; rule: RuleRef } | null {
  const sorted = [...sightings].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  const inWindow = new Map<string, number>();
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    const end = sorted[hi].day;
    const start = addCalendarDays(end, -(p.escalationWindowDays - 1));
    while (sorted[lo].day < start) {
      const v = sorted[lo].vin, c = inWindow.get(v)! - 1;
      if (c === 0) inWindow.delete(v); else inWindow.set(v, c);
      lo++;
    }
    inWindow.set(sorted[hi].vin, (inWindow.get(sorted[hi].vin) ?? 0) + 1);
    // Only a window that ends on the last sighting of its day is complete.
    if ((hi + 1 === sorted.length || sorted[hi + 1].day !== end) && inWindow.size >= p.escalationVehicles) {
      return { vehicles: inWindow.size, from: start, to: end, rule: ref('INC-ESCALATE', `${SRC_NOTICE}; threshold: ${SRC_POLICY}`) };
    }
  }
  return null;
}
