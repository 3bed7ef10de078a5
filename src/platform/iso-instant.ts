/**
 * Milliseconds since the epoch of an ISO 8601 date-time of the form the API accepts for instants
 * (zod's `iso.datetime({ offset: true })`: YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)), exactly as
 * Date.parse reads it (a fraction beyond milliseconds is cut). Bulk intake reads two instants per
 * event, a million times a batch: Date.parse costs about a microsecond each, this is arithmetic.
 * Anything not plainly of that form is left to Date.parse.
 */
export function isoMillis(s: string): number {
  const n = s.length;
  if (n < 20 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return Date.parse(s);
  const year = num(s, 0, 4), month = num(s, 5, 2), day = num(s, 8, 2), hour = num(s, 11, 2), minute = num(s, 14, 2), second = num(s, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return Date.parse(s);
  let i = 19, ms = 0;
  if (s.charCodeAt(i) === 46) { // '.': milliseconds from the first three digits
    const start = ++i;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
    if (i === start) return Date.parse(s);
    for (let k = 0; k < 3; k++) ms = ms * 10 + (start + k < i ? s.charCodeAt(start + k) - 48 : 0);
  }
  let offset = 0;
  const sign = s.charCodeAt(i);
  if (sign === 90) { if (i + 1 !== n) return Date.parse(s); } // 'Z'
  else {
    if ((sign !== 43 && sign !== 45) || i + 6 !== n || s.charCodeAt(i + 3) !== 58) return Date.parse(s);
    const oh = num(s, i + 1, 2), om = num(s, i + 4, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return Date.parse(s);
    offset = (sign === 43 ? 1 : -1) * (oh * 60 + om) * 60_000;
  }
  return daysFromCivil(year, month, day) * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + ms - offset;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** The number of `len` digits at `at`, or -1 if one is not a digit. */
function num(s: string, at: number, len: number): number {
  let v = 0;
  for (let k = at; k < at + len; k++) {
    const c = s.charCodeAt(k);
    if (!isDigit(c)) return -1;
    v = v * 10 + c - 48;
  }
  return v;
}

/** Days from 1970-01-01 to a proleptic Gregorian date; a day past the month's end runs on, as in Date.UTC. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}
