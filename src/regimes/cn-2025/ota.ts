// OTA upgrade activities under the 2025 notice (items 6-8) and the earlier MIIT/SAMR rules it builds
// on: pure classification (A/B/C + R) with every reason, and the steps each class requires.
import { canonicalJson } from '../../platform/canonical.ts';
import { addCalendarDays, addWorkingDays, isWorkingDay, OFFICIAL_CALENDAR, type Calendar } from './calendar.ts';
import { REGIME } from './index.ts';

export type OtaClass = 'A' | 'B' | 'C';
export const CLASS_RANK: Record<OtaClass, number> = { A: 0, B: 1, C: 2 };
export type FunctionChangeKind = 'added' | 'enabled' | 'changed' | 'disabled';
export type FunctionChange = { name: string; change: FunctionChangeKind; automationLevel: number };

/** What the classification needs to know about one catalog parameter. */
export type CatalogParam = { key: string; main: boolean };

export type ClassifyInput = {
  /** The product's approved baseline values (key -> value). */
  baseline: Record<string, unknown>;
  baselineRef?: string;
  /** The values the campaign leaves behind; keys not listed are unchanged. */
  resulting: Record<string, unknown>;
  catalog: { version: string; params: CatalogParam[] };
  functions: FunctionChange[];
  recall: boolean;
  recallNumber?: string | null;
};

export type Reason = {
  rule: string;
  source: string;
  /** What the reason does to the outcome: raises the class, adds R, or only asks for evidence. */
  effect: 'A' | 'B' | 'C' | 'R' | 'evidence';
  message: { zh: string; en: string };
  parameter?: { key: string; old: unknown; new: unknown; main: boolean | null };
  function?: FunctionChange;
  recallNumber?: string | null;
};

export type Classification = {
  class: OtaClass;
  recall: boolean;
  reasons: Reason[];
  /** R156-style signals (function changes below level 3, non-main parameters): evidence + rationale needed. */
  needsEvidence: boolean;
  regime: string;
  regimeVersion: string;
  catalogVersion: string;
  baselineRef?: string;
};

export const OTA_RULES = {
  filing: { id: 'N45-6', source: '2025 notice item 6; MIIT 2022 OTA filing notice (three-tier filing)' },
  mainParameter: { id: 'N45-7', source: '2025 notice item 7; ota.md reading (I): a change of a catalog main parameter is class B' },
  uncatalogued: { id: 'N45-7-U', source: '2025 notice item 7; icvgate reading (I): a key outside the catalog cannot be shown not to be main, so it counts as main' },
  otherParameter: { id: 'R156-7.1.1.8', source: 'UNECE R156 para 7.1.1.8-10; MIIT 2022 notice (safety, environment, energy, anti-theft): a recorded value changes without being a main parameter' },
  automatedDriving: { id: 'N45-7c', source: '2025 notice item 7; GB/T 40429-2021 level 3+ is automated driving' },
  functionSignal: { id: 'R156-7.1.1.9', source: 'UNECE R156 para 7.1.1.8-10: a function added, enabled, changed or disabled since approval' },
  recall: { id: 'N45-8', source: '2025 notice item 8; SAMR 2020 OTA recall notice: an OTA that removes a defect is a recall' },
} as const;

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);
const LEVEL_AD = 3;

/** Same inputs, same result: no clock, no IO; reasons in a stable order (parameters by key, then functions, then recall). */
export function classifyCampaign(input: ClassifyInput): Classification {
  const reasons: Reason[] = [];
  const catalog = new Map(input.catalog.params.map((p) => [p.key, p]));
  let cls: OtaClass = 'A';
  let needsEvidence = false;
  const raise = (c: OtaClass) => { if (CLASS_RANK[c] > CLASS_RANK[cls]) cls = c; };

  for (const key of Object.keys(input.resulting).sort()) {
    const old = input.baseline[key] ?? null;
    const next = input.resulting[key] ?? null;
    if (same(old, next)) continue;
    const entry = catalog.get(key);
    const parameter = { key, old, new: next, main: entry ? entry.main : null };
    const shown = `${key}: ${fmt(old)} -> ${fmt(next)}`;
    if (!entry) {
      raise('B');
      reasons.push({ rule: OTA_RULES.uncatalogued.id, source: OTA_RULES.uncatalogued.source, effect: 'B', parameter,
        message: { zh: `参数 ${shown} 不在参数目录中，按主要技术参数处理`, en: `parameter ${shown} is not in the catalog; treated as a main parameter` } });
    } else if (entry.main) {
      raise('B');
      reasons.push({ rule: OTA_RULES.mainParameter.id, source: OTA_RULES.mainParameter.source, effect: 'B', parameter,
        message: { zh: `主要技术参数变更：${shown}`, en: `main technical parameter changes: ${shown}` } });
    } else {
      needsEvidence = true;
      reasons.push({ rule: OTA_RULES.otherParameter.id, source: OTA_RULES.otherParameter.source, effect: 'evidence', parameter,
        message: { zh: `非主要参数变更（需验证材料与说明）：${shown}`, en: `non-main parameter changes (verification evidence and rationale needed): ${shown}` } });
    }
  }

  const functions = [...input.functions].sort((a, b) => a.name.localeCompare(b.name) || a.change.localeCompare(b.change));
  for (const f of functions) {
    const ad = f.automationLevel >= LEVEL_AD && f.change !== 'disabled';
    if (ad) {
      raise('C');
      reasons.push({ rule: OTA_RULES.automatedDriving.id, source: OTA_RULES.automatedDriving.source, effect: 'C', function: f,
        message: { zh: `自动驾驶功能（L${f.automationLevel}）${ZH_CHANGE[f.change]}：${f.name}`, en: `automated driving function (L${f.automationLevel}) ${f.change}: ${f.name}` } });
    } else {
      needsEvidence = true;
      reasons.push({ rule: OTA_RULES.functionSignal.id, source: OTA_RULES.functionSignal.source, effect: 'evidence', function: f,
        message: { zh: `功能${ZH_CHANGE[f.change]}（L${f.automationLevel}，需验证材料与说明）：${f.name}`, en: `function ${f.change} (L${f.automationLevel}; verification evidence and rationale needed): ${f.name}` } });
    }
  }

  if (input.recall) {
    reasons.push({ rule: OTA_RULES.recall.id, source: OTA_RULES.recall.source, effect: 'R', recallNumber: input.recallNumber ?? null,
      message: { zh: `本次升级用于消除缺陷，属于召回${input.recallNumber ? `（${input.recallNumber}）` : ''}`, en: `the upgrade removes a defect: it is a recall${input.recallNumber ? ` (${input.recallNumber})` : ''}` } });
  }

  if (cls === 'A') {
    reasons.unshift({ rule: OTA_RULES.filing.id, source: OTA_RULES.filing.source, effect: 'A',
      message: { zh: '未变更主要技术参数，不涉及自动驾驶功能：备案后升级', en: 'no main technical parameter changes and no automated driving function: file, then upgrade' } });
  }

  return {
    class: cls, recall: input.recall, reasons, needsEvidence,
    regime: REGIME.id, regimeVersion: REGIME.version, catalogVersion: input.catalog.version, baselineRef: input.baselineRef,
  };
}

const ZH_CHANGE: Record<FunctionChangeKind, string> = { added: '新增', enabled: '启用', changed: '变更', disabled: '停用' };

function fmt(v: unknown): string {
  return v === null || v === undefined ? '(none)' : typeof v === 'string' ? v : JSON.stringify(v);
}

// ---------------------------------------------------------------------------------------------
// Lowering a class

export type ClassOverride = { to: OtaClass; justification: string; requestedBy: string; approvedBy?: string | null };

/** Problems with a requested downgrade; empty when it may be recorded. Raising never needs this path. */
export function overrideProblems(computed: OtaClass, o: ClassOverride): string[] {
  const out: string[] = [];
  if (CLASS_RANK[o.to] >= CLASS_RANK[computed]) out.push(`override must lower the class below ${computed}`);
  if (o.justification.trim().length < 20) out.push('a written justification of at least 20 characters is required');
  if (o.approvedBy && o.approvedBy === o.requestedBy) out.push('the approver must be a different user than the requester');
  return out;
}

/** The class that applies: an approved downgrade, else the computed class. */
export function effectiveClass(computed: OtaClass, o?: ClassOverride | null): OtaClass {
  return o && o.approvedBy && o.approvedBy !== o.requestedBy && CLASS_RANK[o.to] < CLASS_RANK[computed] ? o.to : computed;
}

// ---------------------------------------------------------------------------------------------
// Required steps

export type Addressee = 'MIIT' | 'SAMR' | 'internal';
export type StepId =
  | 'miit-change-permit' | 'miit-ad-approval' | 'miit-filing' | 'samr-filing'
  | 'samr-recall-filing' | 'samr-ota-info-sheet' | 'stop-sale' | 'implementation-report';

export type RequiredStep = {
  id: StepId;
  addressee: Addressee;
  rule: string;
  source: string;
  title: { zh: string; en: string };
  /** Prerequisite of clearance (recorded before the upgrade) or due after completion. */
  phase: 'before-release' | 'after-completion';
  /** How the due date is reckoned; `dueDate` when it can be computed now. */
  due: { kind: 'before-release' } | { kind: 'working-days-before-release'; days: number } | { kind: 'immediately' } | { kind: 'working-days-after-completion'; days: number };
  dueDate: string | null;
  provisional: boolean;
  /** What the gate reads from the recorded step. */
  records: 'receipt' | 'approval' | 'statement';
  /** Whether the recorded step must carry the campaign's content digest (it files the content). */
  filesContent: boolean;
};

export type WorkingDayCalendar = (date: string, add: number) => { date: string; provisional: boolean };

const STEP_DEFS: Record<StepId, Omit<RequiredStep, 'dueDate' | 'provisional'>> = {
  'miit-change-permit': { id: 'miit-change-permit', addressee: 'MIIT', rule: 'N45-7', source: '2025 notice item 7 (产品变更/扩展许可)', phase: 'before-release',
    title: { zh: '工信部产品变更（扩展）许可', en: 'MIIT product change (extension) permit' }, due: { kind: 'before-release' }, records: 'approval', filesContent: false },
  'miit-ad-approval': { id: 'miit-ad-approval', addressee: 'MIIT', rule: 'N45-7c', source: '2025 notice item 7 (automated driving: access approval)', phase: 'before-release',
    title: { zh: '工信部自动驾驶功能准入许可', en: 'MIIT access approval for the automated driving function' }, due: { kind: 'before-release' }, records: 'approval', filesContent: false },
  'miit-filing': { id: 'miit-filing', addressee: 'MIIT', rule: 'N45-6', source: '2025 notice item 6; MIIT 2022 OTA filing notice (具体升级活动备案)', phase: 'before-release',
    title: { zh: '向工信部备案升级活动', en: 'file the upgrade activity with MIIT' }, due: { kind: 'before-release' }, records: 'receipt', filesContent: true },
  'samr-filing': { id: 'samr-filing', addressee: 'SAMR', rule: 'N45-6', source: '2025 notice item 6; SAMR 2020 OTA notice (S20-1)', phase: 'before-release',
    title: { zh: '向市场监管总局备案升级活动', en: 'file the upgrade activity with SAMR' }, due: { kind: 'before-release' }, records: 'receipt', filesContent: true },
  'samr-recall-filing': { id: 'samr-recall-filing', addressee: 'SAMR', rule: 'N45-8', source: '2025 notice item 8; SAMR 2020 OTA notice (S20-2): recall plan and filing', phase: 'before-release',
    title: { zh: '向市场监管总局提交召回计划并备案', en: 'recall plan and recall filing with SAMR' }, due: { kind: 'immediately' }, records: 'receipt', filesContent: true },
  'samr-ota-info-sheet': { id: 'samr-ota-info-sheet', addressee: 'SAMR', rule: 'S21-1', source: 'SAMR 2021: OTA safety technical assessment information sheet and package, at least 5 working days before release', phase: 'before-release',
    title: { zh: 'OTA安全技术评估信息表及升级包（发布前至少5个工作日）', en: 'OTA safety assessment information sheet and package (at least 5 working days before release)' },
    due: { kind: 'working-days-before-release', days: 5 }, records: 'receipt', filesContent: true },
  'stop-sale': { id: 'stop-sale', addressee: 'internal', rule: 'N45-8', source: '2025 notice item 8: stop producing and selling the defective product at once', phase: 'before-release',
    title: { zh: '立即停止生产、销售缺陷产品', en: 'stop producing and selling the defective product at once' }, due: { kind: 'immediately' }, records: 'statement', filesContent: false },
  'implementation-report': { id: 'implementation-report', addressee: 'MIIT', rule: 'M22-3', source: 'MIIT 2022 OTA filing notice: implementation report within 5 working days of completion', phase: 'after-completion',
    title: { zh: '升级活动实施情况报告（完成后5个工作日内）', en: 'implementation report (within 5 working days of completion)' },
    due: { kind: 'working-days-after-completion', days: 5 }, records: 'receipt', filesContent: false },
};

export function stepDefinition(id: StepId) { return STEP_DEFS[id]; }

/**
 * The steps a class requires, with due dates on the official working-day calendar. `releaseDate` is
 * the Shanghai date the planned window opens; `today` is the Shanghai date of classification.
 * "Before release" means the last working day before the release date.
 */
export function requiredSteps(cls: OtaClass, recall: boolean, dates: { today: string; releaseDate?: string | null; completedDate?: string | null }, cal: WorkingDayCalendar): RequiredStep[] {
  const ids: StepId[] = [];
  if (cls === 'B') ids.push('miit-change-permit');
  if (cls === 'C') ids.push('miit-ad-approval');
  if (recall) ids.push('samr-recall-filing', 'stop-sale', 'samr-ota-info-sheet');
  ids.push('miit-filing', 'samr-filing', 'implementation-report');
  return ids.map((id) => {
    const def = STEP_DEFS[id];
    let due: { date: string; provisional: boolean } | null = null;
    switch (def.due.kind) {
      case 'immediately': due = { date: dates.today, provisional: false }; break;
      case 'before-release': due = dates.releaseDate ? cal(dates.releaseDate, -1) : null; break;
      case 'working-days-before-release': due = dates.releaseDate ? cal(dates.releaseDate, -def.due.days) : null; break;
      case 'working-days-after-completion': due = dates.completedDate ? cal(dates.completedDate, def.due.days) : null; break;
    }
    return { ...def, dueDate: due?.date ?? null, provisional: due?.provisional ?? false };
  });
}

/** Working-day arithmetic both ways on the official calendar: n > 0 the nth working day after, n < 0 the |n|th before. */
export function officialWorkingDays(cal: Calendar = OFFICIAL_CALENDAR): WorkingDayCalendar {
  return (date, n) => {
    if (n > 0) return addWorkingDays(date, n, cal);
    let d = date, left = -n, provisional = false;
    while (left > 0) {
      d = addCalendarDays(d, -1);
      const w = isWorkingDay(d, cal);
      if (w.provisional) provisional = true;
      if (w.working) left--;
    }
    return { date: d, provisional };
  };
}
