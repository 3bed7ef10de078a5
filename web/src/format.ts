import type { Locale } from './i18n.ts';

/** Deadlines are computed in Asia/Shanghai, so the UI shows every instant there too. */
export const TIME_ZONE = 'Asia/Shanghai';

const parts = (value: string | Date, withTime: boolean) => {
  const d = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) return null;
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' as const } : {}),
  });
  return Object.fromEntries(f.formatToParts(d).map((p) => [p.type, p.value]));
};

/** `2026-11-25 18:03` (Beijing time); ISO-like in both languages so columns line up. */
export function formatInstant(value: string | Date | null | undefined): string {
  if (!value) return '—';
  const p = parts(value, true);
  return p ? `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}` : String(value);
}

/** A calendar date: 'YYYY-MM-DD' strings pass through, instants are shown as their Beijing date. */
export function formatDate(value: string | Date | null | undefined): string {
  if (!value) return '—';
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const p = parts(value, false);
  return p ? `${p.year}-${p.month}-${p.day}` : String(value);
}

export function formatNumber(n: number | null | undefined, locale: Locale): string {
  return n === null || n === undefined ? '—' : new Intl.NumberFormat(locale).format(n);
}

/** Splits a duration into the two largest units, e.g. 2 d 4 h, 3 h 12 min. */
export function durationParts(ms: number): { days: number; hours: number; minutes: number } {
  const total = Math.floor(Math.abs(ms) / 60_000);
  return { days: Math.floor(total / 1440), hours: Math.floor((total % 1440) / 60), minutes: total % 60 };
}

/** First 12 characters of a hash, for tables; the full value goes in a title attribute. */
export const shortHash = (hash: string | null | undefined) => (hash ? hash.slice(0, 12) : '—');
