/**
 * A recall decision on a defect assessment creates the recall duties (N45-8s: stop producing and
 * selling the defective product at once; N45-8: recall plan filed with SAMR) in the obligation
 * register. Subject: the assessment (subject type 'defect_assessment').
 */
import { upsertObligations, type ObligationSpec } from '../obligations/index.ts';
import { shanghaiDate, shanghaiInstant } from '../platform/time.ts';
import type { UnitOfWork } from '../platform/usecase.ts';
import { dueAfterWorkingDays } from '../regimes/cn-2025/calendar.ts';
import { REGIME } from '../regimes/cn-2025/index.ts';
import { naturalKey, SOURCES } from '../regimes/cn-2025/obligations.ts';
import type { AssessmentRow } from './store.ts';

const RECALL_PLAN_WORKING_DAYS = 5;
const SRC_RECALL_PLAN = '缺陷汽车产品召回管理条例实施办法 (recall plan filed with SAMR within 5 working days of confirming the defect)';

export async function recallObligations(u: UnitOfWork, a: AssessmentRow): Promise<string[]> {
  const day = shanghaiDate(u.now);
  const plan = dueAfterWorkingDays(u.now, RECALL_PLAN_WORKING_DAYS);
  const what = `${a.cdas_function} / ${a.fault_code} / ${a.ecu ? `${a.ecu} ` : ''}${a.software_version}`;
  const base = {
    regime: REGIME.id, regimeVersion: REGIME.version, subjectType: 'defect_assessment' as const, subjectId: a.id, addressee: 'SAMR' as const,
    gate: false, fulfilledBy: 'submission' as const, after: [] as string[], actingParty: 'manufacturer' as const,
  };
  const specs: ObligationSpec[] = [
    {
      ...base, key: naturalKey('N45-8s', null, 'defect_assessment', a.id, 'SAMR'), rule: 'N45-8s', part: null, source: SOURCES['N45-8s'],
      title: { zh: `停止生产、销售缺陷产品（${what}）`, en: `Stop producing and selling the defective product (${what})` },
      documents: ['recall-plan'], dueAt: shanghaiInstant(day).toISOString(), dueDate: day, dueProvisional: false, dueBasis: 'policy',
      dueCondition: 'immediately', dueExplain: `at once (立即): by the end of ${day}, Asia/Shanghai`,
    },
    {
      ...base, key: naturalKey('N45-8', 'recall-plan', 'defect_assessment', a.id, 'SAMR'), rule: 'N45-8', part: 'recall-plan', source: `${SOURCES['N45-8']}; ${SRC_RECALL_PLAN}`,
      title: { zh: `召回计划备案（${what}）`, en: `Recall plan filing (${what})` },
      documents: ['recall-plan', 'software-manifest'], dueAt: plan.due.toISOString(), dueDate: plan.dueDate, dueProvisional: plan.provisional, dueBasis: 'law',
      dueCondition: 'date', dueExplain: `${RECALL_PLAN_WORKING_DAYS} working days after the recall decision; ${plan.rule}`,
    },
  ];
  const r = await upsertObligations(u, specs);
  return [...r.created, ...r.updated, ...r.unchanged];
}
