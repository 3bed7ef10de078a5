// The arithmetic reading of ISO instants against Date.parse, on every shape near the accepted one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isoMillis } from '../../src/platform/iso-instant.ts';

const same = (s: string) => assert.deepEqual([s, isoMillis(s)], [s, Date.parse(s)]);

test('reads the accepted form as Date.parse does', () => {
  for (const s of [
    '2026-11-20T02:00:00Z', '2026-11-20T10:00:00+08:00', '2026-01-01T00:00:00.5-05:30', '2026-01-01T00:00:00.123456Z',
    '2026-01-01T00:00:00.1Z', '2026-01-01T00:00:00.12Z', '0000-01-01T00:00:00Z', '0001-03-01T00:00:00Z', '9999-12-31T23:59:59.999-23:59',
    '2024-02-29T12:00:00Z', '2000-02-29T00:00:00+23:59', '1900-03-01T00:00:00Z', '1969-12-31T23:59:59.999Z', '1600-02-29T00:00:00Z',
  ]) same(s);
});

test('leaves other shapes to Date.parse, giving its answer (NaN included)', () => {
  for (const s of [
    '', 'x', '2026-11-20', '2026-11-20T02:00Z', '2026-11-20T02:00:00', '2026-11-20 02:00:00Z', '2026-13-01T00:00:00Z', '2026-00-01T00:00:00Z',
    '2026-02-30T00:00:00Z', '2026-04-31T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T00:60:00Z', '2026-01-01T00:00:60Z', '2026-01-01T00:00:00.Z',
    '2026-01-01T00:00:00+24:00', '2026-01-01T00:00:00+05:60', '2026-01-01T00:00:00+0530', '2026-01-01T00:00:00Zx', '2026-01-01T00:00:00.5',
    '+02026-01-01T00:00:00Z', '2026-1a-01T00:00:00Z', '2026-01-01T00:00:00+05:30x',
  ]) same(s);
});

test('agrees with Date.parse on generated instants, valid or nearly so', () => {
  const pad = (v: number, w: number) => String(v).padStart(w, '0');
  const instant = fc.record({
    y: fc.integer({ min: 0, max: 9999 }), mo: fc.integer({ min: 0, max: 13 }), d: fc.integer({ min: 0, max: 32 }),
    h: fc.integer({ min: 0, max: 24 }), mi: fc.integer({ min: 0, max: 60 }), s: fc.integer({ min: 0, max: 60 }),
    frac: fc.option(fc.stringMatching(/^[0-9]{0,7}$/), { nil: undefined }),
    zone: fc.oneof(fc.constant('Z'), fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 60 })).map(([g, a, b]) => `${g}${pad(a, 2)}:${pad(b, 2)}`)),
  }).map((x) => `${pad(x.y, 4)}-${pad(x.mo, 2)}-${pad(x.d, 2)}T${pad(x.h, 2)}:${pad(x.mi, 2)}:${pad(x.s, 2)}${x.frac === undefined ? '' : `.${x.frac}`}${x.zone}`);
  fc.assert(fc.property(instant, (s) => same(s)), { numRuns: 20_000 });
});
