import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  OFFICIAL_CALENDAR, HolidayScheduleSchema, addCalendarDays, addWorkingDays, dueAfterHours, dueAfterWorkingDays,
  isWorkingDay, withSchedules, workingDaysBefore, type HolidaySchedule,
} from './calendar.ts';

const add = (from: string, n: number, cal = OFFICIAL_CALENDAR) => addWorkingDays(from, n, cal);

test('addWorkingDays: table of holiday edges in 2025 and 2026', () => {
  const cases: [string, number, string, boolean, string][] = [
    ['2026-02-13', 1, '2026-02-14', false, 'api.md example: Sat 02-14 is an adjusted working day'],
    ['2026-02-14', 1, '2026-02-24', false, 'Spring Festival 2026 02-15..02-23 off'],
    ['2026-02-27', 1, '2026-02-28', false, 'Sat 02-28 is an adjusted working day'],
    ['2026-02-28', 1, '2026-03-02', false, 'ordinary Sunday skipped'],
    ['2025-01-24', 1, '2025-01-26', false, 'Sun 2025-01-26 is an adjusted working day'],
    ['2025-01-27', 1, '2025-02-05', false, 'Spring Festival 2025 01-28..02-04 off'],
    ['2025-02-07', 1, '2025-02-08', false, 'Sat 2025-02-08 is an adjusted working day'],
    ['2025-09-26', 1, '2025-09-28', false, 'Sun 2025-09-28 is an adjusted working day'],
    ['2025-09-30', 1, '2025-10-09', false, 'National Day 2025 10-01..10-08 off'],
    ['2025-10-09', 2, '2025-10-11', false, 'Sat 2025-10-11 is an adjusted working day'],
    ['2025-05-30', 1, '2025-06-03', false, 'Dragon Boat 2025 05-31..06-02 off'],
    ['2025-04-25', 2, '2025-04-28', false, 'Sun 2025-04-27 counts'],
    ['2026-09-18', 1, '2026-09-20', false, 'Sun 2026-09-20 is an adjusted working day'],
    ['2026-09-30', 1, '2026-10-08', false, 'National Day 2026 10-01..10-07 off'],
    ['2026-10-09', 1, '2026-10-10', false, 'Sat 2026-10-10 is an adjusted working day'],
    ['2026-09-24', 1, '2026-09-28', false, 'Mid-Autumn 2026 09-25..09-27 off'],
    ['2025-12-31', 1, '2026-01-04', false, 'New Year 2026 01-01..01-03 off, Sun 01-04 works'],
    ['2026-05-08', 1, '2026-05-09', false, 'Sat 2026-05-09 works'],
    ['2026-12-30', 1, '2026-12-31', false, 'within 2026'],
    ['2026-12-31', 1, '2027-01-01', true, '2027 has no schedule: weekends only, provisional'],
    ['2027-03-05', 1, '2027-03-08', true, 'weekend skipped in a provisional year'],
    ['2024-12-31', 1, '2025-01-02', false, 'only counted days matter: 2025-01-01 off, 2025 known'],
    ['2024-12-27', 1, '2024-12-30', true, '2024 has no schedule bundled'],
  ];
  for (const [from, n, date, provisional, why] of cases) {
    assert.deepEqual(add(from, n), { date, provisional }, `${from} + ${n}: ${why}`);
  }
});

test('isWorkingDay: table', () => {
  const cases: [string, boolean, boolean][] = [
    ['2025-01-26', true, false], ['2025-01-28', false, false], ['2025-02-04', false, false], ['2025-02-05', true, false],
    ['2025-10-08', false, false], ['2025-10-11', true, false], ['2026-02-14', true, false], ['2026-02-23', false, false],
    ['2026-01-04', true, false], ['2026-05-09', true, false], ['2026-10-07', false, false], ['2026-10-10', true, false],
    ['2026-03-07', false, false], ['2026-03-09', true, false],
    ['2027-05-03', true, true], ['2027-05-01', false, true], ['2024-10-01', true, true],
  ];
  for (const [d, working, provisional] of cases) assert.deepEqual(isWorkingDay(d), { working, provisional }, d);
});

test('bad input is refused with a RangeError naming the argument', () => {
  assert.throws(() => isWorkingDay('2026-02-30'), /date must be a calendar date/);
  assert.throws(() => addWorkingDays('26-02-13', 1), /from must be a calendar date/);
  assert.throws(() => addWorkingDays('2026-02-13', 0), /n must be an integer >= 1/);
  assert.throws(() => addWorkingDays('2026-02-13', 1.5), /n must be an integer >= 1/);
  assert.throws(() => dueAfterHours(new Date(), -1), /hours must be/);
});

test('dueAfterWorkingDays: Shanghai date of awareness, end of the nth working day', () => {
  // 2026-02-13T20:00Z is 04:00 on Saturday 2026-02-14 in Shanghai (an adjusted working day, not counted).
  const r = dueAfterWorkingDays(new Date('2026-02-13T20:00:00Z'), 5);
  assert.equal(r.dueDate, '2026-02-28'); // 02-24..02-27 then Sat 02-28
  assert.equal(r.due.toISOString(), '2026-02-28T15:59:59.999Z');
  assert.equal(r.provisional, false);
  assert.match(r.rule, /^CAL-WD: 5 working day\(s\) after 2026-02-14/);
  const late = dueAfterWorkingDays(new Date('2026-12-30T02:00:00Z'), 3);
  assert.equal(late.dueDate, '2027-01-04');
  assert.equal(late.provisional, true);
  assert.match(late.rule, /2027 weekends only/);
});

test('dueAfterHours adds elapsed hours, never provisional', () => {
  assert.deepEqual(dueAfterHours(new Date('2026-02-14T10:00:00Z'), 24), { due: new Date('2026-02-15T10:00:00Z'), provisional: false });
});

test('withSchedules: an operator-loaded year replaces weekends-only counting', () => {
  const y2027: HolidaySchedule = { year: 2027, source: 'test notice', issued: '2026-11-01', offDays: ['2027-01-01'], workingWeekends: ['2027-01-02'] };
  const cal = withSchedules(OFFICIAL_CALENDAR, [y2027]);
  assert.deepEqual(addWorkingDays('2026-12-31', 1, cal), { date: '2027-01-02', provisional: false });
  assert.deepEqual(addWorkingDays('2026-12-31', 1), { date: '2027-01-01', provisional: true }, 'base calendar untouched');
});

test('HolidayScheduleSchema names the bad entry', () => {
  const bad = HolidayScheduleSchema.safeParse({ year: 2027, source: 'x', issued: '2026-11-01', offDays: ['2027-02-30', '2028-01-01'], workingWeekends: ['2027-01-04'] });
  assert.equal(bad.success, false);
  const paths = bad.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  assert.ok(paths.some((p) => p.startsWith('offDays.0')), paths.join('\n'));
  assert.ok(paths.some((p) => p.startsWith('offDays.1') && p.includes('not in 2027')), paths.join('\n'));
  assert.ok(paths.some((p) => p.startsWith('workingWeekends.0') && p.includes('not a Saturday or Sunday')), paths.join('\n'));
});

// --- properties -------------------------------------------------------------------------------

const dateIn = (from: string, to: string) =>
  fc.integer({ min: 0, max: (Date.parse(to) - Date.parse(from)) / 86_400_000 }).map((k) => addCalendarDays(from, k));
const anyDate = dateIn('2024-11-01', '2028-02-28');

function countWorking(fromExclusive: string, toInclusive: string, cal = OFFICIAL_CALENDAR): number {
  let c = 0;
  for (let d = addCalendarDays(fromExclusive, 1); d <= toInclusive; d = addCalendarDays(d, 1)) if (isWorkingDay(d, cal).working) c++;
  return c;
}

test('property: adding N working days lands on a working day, after exactly N working days', () => {
  fc.assert(fc.property(anyDate, fc.integer({ min: 1, max: 80 }), (from, n) => {
    const r = add(from, n);
    assert.equal(isWorkingDay(r.date).working, true);
    assert.ok(r.date > from);
    assert.equal(countWorking(from, r.date), n);
    const previous = n > 1 ? add(from, n - 1).date : from;
    assert.ok(previous < r.date);
  }), { numRuns: 400 });
});

test('property: adding is composable: (from + a) + b = from + (a + b)', () => {
  fc.assert(fc.property(anyDate, fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), (from, a, b) => {
    assert.equal(add(add(from, a).date, b).date, add(from, a + b).date);
  }), { numRuns: 300 });
});

test('property: provisional exactly when a counted day lies in a year without a schedule', () => {
  fc.assert(fc.property(anyDate, fc.integer({ min: 1, max: 80 }), (from, n) => {
    const r = add(from, n);
    const years = new Set<number>();
    for (let d = addCalendarDays(from, 1); d <= r.date; d = addCalendarDays(d, 1)) years.add(Number(d.slice(0, 4)));
    assert.equal(r.provisional, [...years].some((y) => !OFFICIAL_CALENDAR.schedules.has(y)));
  }), { numRuns: 300 });
});

test('property: every adjusted working weekend counts as a working day', () => {
  const weekends = [...OFFICIAL_CALENDAR.schedules.values()].flatMap((s) => s.workingWeekends);
  assert.equal(weekends.length, 11);
  fc.assert(fc.property(fc.constantFrom(...weekends), (w) => {
    assert.deepEqual(isWorkingDay(w), { working: true, provisional: false });
    assert.equal(add(addCalendarDays(w, -1), 1).date, w);
  }));
});

const FESTIVALS: [string, string, string][] = [
  ['Spring Festival 2025', '2025-01-28', '2025-02-04'],
  ['National Day 2025', '2025-10-01', '2025-10-08'],
  ['Spring Festival 2026', '2026-02-15', '2026-02-23'],
  ['National Day 2026', '2026-10-01', '2026-10-07'],
];
for (const [name, first, last] of FESTIVALS) {
  test(`property: ${name} (${first}..${last}) is never a due date`, () => {
    for (let d = first; d <= last; d = addCalendarDays(d, 1)) assert.equal(isWorkingDay(d).working, false, d);
    fc.assert(fc.property(dateIn(addCalendarDays(first, -30), last), fc.integer({ min: 1, max: 30 }), (from, n) => {
      const r = add(from, n).date;
      assert.ok(r < first || r > last, `${from} + ${n} = ${r}`);
    }), { numRuns: 300 });
  });
}

test('property: with a random operator-loaded year, results never land on its days off', () => {
  const year2027 = fc.uniqueArray(dateIn('2027-01-01', '2027-12-31'), { maxLength: 40 }).map((offDays) => {
    const weekendWork = ['2027-01-09', '2027-10-09'].filter((d) => !offDays.includes(d));
    return { year: 2027, source: 'generated', issued: '2026-11-01', offDays, workingWeekends: weekendWork } satisfies HolidaySchedule;
  });
  fc.assert(fc.property(year2027, dateIn('2026-11-01', '2027-12-01'), fc.integer({ min: 1, max: 30 }), (s, from, n) => {
    assert.equal(HolidayScheduleSchema.safeParse(s).success, true);
    const cal = withSchedules(OFFICIAL_CALENDAR, [s]);
    const r = addWorkingDays(from, n, cal);
    assert.ok(!s.offDays.includes(r.date), r.date);
    assert.equal(isWorkingDay(r.date, cal).working, true);
    if (r.date < '2028-01-01') assert.equal(r.provisional, false);
  }), { numRuns: 200 });
});

test('workingDaysBefore: table and inverse property', () => {
  assert.deepEqual(workingDaysBefore('2026-02-24', 1), { date: '2026-02-14', provisional: false });
  assert.deepEqual(workingDaysBefore('2026-03-02', 5), { date: '2026-02-24', provisional: false }); // 02-28 Sat counts
  assert.deepEqual(workingDaysBefore('2027-01-04', 1), { date: '2027-01-01', provisional: true });
  fc.assert(fc.property(anyDate, fc.integer({ min: 1, max: 40 }), (to, n) => {
    const r = workingDaysBefore(to, n);
    assert.equal(isWorkingDay(r.date).working, true);
    assert.equal(countWorking(r.date, addCalendarDays(to, -1)), n - 1);
  }), { numRuns: 300 });
});
