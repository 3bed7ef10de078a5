/**
 * Turning rule outputs into register rows, inside the caller's unit of work: idempotent by natural
 * key; a re-run changes nothing; changed due dates of active obligations are updated and audited.
 */
import { newId } from '../platform/ids.ts';
import type { Sql } from '../platform/db.ts';
import type { AuditRequest, EmitRequest, UnitOfWork } from '../platform/usecase.ts';
import { AppError, msg } from '../platform/errors.ts';
import { OFFICIAL_CALENDAR, withSchedules, type Calendar } from '../regimes/cn-2025/calendar.ts';
import {
  campaignObligations, incidentObligations, manufacturerObligations, productObligations, resolvePolicy,
  type CampaignFacts, type IncidentObligationFacts, type ObligationPolicy, type ObligationSpec, type ProductFacts,
} from '../regimes/cn-2025/obligations.ts';
import { present } from './present.ts';
import * as store from './store.ts';

export type SyncResult = { created: string[]; updated: string[]; withdrawn: string[]; unchanged: string[] };

/** The calendar everyone uses: bundled official schedules plus the years an operator loaded. */
export async function loadCalendar(sql: Sql): Promise<Calendar> {
  const loaded = await store.loadedSchedules(sql);
  return loaded.length ? withSchedules(OFFICIAL_CALENDAR, loaded.map(({ loadedBy: _b, loadedAt: _a, ...s }) => s)) : OFFICIAL_CALENDAR;
}

export async function obligationPolicy(sql: Sql, tenantId: string): Promise<ReturnType<typeof resolvePolicy>> {
  const t = await store.tenantFacts(sql, tenantId);
  return resolvePolicy(t?.policy ?? {});
}

const DERIVED: (keyof ObligationSpec)[] = ['dueAt', 'dueDate', 'dueProvisional', 'dueBasis', 'dueCondition', 'dueExplain', 'documents', 'gate',
  'fulfilledBy', 'after', 'actingParty', 'source', 'regimeVersion'];

function derivedOf(r: store.ObligationRow): Partial<Record<keyof ObligationSpec, unknown>> {
  return {
    dueAt: r.due_at ? new Date(r.due_at).toISOString() : null, dueDate: r.due_date, dueProvisional: r.due_provisional, dueBasis: r.due_basis,
    dueCondition: r.due_condition, dueExplain: r.due_explain, documents: r.documents, gate: r.gate, fulfilledBy: r.fulfilled_by,
    after: r.after_keys, actingParty: r.acting_party, source: r.source, regimeVersion: r.regime_version,
  };
}

function changedFields(r: store.ObligationRow, s: ObligationSpec): string[] {
  const cur = derivedOf(r);
  return DERIVED.filter((k) => JSON.stringify(cur[k]) !== JSON.stringify(s[k]));
}

/**
 * Upserts specs by natural key. With `withdrawMissing`, open obligations of `subject` that the rules
 * no longer produce become 'withdrawn' (e.g. a campaign re-classified from B to A).
 */
export async function upsertObligations(
  u: UnitOfWork,
  specs: ObligationSpec[],
  opts: { subject?: { type: ObligationSpec['subjectType']; id: string }; withdrawMissing?: boolean; policy?: ObligationPolicy } = {},
): Promise<SyncResult> {
  const res: SyncResult = { created: [], updated: [], withdrawn: [], unchanged: [] };
  const policy = opts.policy ?? (await obligationPolicy(u.sql, u.tenantId)).policy;
  const seen = new Set<string>();
  for (const s of specs) {
    if (seen.has(s.key)) throw new AppError('integrity_error', msg('obligations.duplicateKey', { key: s.key }));
    seen.add(s.key);
    const existing = await store.getByKey(u.sql, u.tenantId, s.key);
    if (!existing) {
      const row = await store.insertObligation(u.sql, u.tenantId, newId('obl', u.now.getTime()), s, u.now);
      if (!row) { res.unchanged.push(s.key); continue; } // inserted concurrently by another transaction
      const after = present(row, u.now, policy);
      await u.audit({ action: 'obligation.created', subjectType: 'obligation', subjectId: row.id, after,
        data: { key: s.key, rule: s.rule, source: s.source, regime: s.regime, regimeVersion: s.regimeVersion, subjectType: s.subjectType, subjectId: s.subjectId } });
      await u.emit({ type: 'obligation.created', subjectType: 'obligation', subjectId: row.id, idempotencyKey: `obligation.created:${row.id}`,
        payload: { obligation: after } });
      res.created.push(s.key);
      continue;
    }
    const changes = changedFields(existing, s);
    // A reopened or withdrawn duty that the rules produce again is open again.
    const revive = existing.status === 'withdrawn';
    if (changes.length === 0 && !revive) { res.unchanged.push(s.key); continue; }
    if (changes.length) await store.updateDerived(u.sql, u.tenantId, existing.id, s, u.now);
    if (revive) await store.transition(u.sql, u.tenantId, existing.id, ['withdrawn'], 'open', { reason: 'required again by the rules' }, u.now);
    const row = (await store.getById(u.sql, u.tenantId, existing.id))!;
    await u.audit({ action: revive ? 'obligation.reinstated' : 'obligation.rescheduled', subjectType: 'obligation', subjectId: row.id,
      before: present(existing, u.now, policy), after: present(row, u.now, policy), data: { key: s.key, changed: changes } });
    await u.emit({ type: revive ? 'obligation.reinstated' : 'obligation.rescheduled', subjectType: 'obligation', subjectId: row.id,
      idempotencyKey: `obligation.${revive ? 'reinstated' : 'rescheduled'}:${row.id}:${u.now.getTime()}`,
      payload: { key: s.key, changed: changes, dueAt: row.due_at ? new Date(row.due_at).toISOString() : null, dueDate: row.due_date } });
    res.updated.push(s.key);
  }
  if (opts.withdrawMissing && opts.subject) {
    for (const r of await store.bySubject(u.sql, u.tenantId, opts.subject.type, opts.subject.id)) {
      if (seen.has(r.key) || r.status !== 'open') continue;
      const row = await store.transition(u.sql, u.tenantId, r.id, ['open'], 'withdrawn', { reason: 'no longer required by the rules for this subject' }, u.now);
      if (!row) continue;
      await u.audit({ action: 'obligation.withdrawn', subjectType: 'obligation', subjectId: r.id, before: present(r, u.now, policy),
        after: present({ ...row, has_reference: r.has_reference }, u.now, policy), data: { key: r.key } });
      await u.emit({ type: 'obligation.withdrawn', subjectType: 'obligation', subjectId: r.id,
        idempotencyKey: `obligation.withdrawn:${r.id}:${u.now.getTime()}`, payload: { key: r.key, rule: r.rule } });
      res.withdrawn.push(r.key);
    }
  }
  return res;
}

async function context(u: UnitOfWork) {
  const t = await store.tenantFacts(u.sql, u.tenantId);
  if (!t) throw new AppError('not_found', msg('platform.notFound', { what: msg('entity.tenant'), id: u.tenantId }));
  const { policy } = resolvePolicy(t.policy);
  return { tenant: t, policy, cal: await loadCalendar(u.sql), common: { tenantId: t.id, overseas: t.overseas } };
}

function merge(a: SyncResult, b: SyncResult): SyncResult {
  return { created: [...a.created, ...b.created], updated: [...a.updated, ...b.updated], withdrawn: [...a.withdrawn, ...b.withdrawn], unchanged: [...a.unchanged, ...b.unchanged] };
}

/** Manufacturer-level duties (M22-1a once OTA products exist, N45-over for overseas); the sweep and product syncs call it. */
export async function backfillManufacturerObligations(u: UnitOfWork): Promise<SyncResult> {
  const { tenant, policy, cal, common } = await context(u);
  if (tenant.kind !== 'manufacturer') return { created: [], updated: [], withdrawn: [], unchanged: [] };
  const hasOta = await store.hasOtaProductObligation(u.sql, u.tenantId);
  const specs = manufacturerObligations({ ...common, createdAt: tenant.created_at, hasOtaProducts: hasOta }, policy, cal);
  return upsertObligations(u, specs, { policy });
}

export async function syncProductObligations(u: UnitOfWork, facts: ProductFacts): Promise<SyncResult> {
  const { policy, cal, common } = await context(u);
  const specs = productObligations(facts, common, policy, cal);
  const r = await upsertObligations(u, specs, { subject: { type: 'product', id: facts.id }, withdrawMissing: true, policy });
  return merge(r, await backfillManufacturerObligations(u));
}

export async function syncCampaignObligations(u: UnitOfWork, facts: CampaignFacts): Promise<SyncResult> {
  const { policy, cal, common } = await context(u);
  const specs = campaignObligations(facts, common, u.now, policy, cal);
  return upsertObligations(u, specs, { subject: { type: 'campaign', id: facts.id }, withdrawMissing: true, policy });
}

export async function syncIncidentObligations(u: UnitOfWork, facts: IncidentObligationFacts): Promise<SyncResult> {
  const { policy, common } = await context(u);
  // Deadlines only accumulate (an update adds one); earlier ones are never withdrawn.
  return upsertObligations(u, incidentObligations(facts, common), { policy });
}

/** The audit entries and outbox events a set upsert leaves for its caller to record, in the order the one-by-one form records them. */
export type Pending = { audits: AuditRequest[]; events: EmitRequest[] };

/**
 * upsertObligations (without withdrawal) for several spec lists at once, in a few statements per set
 * rather than several per obligation. Writes the obligation rows only; answers per list its result and
 * the audit entries and events that calling upsertObligations for each list in turn would have recorded.
 * A key in two lists is taken as the one-by-one form would: the later list sees what the earlier wrote.
 */
async function upsertObligationSets(u: UnitOfWork, lists: ObligationSpec[][], policy: ObligationPolicy): Promise<(SyncResult & Pending)[]> {
  for (const specs of lists) {
    const seen = new Set<string>();
    for (const s of specs) {
      if (seen.has(s.key)) throw new AppError('integrity_error', msg('obligations.duplicateKey', { key: s.key }));
      seen.add(s.key);
    }
  }
  // Runs of lists whose keys are disjoint are written together; a key seen again starts the next run.
  const out: (SyncResult & Pending)[] = [];
  let run: ObligationSpec[][] = [], runKeys = new Set<string>();
  for (const specs of lists) {
    if (specs.some((s) => runKeys.has(s.key))) { out.push(...await upsertDisjoint(u, run, policy)); run = []; runKeys = new Set(); }
    run.push(specs);
    for (const s of specs) runKeys.add(s.key);
  }
  out.push(...await upsertDisjoint(u, run, policy));
  return out;
}

async function upsertDisjoint(u: UnitOfWork, lists: ObligationSpec[][], policy: ObligationPolicy): Promise<(SyncResult & Pending)[]> {
  const all = lists.flat();
  if (all.length === 0) return lists.map(() => ({ created: [], updated: [], withdrawn: [], unchanged: [], audits: [], events: [] }));
  const existing = new Map((await store.byKeys(u.sql, u.tenantId, all.map((s) => s.key))).map((r) => [r.key, r]));
  const fresh = all.filter((s) => !existing.has(s.key));
  const inserted = new Map((await store.insertObligations(u.sql, u.tenantId, fresh.map((spec) => ({ id: newId('obl', u.now.getTime()), spec })), u.now)).map((r) => [r.key, r]));
  const changes = new Map<string, string[]>();
  const revive = new Set<string>();
  for (const s of all) {
    const e = existing.get(s.key);
    if (!e) continue;
    changes.set(s.key, changedFields(e, s));
    if (e.status === 'withdrawn') revive.add(s.key);
  }
  const toUpdate = all.filter((s) => changes.get(s.key)?.length);
  await store.updateDerivedMany(u.sql, u.tenantId, toUpdate.map((spec) => ({ id: existing.get(spec.key)!.id, spec })), u.now);
  await store.transitionMany(u.sql, u.tenantId, [...revive].map((k) => existing.get(k)!.id), ['withdrawn'], 'open', { reason: 'required again by the rules' }, u.now);
  const touched = new Set([...toUpdate.map((s) => s.key), ...revive]);
  const current = new Map(touched.size ? (await store.byKeys(u.sql, u.tenantId, [...touched])).map((r) => [r.key, r]) : []);

  return lists.map((specs) => {
    const res: SyncResult & Pending = { created: [], updated: [], withdrawn: [], unchanged: [], audits: [], events: [] };
    for (const s of specs) {
      const before = existing.get(s.key);
      if (!before) {
        const row = inserted.get(s.key);
        if (!row) { res.unchanged.push(s.key); continue; } // inserted concurrently by another transaction
        const after = present(row, u.now, policy);
        res.audits.push({ action: 'obligation.created', subjectType: 'obligation', subjectId: row.id, after,
          data: { key: s.key, rule: s.rule, source: s.source, regime: s.regime, regimeVersion: s.regimeVersion, subjectType: s.subjectType, subjectId: s.subjectId } });
        res.events.push({ type: 'obligation.created', subjectType: 'obligation', subjectId: row.id, idempotencyKey: `obligation.created:${row.id}`,
          payload: { obligation: after } });
        res.created.push(s.key);
        continue;
      }
      const changed = changes.get(s.key)!;
      const reviving = revive.has(s.key);
      if (changed.length === 0 && !reviving) { res.unchanged.push(s.key); continue; }
      const row = current.get(s.key)!;
      res.audits.push({ action: reviving ? 'obligation.reinstated' : 'obligation.rescheduled', subjectType: 'obligation', subjectId: row.id,
        before: present(before, u.now, policy), after: present(row, u.now, policy), data: { key: s.key, changed } });
      res.events.push({ type: reviving ? 'obligation.reinstated' : 'obligation.rescheduled', subjectType: 'obligation', subjectId: row.id,
        idempotencyKey: `obligation.${reviving ? 'reinstated' : 'rescheduled'}:${row.id}:${u.now.getTime()}`,
        payload: { key: s.key, changed, dueAt: row.due_at ? new Date(row.due_at).toISOString() : null, dueDate: row.due_date } });
      res.updated.push(s.key);
    }
    return res;
  });
}

/**
 * syncIncidentObligations for many incidents, writing the obligation rows only: the caller records
 * each answer's `audits` (u.auditMany) and `events` (u.emitMany) in the same unit of work, in order,
 * so it can place them among its own entries exactly where the one-by-one form would have.
 */
export async function planIncidentObligationsMany(u: UnitOfWork, facts: IncidentObligationFacts[]): Promise<(SyncResult & Pending)[]> {
  if (facts.length === 0) return [];
  const { policy, common } = await context(u);
  return upsertObligationSets(u, facts.map((f) => incidentObligations(f, common)), policy);
}

/** syncIncidentObligations for each of `facts` in turn, with the same rows, audit entries and events, in a few statements. */
export async function syncIncidentObligationsMany(u: UnitOfWork, facts: IncidentObligationFacts[]): Promise<SyncResult[]> {
  const planned = await planIncidentObligationsMany(u, facts);
  await u.auditMany(planned.flatMap((p) => p.audits));
  await u.emitMany(planned.flatMap((p) => p.events));
  return planned.map(({ audits: _a, events: _e, ...r }) => r);
}
