/** Operator-loaded holiday schedules: a new year's official schedule is data, not a release. */
import type { Actor } from '../platform/audit.ts';
import { fieldError, msg, validationFailed, zodFieldErrors } from '../platform/errors.ts';
import type { Deps } from '../platform/usecase.ts';
import { HolidayScheduleSchema, OFFICIAL_CALENDAR, type HolidaySchedule } from '../regimes/cn-2025/calendar.ts';
import { appendAudit } from '../platform/audit.ts';
import * as store from './store.ts';

export type ScheduleView = HolidaySchedule & { origin: 'bundled' | 'loaded'; loadedBy?: { id: string; name: string }; loadedAt?: string };

export async function listSchedules(deps: Deps): Promise<ScheduleView[]> {
  const loaded = await deps.db.tx('operator', (sql) => store.loadedSchedules(sql));
  const byYear = new Map<number, ScheduleView>();
  for (const s of OFFICIAL_CALENDAR.schedules.values()) byYear.set(s.year, { ...s, origin: 'bundled' });
  for (const s of loaded) byYear.set(s.year, { ...s, origin: 'loaded' });
  return [...byYear.values()].sort((a, b) => a.year - b.year);
}

/** Validates and stores one year's schedule; the audit entry goes to the operator's chain ('operator' tenant id). */
export async function putSchedule(deps: Deps, actor: Actor, year: number, body: unknown): Promise<ScheduleView> {
  const parsed = HolidayScheduleSchema.safeParse(body, { reportInput: true });
  if (!parsed.success) throw validationFailed(zodFieldErrors(parsed.error.issues), msg('obligations.scheduleInvalid'));
  if (parsed.data.year !== year) throw validationFailed([fieldError('year', msg('obligations.yearMismatch', { year }))]);
  const now = deps.clock();
  const by = { id: actor.id, name: actor.name };
  await deps.db.tx('operator', async (sql) => {
    await store.upsertSchedule(sql, parsed.data, by, now);
    await appendAudit(sql, { tenantId: 'operator', actor, action: 'calendar.schedule_loaded', subjectType: 'calendar', subjectId: String(year), after: parsed.data, at: now });
  });
  return { ...parsed.data, origin: 'loaded', loadedBy: by, loadedAt: now.toISOString() };
}
