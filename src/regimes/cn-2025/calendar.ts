/**
 * Working days (工作日) in Asia/Shanghai from the State Council holiday schedules (国务院办公厅
 * 部分节假日安排的通知): Monday to Friday, minus the days off, plus the adjusted working weekend
 * days (调休上班). A year without its schedule counts weekends only and every answer that touched it
 * is marked provisional. Pure: no clock, no IO; operator-loaded years come in through withSchedules.
 */
import { z } from 'zod';
import { shanghaiDate, shanghaiInstant } from '../../platform/time.ts';
import y2025 from './holidays/2025.json' with { type: 'json' };
import y2026 from './holidays/2026.json' with { type: 'json' };

export type HolidaySchedule = { year: number; source: string; issued: string; offDays: string[]; workingWeekends: string[] };
export type Calendar = { schedules: ReadonlyMap<number, HolidaySchedule> };

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date as YYYY-MM-DD (rejects 2026-02-30). */
export function isIsoDate(s: string): boolean {
  if (!ISO_DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

const IsoDate = z.string().refine(isIsoDate, 'must be a calendar date YYYY-MM-DD');

/** The shape of a schedule file or an operator upload, with cross-field checks naming the bad entry. */
export const HolidayScheduleSchema = z
  .object({
    year: z.number().int().min(2000).max(2100),
    source: z.string().trim().min(1, 'name the official notice the schedule comes from'),
    issued: IsoDate,
    offDays: z.array(IsoDate),
    workingWeekends: z.array(IsoDate),
  })
  .strict()
  .superRefine((s, ctx) => {
    const off = new Set<string>();
    s.offDays.forEach((d, i) => {
      if (!isIsoDate(d)) return;
      if (Number(d.slice(0, 4)) !== s.year) ctx.addIssue({ code: 'custom', path: ['offDays', i], message: `${d} is not in ${s.year}`, params: { key: 'calendar.notInYear', params: { date: d, year: s.year } } });
      if (off.has(d)) ctx.addIssue({ code: 'custom', path: ['offDays', i], message: `${d} is listed twice`, params: { key: 'calendar.listedTwice', params: { date: d } } });
      off.add(d);
    });
    s.workingWeekends.forEach((d, i) => {
      if (!isIsoDate(d)) return;
      if (Number(d.slice(0, 4)) !== s.year) ctx.addIssue({ code: 'custom', path: ['workingWeekends', i], message: `${d} is not in ${s.year}`, params: { key: 'calendar.notInYear', params: { date: d, year: s.year } } });
      if (!isWeekend(d)) ctx.addIssue({ code: 'custom', path: ['workingWeekends', i], message: `${d} is not a Saturday or Sunday`, params: { key: 'calendar.notWeekend', params: { date: d } } });
      if (off.has(d)) ctx.addIssue({ code: 'custom', path: ['workingWeekends', i], message: `${d} is also a day off`, params: { key: 'calendar.alsoDayOff', params: { date: d } } });
    });
  });

function dayOfWeek(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
}
function isWeekend(date: string): boolean {
  const d = dayOfWeek(date);
  return d === 0 || d === 6;
}

/** The calendar date `days` after `date` (both YYYY-MM-DD). */
export function addCalendarDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

function bundled(s: HolidaySchedule): HolidaySchedule {
  const parsed = HolidayScheduleSchema.safeParse(s);
  if (!parsed.success) throw new Error(`bundled holiday schedule ${s.year} is invalid: ${parsed.error.message}`);
  return Object.freeze(parsed.data);
}

export const OFFICIAL_CALENDAR: Calendar = Object.freeze({
  schedules: new Map<number, HolidaySchedule>([bundled(y2025), bundled(y2026)].map((s) => [s.year, s])),
});

/** A calendar with operator-loaded years added; a loaded year replaces the bundled one of that year. */
export function withSchedules(base: Calendar, extra: HolidaySchedule[]): Calendar {
  const m = new Map(base.schedules);
  for (const s of extra) m.set(s.year, s);
  return { schedules: m };
}

type Sets = { off: Set<string>; work: Set<string> };
const setsCache = new WeakMap<HolidaySchedule, Sets>();
function setsOf(s: HolidaySchedule): Sets {
  let v = setsCache.get(s);
  if (!v) {
    v = { off: new Set(s.offDays), work: new Set(s.workingWeekends) };
    setsCache.set(s, v);
  }
  return v;
}

function assertDate(date: string, name: string): void {
  if (typeof date !== 'string' || !isIsoDate(date)) throw new RangeError(`${name} must be a calendar date YYYY-MM-DD, got ${String(date)}`);
}

export function isWorkingDay(date: string, cal: Calendar = OFFICIAL_CALENDAR): { working: boolean; provisional: boolean } {
  assertDate(date, 'date');
  const schedule = cal.schedules.get(Number(date.slice(0, 4)));
  if (!schedule) return { working: !isWeekend(date), provisional: true };
  const { off, work } = setsOf(schedule);
  if (off.has(date)) return { working: false, provisional: false };
  if (work.has(date)) return { working: true, provisional: false };
  return { working: !isWeekend(date), provisional: false };
}

/** n >= 1: the nth working day strictly after `from`. Provisional when any day counted lies in a year without its schedule. */
export function addWorkingDays(from: string, n: number, cal: Calendar = OFFICIAL_CALENDAR): { date: string; provisional: boolean } {
  assertDate(from, 'from');
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be an integer >= 1, got ${n}`);
  let date = from;
  let provisional = false;
  let left = n;
  while (left > 0) {
    date = addCalendarDays(date, 1);
    const d = isWorkingDay(date, cal);
    if (d.provisional) provisional = true;
    if (d.working) left--;
  }
  return { date, provisional };
}

/** Years whose schedule decided the days from `from` (exclusive) to `to` (inclusive). */
function yearsSpanned(from: string, to: string): number[] {
  const out: number[] = [];
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y++) out.push(y);
  return out;
}

/**
 * Due at the end (23:59:59.999 Asia/Shanghai) of the nth working day after the Shanghai date of
 * `awareness`; the day of awareness itself does not count.
 */
export function dueAfterWorkingDays(
  awareness: Date,
  n: number,
  cal: Calendar = OFFICIAL_CALENDAR,
): { due: Date; dueDate: string; provisional: boolean; rule: string } {
  const start = shanghaiDate(awareness);
  const r = addWorkingDays(start, n, cal);
  const basis = yearsSpanned(start, r.date)
    .map((y) => (cal.schedules.has(y) ? `${y} official schedule` : `${y} weekends only (no official schedule loaded)`))
    .join('; ');
  return {
    due: shanghaiInstant(r.date),
    dueDate: r.date,
    provisional: r.provisional,
    rule: `CAL-WD: ${n} working day(s) after ${start}, Asia/Shanghai, end of day; ${basis}`,
  };
}

export function dueAfterHours(start: Date, hours: number): { due: Date; provisional: false } {
  if (!Number.isFinite(hours) || hours < 0) throw new RangeError(`hours must be a number >= 0, got ${hours}`);
  return { due: new Date(start.getTime() + hours * 3_600_000), provisional: false };
}

/** n >= 1: the nth working day strictly before `to` (e.g. "at least 5 working days before release"). */
export function workingDaysBefore(to: string, n: number, cal: Calendar = OFFICIAL_CALENDAR): { date: string; provisional: boolean } {
  assertDate(to, 'to');
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be an integer >= 1, got ${n}`);
  let date = to;
  let provisional = false;
  let left = n;
  while (left > 0) {
    date = addCalendarDays(date, -1);
    const d = isWorkingDay(date, cal);
    if (d.provisional) provisional = true;
    if (d.working) left--;
  }
  return { date, provisional };
}
