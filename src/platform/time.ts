/** The clock is passed in, never read inside rules, so decisions re-run to the same answer. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

/** A fixed or steppable clock for tests and demos. */
export function fixedClock(start: Date | string): Clock & { set(d: Date | string): void; advance(ms: number): void } {
  let t = new Date(start).getTime();
  const c = (() => new Date(t)) as Clock & { set(d: Date | string): void; advance(ms: number): void };
  c.set = (d) => { t = new Date(d).getTime(); };
  c.advance = (ms) => { t += ms; };
  return c;
}

/** The calendar date in Asia/Shanghai (UTC+8, no DST) of an instant, as YYYY-MM-DD. */
export function shanghaiDate(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** The instant of a Shanghai wall-clock time on a date (default end of day 23:59:59.999). */
export function shanghaiInstant(date: string, time = '23:59:59.999'): Date {
  return new Date(`${date}T${time}+08:00`);
}
