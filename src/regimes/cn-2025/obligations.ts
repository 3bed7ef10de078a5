/**
 * Obligation rules of the cn-2025 rule pack: pure functions from facts (a product, a campaign, an
 * incident, a manufacturer) to the duties they create, each with rule id, source, addressee, the
 * documents it needs and its due date on the official working-day calendar. No clock: `now` is
 * passed in. Values no rule gives ("promptly", "at once") come from the tenant's policy and are
 * marked basis 'policy'.
 */
import { z } from 'zod';
import { shanghaiDate, shanghaiInstant } from '../../platform/time.ts';
import { OFFICIAL_CALENDAR, addWorkingDays, dueAfterWorkingDays, type Calendar } from './calendar.ts';
import { officialWorkingDays, requiredSteps, type OtaClass, type StepId } from './ota.ts';
import { REGIME } from './index.ts';

export const ADDRESSEES = ['MIIT', 'SAMR', 'internal'] as const;
export type Addressee = (typeof ADDRESSEES)[number];
export const SUBJECT_TYPES = ['product', 'campaign', 'incident', 'manufacturer', 'defect_assessment'] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];
export type Basis = 'law' | 'policy';
/** What the due date is tied to when the law gives an event rather than a date. */
export type DueCondition = 'date' | 'with-application' | 'before-release' | 'before-first-ota' | 'immediately' | 'on-event';

export type ObligationSpec = {
  key: string; // natural key: `${rule}[#part]:${subjectType}:${subjectId}:${addressee}`
  rule: string;
  part: string | null;
  source: string;
  regime: string;
  regimeVersion: string;
  subjectType: SubjectType;
  subjectId: string;
  addressee: Addressee;
  title: { zh: string; en: string };
  documents: string[]; // document kinds, labels in the obligations i18n namespace
  dueAt: string | null; // ISO instant; null when tied to an event not yet dated
  dueDate: string | null; // Asia/Shanghai calendar date of dueAt
  dueProvisional: boolean;
  dueBasis: Basis;
  dueCondition: DueCondition;
  dueExplain: string;
  /** The OTA gate: must be fulfilled before the upgrade may run. */
  gate: boolean;
  /** 'submission': a recorded submission with a receipt/filing number fulfils it; 'acceptance': only a granted permit does. */
  fulfilledBy: 'submission' | 'acceptance';
  /** Natural keys that must be fulfilled first (M22-1 filing order, permit before filing). */
  after: string[];
  /** Who acts: the importer for SAMR duties of an overseas manufacturer (N45-over). */
  actingParty: 'manufacturer' | 'importer';
};

// ---- policy ------------------------------------------------------------------------------------

export const ObligationPolicy = z.object({
  sandboxWorkingDays: z.number().int().min(1).max(60).default(10)
    .describe('N45-4 "promptly" (及时): working days after production access is granted'),
  dueSoonDays: z.number().int().min(1).max(90).default(7).describe('calendar days before due that count as due soon'),
  immediateWorkingDays: z.number().int().min(0).max(10).default(0)
    .describe('"at once" (立即): working days allowed after the trigger; 0 = by the end of the trigger day'),
  webhookMaxAttempts: z.number().int().min(1).max(100).default(30).describe('delivery attempts before a webhook delivery is marked failed'),
});
export type ObligationPolicy = z.infer<typeof ObligationPolicy>;
export const DEFAULT_POLICY: ObligationPolicy = ObligationPolicy.parse({});

/** The effective policy from `tenant.policy.obligations`; bad or missing values fall back to the default and are reported. */
export function resolvePolicy(tenantPolicy: unknown): { policy: ObligationPolicy; overridden: string[]; ignored: string[] } {
  const raw = (tenantPolicy && typeof tenantPolicy === 'object' ? (tenantPolicy as Record<string, unknown>).obligations : undefined) ?? {};
  const out: Record<string, unknown> = { ...DEFAULT_POLICY };
  const overridden: string[] = [], ignored: string[] = [];
  if (raw && typeof raw === 'object') {
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      const field = (ObligationPolicy.shape as Record<string, z.ZodType>)[k];
      if (!field) { ignored.push(k); continue; }
      const r = field.safeParse(v);
      if (r.success) { out[k] = r.data; overridden.push(k); } else ignored.push(k);
    }
  }
  return { policy: out as ObligationPolicy, overridden, ignored };
}

// ---- sources and dates ------------------------------------------------------------------------

const N45 = '工信部联通装〔2025〕45号';
export const SOURCES = {
  'N45-2': `${N45} item 2 (supplementary Annex 2 CDAS/OTA parameters and verification materials with the access application)`,
  'N45-3': `${N45} item 2 (products already approved: supplement by 2025-06-01)`,
  'N45-4': `${N45} item 3 (sandbox supervision: in-depth testing plan, risk assessment plan, preliminary test reports to SAMR)`,
  'N45-5': `${N45} item 4 (event and accident reporting to MIIT and SAMR)`,
  'N45-6': `${N45} item 7 (every OTA upgrade filed with MIIT and SAMR before it runs); MIIT 2022 OTA filing notice (activity filing); SAMR 市监质〔2020〕123号 item 1`,
  'N45-7': `${N45} item 7 (OTA changing main technical parameters: change permit before the upgrade)`,
  'N45-7c': `${N45} item 7 (OTA involving automated driving functions: access permit before the upgrade)`,
  'N45-8': `${N45} item 8 (OTA removing a defect is a recall: recall plan and filing with SAMR); SAMR 市监质〔2020〕123号 item 2`,
  'N45-8s': `${N45} item 8 (stop producing and selling the defective product at once)`,
  'N45-over': `${N45} (overseas manufacturers); 缺陷汽车产品召回管理条例 (the importer is the producer for recall duties)`,
  'M22-1a': 'MIIT 2022 OTA filing notice (工信部 汽车软件在线升级备案): enterprise OTA management capability filing before the first OTA',
  'M22-1b': 'MIIT 2022 OTA filing notice: vehicle model and functions filing before the model\'s first OTA',
  'M22-3': 'MIIT 2022 OTA filing notice: implementation report within 5 working days of completion; every 6 months while running',
  'S20-3': 'SAMR 市监质〔2020〕123号 item 3 (vehicle intruded into or remotely controlled: investigate at once and report)',
  'S21-1': 'SAMR 2021 OTA recall filing supplementary notice: OTA safety technical assessment information sheet and package at least 5 working days before release',
} as const;
export type RuleId = keyof typeof SOURCES;

/** The notice was dated 2025-02-25: access approved before that date falls under the N45-3 transition. */
export const NOTICE_DATE = '2025-02-25';
/** N45-3 transition: "by 2025-06-01", read conservatively as before 00:00 of that day in Asia/Shanghai. */
export const N45_3_DEADLINE = '2025-06-01';

type Common = { tenantId: string; overseas: boolean };

function spec(
  rule: RuleId,
  subjectType: SubjectType,
  subjectId: string,
  addressee: Addressee,
  rest: Partial<ObligationSpec> & Pick<ObligationSpec, 'title' | 'documents' | 'dueCondition' | 'dueExplain'>,
  m: Common,
): ObligationSpec {
  const part = rest.part ?? null;
  return {
    key: naturalKey(rule, part, subjectType, subjectId, addressee),
    rule, part, source: SOURCES[rule], regime: REGIME.id, regimeVersion: REGIME.version,
    subjectType, subjectId, addressee,
    dueAt: null, dueDate: null, dueProvisional: false, dueBasis: 'law', gate: false, fulfilledBy: 'submission', after: [],
    actingParty: addressee === 'SAMR' && m.overseas ? 'importer' : 'manufacturer',
    ...rest,
  } as ObligationSpec;
}

export function naturalKey(rule: string, part: string | null, subjectType: string, subjectId: string, addressee: string): string {
  return `${rule}${part ? `#${part}` : ''}:${subjectType}:${subjectId}:${addressee}`;
}

const endOfDay = (date: string) => shanghaiInstant(date).toISOString();

/** "At once": the end of the trigger day, or policy.immediateWorkingDays working days later. */
function atOnce(trigger: Date, policy: ObligationPolicy, cal: Calendar) {
  if (policy.immediateWorkingDays === 0) {
    const d = shanghaiDate(trigger);
    return { dueAt: endOfDay(d), dueDate: d, dueProvisional: false, dueBasis: 'policy' as const,
      dueExplain: `at once (立即): by the end of ${d}, Asia/Shanghai (policy immediateWorkingDays = 0)` };
  }
  const r = dueAfterWorkingDays(trigger, policy.immediateWorkingDays, cal);
  return { dueAt: r.due.toISOString(), dueDate: r.dueDate, dueProvisional: r.provisional, dueBasis: 'policy' as const,
    dueExplain: `at once (立即): policy immediateWorkingDays = ${policy.immediateWorkingDays}; ${r.rule}` };
}

// ---- products ----------------------------------------------------------------------------------

export type ProductFacts = {
  id: string;
  model: string;
  cdas: boolean;
  ota: boolean;
  /** Date (YYYY-MM-DD) the product's access (准入) was approved, if it is. */
  accessApprovedOn?: string | null;
  /** Date the access application was or will be filed, if known. */
  accessApplicationOn?: string | null;
  /** Date production access was granted (e.g. the road motor vehicle manufacturer and product access licence). */
  productionAccessGrantedOn?: string | null;
};
export type ManufacturerFacts = Common & { createdAt: string | Date };

const PARAM_DOCS = ['annex2-parameters', 'verification-reports'];

export function productObligations(p: ProductFacts, m: Common, policy: ObligationPolicy = DEFAULT_POLICY, cal: Calendar = OFFICIAL_CALENDAR): ObligationSpec[] {
  const out: ObligationSpec[] = [];
  if (p.cdas || p.ota) {
    const approvedBeforeNotice = !!p.accessApprovedOn && p.accessApprovedOn < NOTICE_DATE;
    for (const to of ['MIIT', 'SAMR'] as const) {
      if (approvedBeforeNotice) {
        out.push(spec('N45-3', 'product', p.id, to, {
          title: { zh: `补充附件2参数及验证材料（${p.model}，已准入产品）`, en: `Supplementary Annex 2 parameters and verification materials (${p.model}, approved product)` },
          documents: PARAM_DOCS,
          dueAt: shanghaiInstant(N45_3_DEADLINE, '00:00:00.000').toISOString(), dueDate: N45_3_DEADLINE,
          dueCondition: 'date', dueExplain: `before ${N45_3_DEADLINE} (approved ${p.accessApprovedOn}, before the notice of ${NOTICE_DATE})`,
        }, m));
      } else {
        const when = p.accessApplicationOn ?? p.accessApprovedOn ?? null;
        out.push(spec('N45-2', 'product', p.id, to, {
          title: { zh: `随准入申请提交附件2参数及验证材料（${p.model}）`, en: `Annex 2 parameters and verification materials with the access application (${p.model})` },
          documents: PARAM_DOCS,
          dueAt: when ? endOfDay(when) : null, dueDate: when,
          dueCondition: 'with-application',
          dueExplain: p.accessApplicationOn ? `with the access application of ${p.accessApplicationOn}`
            : p.accessApprovedOn ? `with the access application (approved on ${p.accessApprovedOn}; no application date recorded, so the approval date is used)`
            : 'with the access application (no application date recorded yet)',
        }, m));
      }
    }
  }
  if (p.cdas && p.productionAccessGrantedOn) {
    // Products granted before the notice: the duty starts with the notice (our reading).
    const from = p.productionAccessGrantedOn < NOTICE_DATE ? NOTICE_DATE : p.productionAccessGrantedOn;
    const r = addWorkingDays(from, policy.sandboxWorkingDays, cal);
    out.push(spec('N45-4', 'product', p.id, 'SAMR', {
      title: { zh: `沙盒监管材料报送（${p.model}）`, en: `Sandbox supervision documents (${p.model})` },
      documents: ['cdas-deep-testing-plan', 'risk-assessment-plan', 'preliminary-test-reports'],
      dueAt: endOfDay(r.date), dueDate: r.date, dueProvisional: r.provisional, dueBasis: 'policy', dueCondition: 'date',
      dueExplain: `"promptly" (及时) after production access of ${p.productionAccessGrantedOn}: ${policy.sandboxWorkingDays} working days after ${from} (policy sandboxWorkingDays)`,
    }, m));
  }
  if (p.ota) {
    out.push(spec('M22-1b', 'product', p.id, 'MIIT', {
      title: { zh: `车型及功能备案（${p.model}）`, en: `Vehicle model and functions OTA filing (${p.model})` },
      documents: ['ota-model-function-filing'],
      dueCondition: 'before-first-ota', dueExplain: 'before the first OTA upgrade of this model', gate: true,
      after: [naturalKey('M22-1a', null, 'manufacturer', m.tenantId, 'MIIT')],
    }, m));
  }
  return out;
}

// ---- manufacturers ------------------------------------------------------------------------------

export function manufacturerObligations(
  m: ManufacturerFacts & { hasOtaProducts: boolean },
  policy: ObligationPolicy = DEFAULT_POLICY,
  cal: Calendar = OFFICIAL_CALENDAR,
): ObligationSpec[] {
  const out: ObligationSpec[] = [];
  if (m.hasOtaProducts) {
    out.push(spec('M22-1a', 'manufacturer', m.tenantId, 'MIIT', {
      title: { zh: '企业OTA管理能力备案', en: 'Enterprise OTA management capability filing' },
      documents: ['ota-capability-filing'],
      dueCondition: 'before-first-ota', dueExplain: 'before the manufacturer\'s first OTA upgrade', gate: true,
    }, m));
  }
  if (m.overseas) {
    const created = new Date(m.createdAt);
    const notice = shanghaiInstant(NOTICE_DATE);
    out.push(spec('N45-over', 'manufacturer', m.tenantId, 'SAMR', {
      title: { zh: '境外生产企业：明确境内进口商承担召回生产者义务', en: 'Overseas manufacturer: name the importer that acts as producer for recall duties' },
      documents: ['importer-designation'],
      ...atOnce(created > notice ? created : notice, policy, cal),
      dueCondition: 'immediately', actingParty: 'importer',
    }, m));
  }
  return out;
}

// ---- OTA campaigns ------------------------------------------------------------------------------
// The steps (and their due dates) come from the OTA rule pack's requiredSteps, so the gate and the
// register never disagree; this adds documents, order, what fulfils each, and the 6-month reports.

export type CampaignFacts = {
  id: string;
  productIds: string[];
  class: OtaClass;
  recall: boolean;
  plannedReleaseAt?: string | Date | null;
  /** When the recall decision was taken (the "at once" clock of N45-8); defaults to `now`. */
  recallDecidedAt?: string | Date | null;
  startedAt?: string | Date | null;
  completedAt?: string | Date | null;
};

const iso = (d: string | Date) => new Date(d).toISOString();

const STEP_DOCUMENTS: Record<StepId, string[]> = {
  'miit-change-permit': ['change-permit-application', 'parameter-diff', 'verification-reports'],
  'miit-ad-approval': ['access-permit-application', 'verification-reports'],
  'miit-filing': ['ota-activity-filing', 'software-manifest'],
  'samr-filing': ['ota-activity-filing', 'software-manifest'],
  'samr-recall-filing': ['recall-plan', 'software-manifest'],
  'samr-ota-info-sheet': ['ota-safety-assessment-sheet', 'upgrade-package'],
  'stop-sale': ['stop-production-sale-record'],
  'implementation-report': ['implementation-report'],
};

export function campaignObligations(
  c: CampaignFacts,
  m: Common,
  now: Date,
  policy: ObligationPolicy = DEFAULT_POLICY,
  cal: Calendar = OFFICIAL_CALENDAR,
): ObligationSpec[] {
  const release = c.plannedReleaseAt ? new Date(c.plannedReleaseAt) : null;
  const steps = requiredSteps(c.class, c.recall, {
    today: shanghaiDate(now),
    releaseDate: release ? shanghaiDate(release) : null,
    completedDate: c.completedAt ? shanghaiDate(new Date(c.completedAt)) : null,
  }, officialWorkingDays(cal));
  const permitKeys = steps.filter((s) => s.records === 'approval').map((s) => naturalKey(s.rule, s.id, 'campaign', c.id, s.addressee));
  const out: ObligationSpec[] = [];
  for (const s of steps) {
    if (s.phase === 'after-completion' && !c.completedAt) continue; // created when the activity completes
    let timing: Partial<ObligationSpec>;
    if (s.due.kind === 'immediately') {
      timing = { ...atOnce(c.recallDecidedAt ? new Date(c.recallDecidedAt) : now, policy, cal), dueCondition: 'immediately' };
    } else if (s.dueDate) {
      timing = {
        dueAt: endOfDay(s.dueDate), dueDate: s.dueDate, dueProvisional: s.provisional, dueCondition: 'date',
        dueExplain: s.due.kind === 'before-release' ? `before the release on ${shanghaiDate(release!)}: the last working day before it, ${s.dueDate}`
          : s.due.kind === 'working-days-before-release' ? `at least ${s.due.days} working days before the release on ${shanghaiDate(release!)}: by the end of ${s.dueDate}`
          : `within ${(s.due as { days: number }).days} working days of completion (${iso(c.completedAt!)}): by the end of ${s.dueDate}`,
      };
    } else {
      timing = { dueCondition: 'before-release', dueExplain: 'before the upgrade is released (no release date planned yet)' };
    }
    out.push({
      key: naturalKey(s.rule, s.id, 'campaign', c.id, s.addressee),
      rule: s.rule, part: s.id, source: s.rule === 'N45-7' || s.rule === 'N45-7c' ? SOURCES[s.rule] : s.source,
      regime: REGIME.id, regimeVersion: REGIME.version,
      subjectType: 'campaign', subjectId: c.id, addressee: s.addressee, title: s.title, documents: STEP_DOCUMENTS[s.id],
      dueAt: null, dueDate: null, dueProvisional: false, dueBasis: 'law', dueCondition: 'before-release', dueExplain: '',
      ...timing,
      gate: s.phase === 'before-release',
      fulfilledBy: s.records === 'approval' ? 'acceptance' : 'submission',
      after: s.records === 'receipt' && s.filesContent ? permitKeys : [],
      actingParty: s.addressee === 'SAMR' && m.overseas ? 'importer' : 'manufacturer',
    });
  }
  if (c.startedAt) {
    // Every 6 months while the activity runs: one report per 6-month mark passed before completion.
    const start = new Date(c.startedAt);
    const end = c.completedAt ? new Date(c.completedAt) : now;
    for (let i = 1; i <= 40; i++) {
      const mark = addMonthsShanghai(shanghaiDate(start), 6 * i);
      if (shanghaiInstant(mark, '00:00:00.000') > end) break;
      out.push(spec('M22-3', 'campaign', c.id, 'MIIT', {
        part: `period-${i}`,
        title: { zh: `OTA升级实施情况阶段报告（第${i}个6个月）`, en: `OTA implementation interim report (6-month period ${i})` },
        documents: ['implementation-report'],
        dueAt: endOfDay(mark), dueDate: mark, dueCondition: 'date',
        dueExplain: `every 6 months while the activity runs: ${6 * i} months after the start on ${shanghaiDate(start)}`,
      }, m));
    }
  }
  return out;
}

/** Same day-of-month `months` later, clamped to the month's last day (2025-08-31 + 6 -> 2026-02-28). */
export function addMonthsShanghai(date: string, months: number): string {
  const [y, mo, d] = date.split('-').map(Number);
  const total = y * 12 + (mo - 1) + months;
  const ny = Math.floor(total / 12), nm = total % 12;
  const last = new Date(Date.UTC(ny, nm + 1, 0)).getUTCDate();
  return `${String(ny).padStart(4, '0')}-${String(nm + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

// ---- incidents ----------------------------------------------------------------------------------
// Deadlines come from the incident rule pack (assessReportability: severity and tenant policy).

export type IncidentDeadline = {
  /** e.g. 'first-report', 'full-report', 'update-1', 'result-report' (stable per incident: part of the natural key) */
  kind: string;
  due: string | Date | null; // null: due when a named condition happens (e.g. the investigation closes)
  when: string; // the incident slice's explanation
  basis: Basis;
  provisional: boolean;
};
export type IncidentObligationFacts = {
  id: string;
  /** intrusion or remote control of a vehicle: S20-3 (SAMR) */
  intrusion: boolean;
  /** CDAS failure, deactivation or an accident with the vehicle: N45-5 (MIIT and SAMR) */
  cdasInvolved: boolean;
  deadlines: IncidentDeadline[];
};

export function incidentObligations(i: IncidentObligationFacts, m: Common): ObligationSpec[] {
  const out: ObligationSpec[] = [];
  for (const d of i.deadlines) {
    const due = d.due ? new Date(d.due) : null;
    const timing = {
      dueAt: due ? due.toISOString() : null, dueDate: due ? shanghaiDate(due) : null, dueProvisional: d.provisional, dueBasis: d.basis,
      dueCondition: (due ? 'date' : 'on-event') as DueCondition, dueExplain: d.when,
    };
    if (i.cdasInvolved) {
      for (const to of ['MIIT', 'SAMR'] as const) {
        out.push(spec('N45-5', 'incident', i.id, to, {
          part: d.kind,
          title: { zh: `组合驾驶辅助事件/事故报告（${d.kind}）`, en: `CDAS event / accident report (${d.kind})` },
          documents: ['incident-report'], ...timing,
        }, m));
      }
    }
    if (i.intrusion) {
      out.push(spec('S20-3', 'incident', i.id, 'SAMR', {
        part: d.kind,
        title: { zh: `车辆被入侵/远程控制调查报告（${d.kind}）`, en: `Vehicle intrusion / remote control investigation report (${d.kind})` },
        documents: ['intrusion-investigation-report'], ...timing,
      }, m));
    }
  }
  return out;
}
