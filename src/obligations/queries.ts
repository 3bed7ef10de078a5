/** Read-side use cases: the register, the dashboard, and what other slices ask of it. */
import type { Actor } from '../platform/audit.ts';
import type { Sql } from '../platform/db.ts';
import { AppError, msg, notFound } from '../platform/errors.ts';
import { shanghaiInstant } from '../platform/time.ts';
import { readScope, type Deps } from '../platform/usecase.ts';
import { DEFAULT_POLICY, naturalKey, type ObligationPolicy, type SubjectType } from '../regimes/cn-2025/obligations.ts';
import { obligationPolicy } from './generate.ts';
import type { ListQuery, Obligation } from './model.ts';
import { dueSoonUntil, isFulfilled, present } from './present.ts';
import * as store from './store.ts';

function tenantOf(actor: Actor): string {
  if (!actor.tenantId) throw new AppError('bad_request', msg('obligations.needTenant'));
  return actor.tenantId;
}

export async function listObligations(deps: Deps, actor: Actor, q: ListQuery): Promise<{ items: Obligation[]; total: number; now: string }> {
  const tenantId = tenantOf(actor);
  const now = deps.clock();
  return readScope(deps, actor, async (sql) => {
    const { policy } = await obligationPolicy(sql, tenantId);
    const { rows, total } = await store.list(sql, tenantId, {
      status: q.status, addressee: q.addressee, subjectType: q.subjectType, subject: q.subject, rule: q.rule,
      dueBeforeAt: q.dueBefore ? shanghaiInstant(q.dueBefore) : undefined,
      dueAfterAt: q.dueAfter ? shanghaiInstant(q.dueAfter, '00:00:00.000') : undefined,
      overdue: q.overdue, dueSoon: q.dueSoon, now, dueSoonUntil: dueSoonUntil(now, policy), limit: q.limit, offset: q.offset,
    });
    return { items: rows.map((r) => present(r, now, policy)), total, now: now.toISOString() };
  });
}

export async function getObligation(deps: Deps, actor: Actor, id: string): Promise<Obligation> {
  const tenantId = tenantOf(actor);
  const now = deps.clock();
  return readScope(deps, actor, async (sql) => {
    const row = await store.getById(sql, tenantId, id);
    if (!row) throw notFound('obligation', id);
    const { policy } = await obligationPolicy(sql, tenantId);
    return present(row, now, policy, await store.submissionsOf(sql, tenantId, [id]));
  });
}

export async function summary(deps: Deps, actor: Actor) {
  const tenantId = tenantOf(actor);
  const now = deps.clock();
  return readScope(deps, actor, async (sql) => {
    const { policy, overridden } = await obligationPolicy(sql, tenantId);
    const rows = await store.counts(sql, tenantId, now, dueSoonUntil(now, policy));
    const byAddressee = new Map<string, { addressee: string; open: number; overdue: number; dueSoon: number }>();
    const bySubject = new Map<string, { subjectType: string; subjectId: string; open: number; overdue: number; dueSoon: number }>();
    let open = 0, overdue = 0, dueSoon = 0, provisional = 0;
    for (const r of rows) {
      open += r.open; overdue += r.overdue; dueSoon += r.due_soon; provisional += r.provisional;
      const a = byAddressee.get(r.addressee) ?? { addressee: r.addressee, open: 0, overdue: 0, dueSoon: 0 };
      a.open += r.open; a.overdue += r.overdue; a.dueSoon += r.due_soon;
      byAddressee.set(r.addressee, a);
      const k = `${r.subject_type}:${r.subject_id}`;
      const s = bySubject.get(k) ?? { subjectType: r.subject_type, subjectId: r.subject_id, open: 0, overdue: 0, dueSoon: 0 };
      s.open += r.open; s.overdue += r.overdue; s.dueSoon += r.due_soon;
      bySubject.set(k, s);
    }
    return {
      now: now.toISOString(),
      policy: Object.fromEntries(Object.entries(policy).map(([k, v]) => [k, { value: v as number, basis: 'policy' as const, overridden: overridden.includes(k) }])),
      open, overdue, dueSoon, provisional,
      byAddressee: [...byAddressee.values()].sort((a, b) => a.addressee.localeCompare(b.addressee)),
      bySubject: [...bySubject.values()].sort((a, b) => b.overdue - a.overdue || b.open - a.open || a.subjectId.localeCompare(b.subjectId)),
    };
  });
}

/** Every obligation of one subject, with submissions (call with u.sql inside a unit of work, or a read scope). */
export async function obligationsFor(sql: Sql, tenantId: string, subject: { type: SubjectType; id: string }, now = new Date(), policy?: ObligationPolicy): Promise<Obligation[]> {
  const p = policy ?? (await obligationPolicy(sql, tenantId)).policy;
  const rows = await store.bySubject(sql, tenantId, subject.type, subject.id);
  const subs = await store.submissionsOf(sql, tenantId, rows.map((r) => r.id));
  return rows.map((r) => present(r, now, p, subs.filter((s) => s.obligationId === r.id)));
}

export type GateItem = {
  obligationId: string | null; key: string; rule: string; part: string | null; addressee: string;
  status: string; fulfilledBy: string; title: { zh: string; en: string };
  /** The latest submission: its receipt number and the hash of the package filed (compare with the campaign's content digest). */
  lastSubmission?: { reference: string | null; packageSha256: string | null; filingId: string | null; submittedAt: string } | null;
  decisionReference?: string | null;
};

/**
 * For the OTA gate: the campaign's before-release obligations plus the manufacturer's capability
 * filing and each product's model filing (M22-1). An expected obligation that was never derived
 * counts as missing (status 'absent'), so a slice that forgot to sync cannot clear by omission.
 */
export async function campaignObligationStatus(
  sql: Sql, tenantId: string, c: { campaignId: string; productIds: string[] },
): Promise<{ fulfilled: boolean; missing: GateItem[]; obligations: GateItem[] }> {
  const campaignRows = (await store.bySubject(sql, tenantId, 'campaign', c.campaignId)).filter((r) => r.gate && r.status !== 'withdrawn');
  const expected = [naturalKey('M22-1a', null, 'manufacturer', tenantId, 'MIIT'), ...c.productIds.map((p) => naturalKey('M22-1b', null, 'product', p, 'MIIT'))];
  const filingRows = await store.byKeys(sql, tenantId, expected);
  const subs = await store.submissionsOf(sql, tenantId, [...filingRows, ...campaignRows].map((r) => r.id));
  const item = (r: store.ObligationRow): GateItem => {
    const last = subs.filter((x) => x.obligationId === r.id).at(-1);
    return {
      obligationId: r.id, key: r.key, rule: r.rule, part: r.part, addressee: r.addressee, status: r.status, fulfilledBy: r.fulfilled_by, title: r.title,
      lastSubmission: last ? { reference: last.reference, packageSha256: last.packageSha256, filingId: last.filingId, submittedAt: last.submittedAt } : null,
      decisionReference: r.decision_reference,
    };
  };
  const items = [...filingRows, ...campaignRows].map(item);
  const missing = [...filingRows, ...campaignRows].filter((r) => !isFulfilled(r)).map(item);
  for (const k of expected) {
    if (!filingRows.some((r) => r.key === k)) {
      const [rule, subjectType] = k.split(':');
      missing.push({ obligationId: null, key: k, rule, part: null, addressee: 'MIIT', status: 'absent', fulfilledBy: 'submission',
        title: subjectType === 'manufacturer'
          ? { zh: '企业OTA管理能力备案（未生成）', en: 'Enterprise OTA capability filing (not derived)' }
          : { zh: '车型及功能备案（未生成：产品未登记OTA）', en: 'Vehicle model and functions filing (not derived: product not registered with OTA)' } });
    }
  }
  if (campaignRows.length === 0) {
    missing.push({ obligationId: null, key: `campaign:${c.campaignId}`, rule: 'N45-6', part: null, addressee: 'MIIT', status: 'absent', fulfilledBy: 'submission',
      title: { zh: '升级活动的义务尚未生成（请先分类）', en: 'The campaign\'s obligations have not been derived (classify it first)' } });
  }
  return { fulfilled: missing.length === 0, missing, obligations: items };
}

export type Reminder = { id: number; type: 'obligation.due_soon' | 'obligation.overdue'; obligationId: string; rule: string; addressee: string;
  title: { zh: string; en: string }; dueAt: string | null; provisional: boolean; at: string };

/** The due-soon and overdue reminders emitted for the caller's tenant (the same events its webhooks receive). */
export async function reminders(deps: Deps, actor: Actor, limit: number): Promise<Reminder[]> {
  const tenantId = tenantOf(actor);
  return readScope(deps, actor, async (sql) => (await store.recentReminders(sql, tenantId, limit)).map((r) => {
    const o = (r.payload.obligation ?? {}) as Record<string, any>;
    return {
      id: r.id, type: r.type as Reminder['type'], obligationId: r.subject_id, rule: String(o.rule ?? ''), addressee: String(o.addressee ?? ''),
      title: o.title ?? { zh: '', en: '' }, dueAt: o.dueAt ?? null, provisional: !!o.provisional, at: new Date(r.created_at).toISOString(),
    };
  }));
}

export { DEFAULT_POLICY };
