// fastEvent is a pure optimisation of IncidentEvent.safeParse: whenever it answers, zod succeeds with
// deep-equal data; on plain valid events (the telematics shape above all) it does answer.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { syntheticEventLine } from './synthetic-events.ts';
import { ENGAGEMENT, EVENT_TYPES } from '../regimes/cn-2025/incidents.ts';
import { fastEvent } from './event-fast.ts';
import { AWARENESS_SOURCES, IncidentEvent } from './model.ts';

/** The one property: an answer from the fast path is zod's answer. */
function agrees(v: unknown): unknown {
  const fast = fastEvent(v);
  if (fast !== undefined) {
    const z = IncidentEvent.safeParse(v);
    assert.ok(z.success, `fastEvent accepted what zod refuses: ${JSON.stringify(z.error?.issues)}`);
    assert.deepStrictEqual(fast, z.data);
  }
  return fast;
}

// ---------------------------------------------------------------------------------------------
// The schema and zod's semantics that event-fast.ts replicates: a change to either must be looked at.

/** The schema tree with every check (lengths, formats, the trim overwrite, defaults), zod's own source of those included. */
function outline(schema: unknown): string {
  return JSON.stringify(schema, (_k, v: unknown) => {
    if (v && typeof v === 'object' && '_zod' in v) return (v as { _zod: { def: unknown } })._zod.def;
    if (typeof v === 'function') return `fn:${String(v)}`;
    if (v instanceof RegExp) return `re:${v.source}/${v.flags}`;
    return v;
  });
}

describe('the schema event-fast.ts was written against', () => {
  it('is unchanged (else update event-fast.ts, its tests, then this digest)', () => {
    const digest = createHash('sha256').update(outline(IncidentEvent)).digest('hex');
    assert.equal(digest, '58b921cea62c2a4337f7ff1d3b4962acc30a9a58ed7ce90a741c3f36e3e7c570');
  });
  it('runs on zod 4.6.7 (lengths in code points, key presence by `in`, for...in for unknown keys: re-check on an upgrade)', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../node_modules/zod/package.json', import.meta.url), 'utf8')) as { version: string };
    assert.equal(pkg.version, '4.6.7');
  });
});

// ---------------------------------------------------------------------------------------------
// Generators

const base = () => ({ type: 'collision', vin: 'LSVAU2180N2000001', occurredAt: '2026-11-20T02:00:00Z', cdas: { function: 'ACC' } });
const with_ = (patch: Record<string, unknown>): Record<string, unknown> => ({ ...base(), ...patch });

const ascii = fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c));
const han = fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCharCode(c));
const astral = fc.constantFrom('😀', '𠮷', '🚗'); // two UTF-16 units, one code point
const edgeUnit = fc.oneof({ weight: 6, arbitrary: ascii }, { weight: 3, arbitrary: han }, { weight: 1, arbitrary: astral });
const innerUnit = fc.oneof({ weight: 8, arbitrary: edgeUnit }, { weight: 1, arbitrary: fc.constantFrom(' ', '\t', '\u3000') });

/** A string of min..max code points (often exactly min or max) that trim() leaves alone. */
function textArb(min: number, max: number): fc.Arbitrary<string> {
  const len = fc.oneof(fc.constant(min), fc.constant(max), fc.integer({ min, max: Math.min(max, min + 30) }), fc.integer({ min, max }));
  return len.chain((n) => n === 1
    ? edgeUnit
    : fc.tuple(edgeUnit, fc.array(innerUnit, { minLength: n - 2, maxLength: n - 2 }), edgeUnit).map(([a, m, b]) => a + m.join('') + b));
}

const p2 = (n: number) => String(n).padStart(2, '0');
const daysIn = (y: number, m: number) => (m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31);

/** Datetimes zod accepts: any Gregorian date 0000-9999, seconds, optional fraction, Z or ±HH:MM. */
const instantArb: fc.Arbitrary<string> = fc.oneof(
  fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.record({
    y: fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(0, 200, 1800, 1900, 2000, 2024, 2100, 2200, 2400)),
    m: fc.integer({ min: 1, max: 12 }), dd: fc.integer({ min: 1, max: 31 }),
    h: fc.integer({ min: 0, max: 23 }), mi: fc.integer({ min: 0, max: 59 }), s: fc.integer({ min: 0, max: 59 }),
    frac: fc.option(fc.stringMatching(/^\d{1,12}$/), { nil: undefined }),
    zone: fc.oneof(fc.constant('Z'), fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([s, h, m]) => `${s}${p2(h)}:${p2(m)}`)),
  }).map(({ y, m, dd, h, mi, s, frac, zone }) =>
    `${String(y).padStart(4, '0')}-${p2(m)}-${p2(Math.min(dd, daysIn(y, m)))}T${p2(h)}:${p2(mi)}:${p2(s)}${frac === undefined ? '' : `.${frac}`}${zone}`),
);

const seconds = fc.oneof(fc.constantFrom(0, 3600, -0, 1.5, Number.MIN_VALUE, 3599.999999), fc.double({ min: 0, max: 3600, noNaN: true }));
const bool = fc.boolean();

const cdasArb = fc.record({
  function: textArb(1, 80),
  engagement: fc.constantFrom(...ENGAGEMENT),
  secondsBeforeImpact: fc.oneof(fc.constant(null), seconds),
}, { requiredKeys: ['function'] });

const softwareArb = fc.array(fc.record({ ecu: textArb(1, 40), version: textArb(1, 80), swin: textArb(1, 80) }, { requiredKeys: ['ecu', 'version'] }),
  { maxLength: 50 }).chain((a) => (a.length > 0 ? fc.constant(a) : fc.constantFrom([], Array.from({ length: 50 }, (_, i) => ({ ecu: `E${i}`, version: '1' })))));

const severityArb = fc.record({
  fatality: bool, hospitalInjury: bool, vulnerableRoadUser: bool, fire: bool, airbag: bool, towAway: bool, propertyDamage: bool,
}, { requiredKeys: [] });

const personalArb = fc.record({
  names: fc.oneof(fc.array(textArb(1, 200), { maxLength: 3 }), fc.array(textArb(1, 12), { maxLength: 20 })),
  plate: textArb(1, 20),
  exactLocation: fc.record({
    lat: fc.oneof(fc.constantFrom(-90, 90, 0), fc.double({ min: -90, max: 90, noNaN: true })),
    lon: fc.oneof(fc.constantFrom(-180, 180, 0), fc.double({ min: -180, max: 180, noNaN: true })),
  }),
  address: textArb(1, 500),
  phone: textArb(1, 40),
  serialNumber: textArb(1, 100),
}, { requiredKeys: [] });

/** Valid events in every shape the schema allows, with no string that trim() would change. */
const validEvent: fc.Arbitrary<Record<string, unknown>> = fc.record({
  eventId: textArb(1, 120),
  type: fc.constantFrom(...EVENT_TYPES),
  vin: textArb(11, 17),
  occurredAt: instantArb,
  awareAt: instantArb,
  awarenessSource: fc.constantFrom(...AWARENESS_SOURCES),
  incidentRef: textArb(1, 120),
  cdas: cdasArb,
  faultCode: textArb(1, 80),
  software: softwareArb,
  location: fc.record({ province: textArb(1, 40), city: textArb(1, 60) }, { requiredKeys: ['province'] }),
  severity: severityArb,
  personal: personalArb,
}, { requiredKeys: ['type', 'vin', 'occurredAt', 'cdas'] });

// Near-valid: one change at one place of a valid event.

/** Every object and array inside v (v included), with the path to it. */
function containers(v: unknown, path: (string | number)[] = [], out: { path: (string | number)[]; node: Record<string, unknown> | unknown[] }[] = []) {
  if (v && typeof v === 'object') {
    out.push({ path, node: v as Record<string, unknown> });
    for (const [k, c] of Object.entries(v)) containers(c, [...path, Array.isArray(v) ? Number(k) : k], out);
  }
  return out;
}

const badDatetimes = [
  '2026-13-01T00:00:00Z', '2026-00-10T00:00:00Z', '2026-04-31T00:00:00Z', '2026-02-29T00:00:00Z', '2100-02-29T00:00:00Z', '2026-01-32T00:00:00Z',
  '2026-11-20T24:00:00Z', '2026-11-20T10:60:00Z', '2026-11-20T10:00:60Z', '2026-11-20T10:00:00', '2026-11-20T10:00Z', '2026-11-20 10:00:00Z',
  '2026-11-20t10:00:00Z', '2026-11-20T10:00:00z', '2026-11-20T10:00:00.Z', '2026-11-20T10:00:00+24:00', '2026-11-20T10:00:00+08:60',
  '2026-11-20T10:00:00+0800', '2026-11-20T10:00:00+08', '2026-11-20T10:00:00Z\n', ' 2026-11-20T10:00:00Z', '+012026-11-20T10:00:00Z',
  '2026-11-20', '2026-11-20T10:00:00.123+08:00:00', '２026-11-20T10:00:00Z', '2026-11-20T10:00:00,5Z', '-2026-11-20T10:00:00Z',
];

/** Values that are wrong somewhere: types, lengths (in code points and in UTF-16 units), whitespace, enums, ranges. */
const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    null, undefined, true, false, 0, -0, -1, 1, 1.5, 3600, 3600.0000001, -0.0000001, 90.5, -180.5, 1e308, Number.NaN, Number.POSITIVE_INFINITY,
    '', ' ', 'x', ' x', 'x ', '\tx', 'x\n', '\u00a0x', 'x\u3000', '\ufeffx', 'x\u2028', 'LSVAU2180N2', 'LSVAU2180N2000001X', ' LSVAU2180N20000',
    'x'.repeat(20), 'x'.repeat(21), 'x'.repeat(40), 'x'.repeat(41), 'x'.repeat(60), 'x'.repeat(61), 'x'.repeat(80), 'x'.repeat(81),
    'x'.repeat(120), 'x'.repeat(121), 'x'.repeat(200), 'x'.repeat(201), 'x'.repeat(500), 'x'.repeat(501), '😀'.repeat(40), '😀'.repeat(41),
    '😀'.repeat(60), '😀'.repeat(80), '😀'.repeat(81), '😀'.repeat(120), '😀'.repeat(121), 'x\ud800', '\udc00x', '\ud800'.repeat(11),
    '😀'.repeat(11), '😀'.repeat(17), '😀'.repeat(18), '😀'.repeat(5) + 'x', 'collision', 'Collision', 'unknown', 'verified_engaged', 'telematics',
    'Telematics', 'collision ', ...badDatetimes, '2026-11-20T10:00:00+08:00', '2024-02-29T23:59:59.999999999-23:59',
    [], [{}], [{ ecu: 'A', version: '1' }], Array.from({ length: 51 }, () => ({ ecu: 'A', version: '1' })), Array.from({ length: 21 }, () => 'n'),
    {}, { province: '广东省' }, { function: 'ACC' }, { lat: 0, lon: 0 }, { airbag: 'true' }, new Date(0), Object.create(null),
    // eslint-disable-next-line no-new-wrappers
    new String('collision'), [1, 2, 3],
  ),
  fc.anything(),
  instantArb.map((s) => s.replace('T', ' ')),
  instantArb.map((s) => s.slice(0, -1)),
);

const around = (max: number): unknown[] => ['x'.repeat(max + 1), '😀'.repeat(max + 1), '😀'.repeat(max), `${'😀'.repeat(max - 1)}x`, '\ud83d'.repeat(max + 1), 'x'.repeat(max)];
const BOUNDS: Record<string, unknown[]> = {
  eventId: around(120), incidentRef: around(120), function: around(80), faultCode: around(80), version: around(80), swin: around(80),
  ecu: around(40), province: around(40), city: around(60), plate: around(20), phone: around(40), serialNumber: around(100), address: around(500), name: around(200),
  vin: ['x'.repeat(10), 'x'.repeat(18), '😀'.repeat(10), '😀'.repeat(18), `${'😀'.repeat(10)}x`, '😀'.repeat(17), 'x'.repeat(11), '\ud83d'.repeat(10)],
  secondsBeforeImpact: [-1e-9, 3600.000001, 3601, -1, 0, 3600, -0],
  lat: [90.000001, -90.000001, 91, 90, -90], lon: [180.000001, -180.000001, 181, 180, -180],
  software: [Array.from({ length: 51 }, () => ({ ecu: 'A', version: '1' })), Array.from({ length: 50 }, () => ({ ecu: 'A', version: '1' }))],
  names: [Array.from({ length: 21 }, () => 'n'), Array.from({ length: 20 }, () => 'n')],
  occurredAt: badDatetimes, awareAt: badDatetimes,
  type: ['Collision', 'collision ', 'unknown', ''], engagement: ['Unknown', 'telematics', ''], awarenessSource: ['unknown', 'Telematics', ''],
};

type Mutation = (v: Record<string, unknown>, pick: number, value: unknown) => unknown;
const at = <T,>(a: T[], i: number): T => a[i % a.length]!;
const keysOf = (o: object) => Object.keys(o);

const MUTATIONS: Record<string, Mutation> = {
  /** replace one value anywhere with an odd one */
  replace: (v, pick, value) => {
    const spots = containers(v).flatMap(({ node }) => keysOf(node).map((k) => ({ node, k })));
    const { node, k } = at(spots, pick);
    (node as Record<string, unknown>)[k] = value;
    return v;
  },
  /** drop one key anywhere (a required one fails; an optional one or a default must still agree) */
  remove: (v, pick) => {
    const spots = containers(v).filter(({ node }) => !Array.isArray(node)).flatMap(({ node }) => keysOf(node).map((k) => ({ node, k })));
    const { node, k } = at(spots, pick);
    delete (node as Record<string, unknown>)[k];
    return v;
  },
  /** add a key to one object: unknown ones, and names that mean something to JavaScript */
  addKey: (v, pick, value) => {
    const objs = containers(v).filter(({ node }) => !Array.isArray(node));
    const { node } = at(objs, pick);
    const k = at(['extra', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '', 'Type', 'valueOf'], Math.floor(pick / 7));
    Object.defineProperty(node, k, { value, enumerable: true, writable: true, configurable: true });
    return v;
  },
  /** a key that is present with the value undefined */
  undefinedKey: (v, pick) => {
    const objs = containers(v).filter(({ node }) => !Array.isArray(node));
    const { node } = at(objs, pick);
    const k = at(['eventId', 'awareAt', 'awarenessSource', 'software', 'severity', 'engagement', 'secondsBeforeImpact', 'city', 'swin', 'airbag', 'names', 'plate', 'exactLocation', 'type'], Math.floor(pick / 5));
    (node as Record<string, unknown>)[k] = undefined;
    return v;
  },
  /** a key moved onto the prototype (zod reads it through `in` and `for...in`), or a hidden one */
  inherit: (v, pick) => {
    const objs = containers(v).filter(({ node }) => !Array.isArray(node) && keysOf(node).length > 0);
    const { node } = at(objs, pick);
    const k = at(keysOf(node), Math.floor(pick / 3));
    const proto: Record<string, unknown> = { [k]: (node as Record<string, unknown>)[k] };
    delete (node as Record<string, unknown>)[k];
    if (pick % 2 === 0) Object.setPrototypeOf(node, proto);
    else Object.defineProperty(node, k, { value: proto[k], enumerable: false });
    return v;
  },
  /** pad or fill one string */
  pad: (v, pick) => {
    const spots = containers(v).flatMap(({ node }) => keysOf(node).filter((k) => typeof (node as Record<string, unknown>)[k] === 'string').map((k) => ({ node, k })));
    if (spots.length === 0) return v;
    const { node, k } = at(spots, pick);
    const o = node as Record<string, string>;
    o[k] = at([` ${o[k]}`, `${o[k]} `, `\n${o[k]}`, `${o[k]}\u3000`, `${o[k]}x`, `${o[k]}😀`, o[k]!.slice(1), `\ufeff${o[k]}`], Math.floor(pick / 11));
    return v;
  },
  /** one field just past its bound (or exactly at it), by the field's name */
  bound: (v, pick) => {
    const spots = containers(v).flatMap(({ path, node }): { node: object; k: string; bounds: unknown[] }[] => (Array.isArray(node)
      ? (path.at(-1) === 'names' && node.length > 0 ? [{ node, k: '0', bounds: BOUNDS.name! }] : [])
      : keysOf(node).filter((k) => k in BOUNDS).map((k) => ({ node, k, bounds: BOUNDS[k]! }))));
    if (spots.length === 0) return v;
    const { node, k, bounds } = at(spots, pick);
    (node as Record<string, unknown>)[k] = at(bounds, Math.floor(pick / 13));
    return v;
  },
  /** top-level value of another kind */
  whole: (_v, _pick, value) => value,
  /** a JSON round trip with a raw "__proto__" key, as JSON.parse makes it */
  protoJson: (v, pick, value) => {
    const { node } = at(containers(v).filter(({ node }) => !Array.isArray(node)), pick);
    (node as Record<string, unknown>).zzPROTOzz = value === undefined ? {} : value;
    return JSON.parse(JSON.stringify(v).replace('"zzPROTOzz":', '"__proto__":'));
  },
};

const nearValid = fc.tuple(validEvent, fc.constantFrom(...Object.keys(MUTATIONS)), fc.nat(), oddValue)
  .map(([v, kind, pick, value]) => ({ kind, value: MUTATIONS[kind]!(structuredClone(v), pick, value) }));

// ---------------------------------------------------------------------------------------------

const RUNS = { valid: 2000, nearValid: 5000, datetimes: 5000 };

describe('fastEvent against zod (fast-check)', () => {
  it(`takes every plain valid event and answers zod's data (${RUNS.valid} runs)`, () => {
    fc.assert(fc.property(validEvent, (v) => {
      assert.notEqual(agrees(v), undefined, `fast path refused a valid event: ${JSON.stringify(v)}`);
      assert.notEqual(agrees(JSON.parse(JSON.stringify(v))), undefined);
    }), { numRuns: RUNS.valid });
  });

  it(`never answers what zod refuses or differs from it on near-valid events (${RUNS.nearValid} runs)`, () => {
    let taken = 0;
    let refused = 0;
    fc.assert(fc.property(nearValid, ({ value }) => {
      if (agrees(value) === undefined) refused++; else taken++;
    }), { numRuns: RUNS.nearValid });
    assert.ok(taken > RUNS.nearValid / 20 && refused > RUNS.nearValid / 4, `taken ${taken}, refused ${refused}: the mutations should go both ways`);
  });

  it(`reads datetimes exactly as zod's regex does (${RUNS.datetimes} runs)`, () => {
    const pattern = (IncidentEvent.shape.occurredAt as unknown as { _zod: { def: { pattern: RegExp } } })._zod.def.pattern;
    const mutated = fc.tuple(instantArb, fc.nat(), fc.constantFrom('0', '9', '3', '2', '-', ':', 'T', 'Z', '+', '.', '', ' ', '1')).map(([s, i, c]) => {
      const j = i % (s.length + 1);
      return i % 3 === 0 ? s.slice(0, j) + c + s.slice(j) : s.slice(0, j) + c + s.slice(j + 1);
    });
    const feb29 = fc.integer({ min: 0, max: 9999 }).map((y) => `${String(y).padStart(4, '0')}-02-29T12:00:00Z`);
    fc.assert(fc.property(fc.oneof(instantArb, mutated, feb29, fc.constantFrom(...badDatetimes)), (s) => {
      const fast = agrees(with_({ occurredAt: s, awareAt: s }));
      assert.equal(fast !== undefined, pattern.test(s), s);
    }), { numRuns: RUNS.datetimes });
  });
});

describe('fastEvent edge cases', () => {
  const pattern = (IncidentEvent.shape.occurredAt as unknown as { _zod: { def: { pattern: RegExp } } })._zod.def.pattern;

  it('agrees with zod on every month and day of leap and common years, centuries included', () => {
    for (const y of [0, 4, 100, 200, 400, 1600, 1800, 1900, 2000, 2023, 2024, 2100, 2200, 2400, 9996, 9999]) {
      for (let m = 0; m <= 13; m++) {
        for (let d = 0; d <= 32; d++) {
          const s = `${String(y).padStart(4, '0')}-${p2(m)}-${p2(d)}T23:59:59.5+08:00`;
          assert.equal(agrees(with_({ occurredAt: s })) !== undefined, pattern.test(s), s);
        }
      }
    }
  });

  it('refuses every string that trim() would change, takes the others (all 65,536 UTF-16 units at either end)', () => {
    const conservative = new Set<number>();
    for (let c = 0; c <= 0xffff; c++) {
      const ch = String.fromCharCode(c);
      for (const s of [`${ch}ACC`, `ACC${ch}`]) {
        const fast = fastEvent(with_({ faultCode: s }));
        if (s.trim() !== s) assert.equal(fast, undefined, `U+${c.toString(16)}`);
        else if (fast === undefined) conservative.add(c);
      }
    }
    // refused although trim() keeps them: control characters and look-alikes of whitespace, left to zod
    assert.deepStrictEqual([...conservative].filter((c) => c >= 0x20).map((c) => c.toString(16)), ['85', '180e', '200b']);
  });

  const accepted: [string, Record<string, unknown>, Record<string, unknown>?][] = [
    ['the minimal event, defaults filled in', base(), { ...base(), awarenessSource: 'telematics', cdas: { function: 'ACC', engagement: 'unknown' }, software: [], severity: {} }],
    ['secondsBeforeImpact null is kept', with_({ cdas: { function: 'ACC', secondsBeforeImpact: null } })],
    ['secondsBeforeImpact 0 and 3600', with_({ cdas: { function: 'ACC', secondsBeforeImpact: 3600 }, software: [{ ecu: 'A', version: '1', swin: 'S' }] })],
    ['an offset and a fraction', with_({ occurredAt: '2026-11-20T10:00:00.123456789+08:00', awareAt: '2026-11-20T10:00:00-00:00' })],
    ['Feb 29 of 2000 and of year 0', with_({ occurredAt: '2000-02-29T00:00:00Z', awareAt: '0000-02-29T00:00:00Z' })],
    ['VIN of 11 and 17 code points', with_({ vin: 'LSVAU2180N2', eventId: 'x'.repeat(120) })],
    ['17 emoji: 34 UTF-16 units, 17 code points (zod counts code points)', with_({ vin: '😀'.repeat(17) })],
    ['lengths at max in code points', with_({ faultCode: '😀'.repeat(80), incidentRef: '𠮷'.repeat(120), location: { province: '广'.repeat(40), city: '😀'.repeat(60) } })],
    ['a lone surrogate counts as one', with_({ vin: '\ud800'.repeat(11) })],
    ['inner whitespace is kept', with_({ faultCode: 'C 1\t2' })],
    ['50 software entries', with_({ software: Array.from({ length: 50 }, () => ({ ecu: 'A', version: '1' })) })],
    ['every severity fact', with_({ severity: { fatality: false, hospitalInjury: true, vulnerableRoadUser: false, fire: false, airbag: true, towAway: true, propertyDamage: false } })],
    ['personal data at its bounds', with_({ personal: { names: Array.from({ length: 20 }, () => 'n'.repeat(200)), plate: 'p'.repeat(20), exactLocation: { lat: -90, lon: 180 }, address: 'a'.repeat(500), phone: '1', serialNumber: 's'.repeat(100) } })],
    ['empty personal', with_({ personal: {} })],
    ['a null-prototype object', Object.assign(Object.create(null) as Record<string, unknown>, base())],
  ];
  for (const [name, v, expected] of accepted) {
    it(`takes: ${name}`, () => {
      const fast = agrees(v);
      assert.notEqual(fast, undefined);
      if (expected) assert.deepStrictEqual(fast, expected);
    });
  }

  it('keeps optional keys absent, not undefined', () => {
    const fast = fastEvent(base())!;
    for (const k of ['eventId', 'awareAt', 'incidentRef', 'faultCode', 'location', 'personal']) assert.equal(k in fast, false, k);
    assert.equal('secondsBeforeImpact' in fast.cdas, false);
  });

  it('answers new objects, not the input', () => {
    const v = with_({ software: [{ ecu: 'A', version: '1' }], location: { province: 'P' }, severity: { fire: true } });
    const fast = fastEvent(v)!;
    assert.notEqual(fast, v);
    assert.notEqual(fast.cdas, v.cdas);
    assert.notEqual(fast.software, v.software);
    assert.notEqual(fast.software[0], (v.software as unknown[])[0]);
    assert.notEqual(fast.location, v.location);
    assert.notEqual(fast.severity, v.severity);
  });

  const refused: [string, unknown][] = [
    ['null', null], ['an array', [base()]], ['a string', 'collision'], ['a number', 1], ['undefined', undefined],
    ['unknown top-level key', with_({ extra: 1 })],
    ['unknown key in cdas', with_({ cdas: { function: 'ACC', extra: 1 } })],
    ['unknown key in software', with_({ software: [{ ecu: 'A', version: '1', extra: 1 }] })],
    ['unknown key in location', with_({ location: { province: 'P', extra: 1 } })],
    ['unknown key in severity', with_({ severity: { airbag: true, extra: true } })],
    ['unknown key in personal', with_({ personal: { extra: 'x' } })],
    ['a JSON "__proto__" key', JSON.parse('{"__proto__":{},"type":"collision","vin":"LSVAU2180N2000001","occurredAt":"2026-11-20T02:00:00Z","cdas":{"function":"ACC"}}')],
    ['an inherited enumerable unknown key', Object.assign(Object.create({ extra: 1 }) as Record<string, unknown>, base())],
    ['a hidden own known key with a bad value', Object.defineProperty(base(), 'faultCode', { value: 5, enumerable: false })],
    ['type missing', { vin: 'LSVAU2180N2000001', occurredAt: '2026-11-20T02:00:00Z', cdas: { function: 'ACC' } }],
    ['bad type', with_({ type: 'crash' })],
    ['bad engagement', with_({ cdas: { function: 'ACC', engagement: 'engaged' } })],
    ['bad awarenessSource', with_({ awarenessSource: 'twitter' })],
    ['VIN of 10', with_({ vin: 'LSVAU2180N' })],
    ['VIN of 18', with_({ vin: 'LSVAU2180N20000012' })],
    ['VIN with a space at the end (trim; zod decides)', with_({ vin: 'LSVAU2180N2000001 ' })],
    ['empty function', with_({ cdas: { function: '' } })],
    ['blank function', with_({ cdas: { function: '   ' } })],
    ['faultCode of 81', with_({ faultCode: 'x'.repeat(81) })],
    ['eventId of 121', with_({ eventId: 'x'.repeat(121) })],
    ['81 emoji', with_({ faultCode: '😀'.repeat(81) })],
    ['secondsBeforeImpact -1', with_({ cdas: { function: 'ACC', secondsBeforeImpact: -1 } })],
    ['secondsBeforeImpact 3600.5', with_({ cdas: { function: 'ACC', secondsBeforeImpact: 3600.5 } })],
    ['secondsBeforeImpact NaN', with_({ cdas: { function: 'ACC', secondsBeforeImpact: Number.NaN } })],
    ['secondsBeforeImpact a string', with_({ cdas: { function: 'ACC', secondsBeforeImpact: '1' } })],
    ['software of 51', with_({ software: Array.from({ length: 51 }, () => ({ ecu: 'A', version: '1' })) })],
    ['software null', with_({ software: null })],
    ['a hole in software', with_({ software: [, { ecu: 'A', version: '1' }] })], // eslint-disable-line no-sparse-arrays
    ['severity null', with_({ severity: null })],
    ['severity a string boolean', with_({ severity: { airbag: 'true' } })],
    ['location null', with_({ location: null })],
    ['location without province', with_({ location: { city: 'C' } })],
    ['eventId undefined (zod keeps the key)', with_({ eventId: undefined })],
    ['awarenessSource undefined (zod defaults it)', with_({ awarenessSource: undefined })],
    ['cdas a Date', with_({ cdas: new Date(0) })],
    ['type a String object', with_({ type: new String('collision') })], // eslint-disable-line no-new-wrappers
    ['lat 90.0001', with_({ personal: { exactLocation: { lat: 90.0001, lon: 0 } } })],
    ['21 names', with_({ personal: { names: Array.from({ length: 21 }, () => 'n') } })],
    ...badDatetimes.map((s): [string, unknown] => [`datetime ${JSON.stringify(s)}`, with_({ occurredAt: s })]),
    ['awareAt bad', with_({ awareAt: '2026-11-20T10:00:00' })],
    ['year 10000 from toISOString', with_({ occurredAt: new Date('+010000-01-01T00:00:00Z').toISOString() })],
  ];
  for (const [name, v] of refused) {
    it(`leaves to zod: ${name}`, () => assert.equal(agrees(v), undefined));
  }
});

// ---------------------------------------------------------------------------------------------
// The events of bench/incident-intake.bench.ts, line for line.

const eventLine = syntheticEventLine;

describe('the bench events', () => {
  it('all take the fast path with zod\'s data (20,000 lines, collisions included)', () => {
    for (let n = 0; n < 20_000; n++) {
      const line = eventLine(n);
      assert.notEqual(agrees(JSON.parse(line)), undefined, line);
    }
  });
});
