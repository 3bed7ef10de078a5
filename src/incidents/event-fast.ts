// A hand-written validator for the bulk intake's hot path: `fastEvent(v)` answers the parsed event only
// when zod's `IncidentEvent.safeParse(v)` would succeed with the same data; otherwise undefined, and the
// caller asks zod (which also writes the error messages). It may refuse anything valid it is unsure
// about, never accept anything zod refuses. It mirrors zod 4.6's object parsing: a schema key is read as
// `v[key]` and present when `key in v`; unknown keys are found with `for...in` (so an own "__proto__" key
// or an enumerable inherited one is unknown, as in zod's strict objects).
// Refused, to fall back: any key present with the value undefined (zod keeps or defaults it), any
// string that starts or ends with a character `.trim()` could remove (zod would rewrite the value).
// Lengths are counted as zod 4.6 counts them: in code points (a well-formed surrogate pair is one).
// Keep it in step with `IncidentEvent` in model.ts: event-fast.test.ts pins the schema's JSON Schema
// digest, compares both on generated events, and fails when the schema changes.
import { ENGAGEMENT, EVENT_TYPES } from '../regimes/cn-2025/incidents.ts';
import { AWARENESS_SOURCES, type IncidentEvent } from './model.ts';

const EVENT_TYPE_SET: ReadonlySet<string> = new Set(EVENT_TYPES);
const ENGAGEMENT_SET: ReadonlySet<string> = new Set(ENGAGEMENT);
const AWARENESS_SET: ReadonlySet<string> = new Set(AWARENESS_SOURCES);

type Obj = Record<string, unknown>;
type Out = Record<string, unknown>;

/** A superset of what String.prototype.trim removes (WhiteSpace and LineTerminator), plus a few look-alikes. */
function maybeSpace(c: number): boolean {
  if (c <= 0x20) return true;
  if (c < 0x85) return false;
  return c === 0x85 || c === 0xa0 || c === 0x1680 || c === 0x180e || (c >= 0x2000 && c <= 0x200b)
    || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Length in code points as zod counts it: UTF-16 units less one per well-formed surrogate pair. */
function codePoints(s: string): number {
  const n = s.length;
  let count = n;
  for (let i = 0; i < n - 1; i++) {
    if ((s.charCodeAt(i) & 0xfc00) === 0xd800 && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) { count--; i++; }
  }
  return count;
}

/** z.string().trim().min(min).max(max) for a string that trim leaves as it is; false for any other. */
function text(x: unknown, min: number, max: number): x is string {
  if (typeof x !== 'string') return false;
  const n = x.length;
  if (n === 0 || n < min) return false;
  if (maybeSpace(x.charCodeAt(0)) || maybeSpace(x.charCodeAt(n - 1))) return false;
  if (n <= max && n >= 2 * min) return true;
  const cp = codePoints(x);
  return cp >= min && cp <= max;
}

const d = (s: string, i: number): number => s.charCodeAt(i) - 48;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * z.iso.datetime({ offset: true }), i.e. zod's regex
 * ^DATE T (?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$
 * with DATE a Gregorian calendar date YYYY-MM-DD (year 0000-9999, Feb 29 in leap years only).
 */
function instant(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const n = s.length;
  if (n < 20) return false;
  for (let i = 0; i < 19; i++) {
    const c = s.charCodeAt(i);
    if (i === 4 || i === 7) { if (c !== 45) return false; }
    else if (i === 10) { if (c !== 84) return false; }
    else if (i === 13 || i === 16) { if (c !== 58) return false; }
    else if (!isDigit(c)) return false;
  }
  const year = d(s, 0) * 1000 + d(s, 1) * 100 + d(s, 2) * 10 + d(s, 3);
  const month = d(s, 5) * 10 + d(s, 6);
  const day = d(s, 8) * 10 + d(s, 9);
  if (month < 1 || month > 12 || day < 1) return false;
  if (month === 2) {
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    if (day > (leap ? 29 : 28)) return false;
  } else if (day > (month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31)) return false;
  if (d(s, 11) * 10 + d(s, 12) > 23 || d(s, 14) > 5 || d(s, 17) > 5) return false;
  let i = 19;
  let c = s.charCodeAt(i);
  if (c === 46) { // '.' and one or more digits
    const start = ++i;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
    if (i === start || i === n) return false;
    c = s.charCodeAt(i);
  }
  if (c === 90) return i + 1 === n; // 'Z'
  if (c !== 43 && c !== 45) return false; // '+' '-'
  if (i + 6 !== n) return false;
  const h1 = s.charCodeAt(i + 1), h2 = s.charCodeAt(i + 2), m1 = s.charCodeAt(i + 4), m2 = s.charCodeAt(i + 5);
  if (!isDigit(h1) || !isDigit(h2) || s.charCodeAt(i + 3) !== 58 || !isDigit(m1) || !isDigit(m2)) return false;
  return (h1 - 48) * 10 + (h2 - 48) <= 23 && m1 - 48 <= 5;
}

function isObject(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** A finite number within [min, max] (z.number().min().max(); NaN and ±Infinity fail). */
function num(x: unknown, min: number, max: number): x is number {
  return typeof x === 'number' && x >= min && x <= max;
}

function cdasOf(o: Obj): Out | undefined {
  for (const k in o) if (k !== 'function' && k !== 'engagement' && k !== 'secondsBeforeImpact') return undefined;
  const fn = o.function, eng = o.engagement, sec = o.secondsBeforeImpact;
  if (!text(fn, 1, 80)) return undefined;
  let engagement: string;
  if (eng === undefined) { if ('engagement' in o) return undefined; engagement = 'unknown'; }
  else if (typeof eng === 'string' && ENGAGEMENT_SET.has(eng)) engagement = eng;
  else return undefined;
  if (sec === undefined) {
    if ('secondsBeforeImpact' in o) return undefined;
    return { function: fn, engagement };
  }
  if (sec !== null && !num(sec, 0, 3600)) return undefined;
  return { function: fn, engagement, secondsBeforeImpact: sec };
}

function softwareOf(a: unknown[]): Out[] | undefined {
  const n = a.length;
  if (n > 50) return undefined;
  const out: Out[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const s = a[i];
    if (!isObject(s)) return undefined;
    for (const k in s) if (k !== 'ecu' && k !== 'version' && k !== 'swin') return undefined;
    const ecu = s.ecu, version = s.version, swin = s.swin;
    if (!text(ecu, 1, 40) || !text(version, 1, 80)) return undefined;
    if (swin === undefined) {
      if ('swin' in s) return undefined;
      out[i] = { ecu, version };
    } else {
      if (!text(swin, 1, 80)) return undefined;
      out[i] = { ecu, version, swin };
    }
  }
  return out;
}

function locationOf(o: Obj): Out | undefined {
  for (const k in o) if (k !== 'province' && k !== 'city') return undefined;
  const province = o.province, city = o.city;
  if (!text(province, 1, 40)) return undefined;
  if (city === undefined) return 'city' in o ? undefined : { province };
  return text(city, 1, 60) ? { province, city } : undefined;
}

const SEVERITY_KEYS = ['fatality', 'hospitalInjury', 'vulnerableRoadUser', 'fire', 'airbag', 'towAway', 'propertyDamage'] as const;

function severityOf(o: Obj): Out | undefined {
  const out: Out = {};
  for (const k in o) {
    switch (k) {
      case 'fatality': case 'hospitalInjury': case 'vulnerableRoadUser': case 'fire': case 'airbag': case 'towAway': case 'propertyDamage':
        break;
      default: return undefined;
    }
  }
  for (let i = 0; i < SEVERITY_KEYS.length; i++) {
    const k = SEVERITY_KEYS[i]!;
    const b = o[k];
    if (b === undefined) { if (k in o) return undefined; continue; }
    if (typeof b !== 'boolean') return undefined;
    out[k] = b;
  }
  return out;
}

const PERSONAL_TEXT = [['plate', 20], ['address', 500], ['phone', 40], ['serialNumber', 100]] as const;

function personalOf(o: Obj): Out | undefined {
  for (const k in o) {
    switch (k) {
      case 'names': case 'plate': case 'exactLocation': case 'address': case 'phone': case 'serialNumber':
        break;
      default: return undefined;
    }
  }
  const out: Out = {};
  const names = o.names;
  if (names === undefined) { if ('names' in o) return undefined; }
  else {
    if (!Array.isArray(names) || names.length > 20) return undefined;
    const copy: string[] = new Array(names.length);
    for (let i = 0; i < names.length; i++) {
      const s: unknown = names[i];
      if (!text(s, 1, 200)) return undefined;
      copy[i] = s;
    }
    out.names = copy;
  }
  for (let i = 0; i < PERSONAL_TEXT.length; i++) {
    const [k, max] = PERSONAL_TEXT[i]!;
    const s = o[k];
    if (s === undefined) { if (k in o) return undefined; continue; }
    if (!text(s, 1, max)) return undefined;
    out[k] = s;
  }
  const loc = o.exactLocation;
  if (loc === undefined) { if ('exactLocation' in o) return undefined; }
  else {
    if (!isObject(loc)) return undefined;
    for (const k in loc) if (k !== 'lat' && k !== 'lon') return undefined;
    const lat = loc.lat, lon = loc.lon;
    if (!num(lat, -90, 90) || !num(lon, -180, 180)) return undefined;
    out.exactLocation = { lat, lon };
  }
  return out;
}

/**
 * The event zod's IncidentEvent.safeParse(value) would answer (deep-equal data, defaults filled in,
 * absent optional keys absent), or undefined when the value is invalid or not certainly valid.
 */
export function fastEvent(value: unknown): IncidentEvent | undefined {
  if (!isObject(value)) return undefined;
  const v = value;
  for (const k in v) {
    switch (k) {
      case 'eventId': case 'type': case 'vin': case 'occurredAt': case 'awareAt': case 'awarenessSource': case 'incidentRef':
      case 'cdas': case 'faultCode': case 'software': case 'location': case 'severity': case 'personal':
        break;
      default: return undefined;
    }
  }
  const type = v.type, vin = v.vin, occurredAt = v.occurredAt, cdasIn = v.cdas;
  if (typeof type !== 'string' || !EVENT_TYPE_SET.has(type)) return undefined;
  if (!text(vin, 11, 17) || !instant(occurredAt) || !isObject(cdasIn)) return undefined;
  const cdas = cdasOf(cdasIn);
  if (cdas === undefined) return undefined;

  const src = v.awarenessSource;
  let awarenessSource: string;
  if (src === undefined) { if ('awarenessSource' in v) return undefined; awarenessSource = 'telematics'; }
  else if (typeof src === 'string' && AWARENESS_SET.has(src)) awarenessSource = src;
  else return undefined;

  const sw = v.software;
  let software: Out[];
  if (sw === undefined) { if ('software' in v) return undefined; software = []; }
  else {
    if (!Array.isArray(sw)) return undefined;
    const s = softwareOf(sw);
    if (s === undefined) return undefined;
    software = s;
  }

  const sev = v.severity;
  let severity: Out;
  if (sev === undefined) { if ('severity' in v) return undefined; severity = {}; }
  else {
    if (!isObject(sev)) return undefined;
    const s = severityOf(sev);
    if (s === undefined) return undefined;
    severity = s;
  }

  const out: Out = { type, vin, occurredAt, awarenessSource, cdas, software, severity };

  const eventId = v.eventId;
  if (eventId !== undefined) { if (!text(eventId, 1, 120)) return undefined; out.eventId = eventId; }
  else if ('eventId' in v) return undefined;

  const awareAt = v.awareAt;
  if (awareAt !== undefined) { if (!instant(awareAt)) return undefined; out.awareAt = awareAt; }
  else if ('awareAt' in v) return undefined;

  const incidentRef = v.incidentRef;
  if (incidentRef !== undefined) { if (!text(incidentRef, 1, 120)) return undefined; out.incidentRef = incidentRef; }
  else if ('incidentRef' in v) return undefined;

  const faultCode = v.faultCode;
  if (faultCode !== undefined) { if (!text(faultCode, 1, 80)) return undefined; out.faultCode = faultCode; }
  else if ('faultCode' in v) return undefined;

  const loc = v.location;
  if (loc !== undefined) {
    if (!isObject(loc)) return undefined;
    const l = locationOf(loc);
    if (l === undefined) return undefined;
    out.location = l;
  } else if ('location' in v) return undefined;

  const personal = v.personal;
  if (personal !== undefined) {
    if (!isObject(personal)) return undefined;
    const p = personalOf(personal);
    if (p === undefined) return undefined;
    out.personal = p;
  } else if ('personal' in v) return undefined;

  return out as IncidentEvent;
}
