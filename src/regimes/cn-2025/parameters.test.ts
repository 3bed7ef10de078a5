import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { SHIPPED_CATALOG as C } from './catalog/index.ts';
import { fullValues } from '../../products/test-fixtures.ts';
import { applicableParameters, completeness, diffValues, normalizeValue, validateValues, type Values } from './parameters.ts';

const BOTH = { cdas: true, ota: true };
const def = (key: string) => C.byKey.get(key)!;


test('applicability follows the product facts', () => {
  const keys = (f: { cdas: boolean; ota: boolean }) => applicableParameters(C, f).map((p) => p.key);
  assert.ok(keys(BOTH).includes('cdas.tier') && keys(BOTH).includes('ota.mode'));
  assert.ok(!keys({ cdas: false, ota: true }).some((k) => k.startsWith('cdas.')));
  assert.ok(!keys({ cdas: true, ota: false }).some((k) => k.startsWith('ota.')));
  assert.deepEqual(keys({ cdas: false, ota: false }), ['general.cdasFitted', 'general.otaCapable']);
});

test('a complete valid set validates with requireComplete', () => {
  const r = validateValues(C, BOTH, fullValues(), { requireComplete: true });
  assert.deepEqual(r.errors, []);
  assert.equal(r.values['cdas.odd.speedMax'], 130);
});

// [key, raw value, expected error fragment or null for valid, normalised value when valid]
const rows: [string, unknown, string | null, unknown?][] = [
  ['cdas.riskMitigation', 'yes', 'must be true or false, got a string'],
  ['cdas.riskMitigation', false, null, false],
  ['cdas.systemName', 42, 'must be text, got a number'],
  ['cdas.systemName', '   ', 'must not be empty'],
  ['cdas.systemName', 'x'.repeat(101), 'at most 100 characters'],
  ['cdas.systemName', '  Pilot  ', null, 'Pilot'],
  ['cdas.tier', 'level2', "'level2' is not an allowed value; allowed: single_lane, multi_lane, navigation"],
  ['cdas.tier', 3, 'must be one of'],
  ['cdas.tier', 'multi_lane', null, 'multi_lane'],
  ['cdas.odd.speedMax', 'fast', "must be a number in km/h, got 'fast'"],
  ['cdas.odd.speedMax', 250, 'must be at most 200 km/h, got 250'],
  ['cdas.odd.speedMax', -5, 'must be at least 0 km/h, got -5'],
  ['cdas.odd.speedMax', 120.5, 'must be a whole number of km/h'],
  ['cdas.odd.speedMax', '36 m/s', "unit must be km/h, got 'm/s'"],
  ['cdas.odd.speedMax', { value: 120, unit: 'mph' }, "unit must be km/h, got 'mph'"],
  ['cdas.odd.speedMax', '120 km/h', null, 120],
  ['cdas.odd.speedMax', { value: 120, unit: 'km/h' }, null, 120],
  ['cdas.odd.speedMax', true, 'must be a number in km/h, got a boolean'],
  ['cdas.dms.firstWarningDelay', 7.5, null, 7.5],
  ['cdas.functions', 'ACC', 'must be a list, got a string'],
  ['cdas.functions', [], 'at least 1 item'],
  ['cdas.functions', ['ACC', 'AUTOPILOT'], "item 2 'AUTOPILOT' is not an allowed value"],
  ['cdas.functions', ['ACC', 7], 'item 2 must be non-empty text'],
  ['cdas.functions', ['ACC', 'LCC', 'ACC'], null, ['ACC', 'LCC']],
  ['ota.swin', ['S'.repeat(101)], 'item 1 must be at most 100 characters'],
];

for (const [key, raw, expected, normal] of rows) {
  test(`${key} = ${JSON.stringify(raw)} -> ${expected ?? 'valid'}`, () => {
    const r = normalizeValue(def(key), raw);
    if (expected === null) { assert.equal(r.ok, true, JSON.stringify(r)); assert.deepEqual((r as any).value, normal); }
    else { assert.equal(r.ok, false); assert.ok((r as any).message.includes(expected), (r as any).message); }
  });
}

test('every failing key is named with its path and reason', () => {
  const r = validateValues(C, { cdas: false, ota: true }, {
    'nope.key': 1, 'cdas.tier': 'navigation', 'ota.mode': 'satellite', 'general.cdasFitted': true,
  });
  const byPath = Object.fromEntries(r.errors.map((e) => [e.path, e.message]));
  assert.match(byPath['values.nope.key'], /unknown parameter key/);
  assert.match(byPath['values.cdas.tier'], /does not apply to this product \(applies only when: CDAS fitted\)/);
  assert.match(byPath['values.ota.mode'], /'satellite' is not an allowed value/);
  assert.match(byPath['values.general.cdasFitted'], /must be false: the product is recorded without CDAS/);
  assert.equal(r.errors.length, 4);
});

test('requireComplete names each missing required key; optional ones are not required', () => {
  const v = fullValues();
  delete v['cdas.tier'];
  delete v['ota.swin'];
  delete v['cdas.odd.infrastructure'];
  const r = validateValues(C, BOTH, v, { requireComplete: true });
  assert.deepEqual(r.errors.map((e) => e.path).sort(), ['values.cdas.tier', 'values.ota.swin']);
  assert.match(r.errors[0].message, /^required/);
});

test('minimum speed above maximum speed is refused', () => {
  const r = validateValues(C, BOTH, { 'cdas.odd.speedMin': 90, 'cdas.odd.speedMax': 60 });
  assert.equal(r.errors.length, 1);
  assert.match(r.errors[0].message, /minimum speed 90 km\/h is above maximum speed 60 km\/h/);
});

test('diffValues: field-level changes with labels and main flags; list order is not a change', () => {
  const a = fullValues();
  const b = { ...fullValues(), 'cdas.odd.speedMax': 120, 'cdas.functions': ['NOA_HIGHWAY', 'ACC', 'LCC'], 'cdas.odd.weather': ['clear'], 'cdas.odd.infrastructure': 'HD map' } as Values;
  delete (b as any)['ota.userConfirmation'];
  const d = diffValues(C, a, b);
  assert.deepEqual(d.map((x) => [x.key, x.change, x.main]), [
    ['cdas.odd.infrastructure', 'added', false],
    ['cdas.odd.speedMax', 'changed', true],
    ['cdas.odd.weather', 'changed', false],
    ['ota.userConfirmation', 'removed', false],
  ]);
  const speed = d.find((x) => x.key === 'cdas.odd.speedMax')!;
  assert.equal(speed.old, 130);
  assert.equal(speed.new, 120);
  assert.equal(speed.label.zh, '设计运行条件：最高车速');
  assert.deepEqual(diffValues(C, a, fullValues()), []);
});

test('diffValues counts a key unknown to the catalog as a main change (the safe side)', () => {
  const d = diffValues(C, {}, { 'x.fromOfficialTable': 'abc' });
  assert.equal(d[0].main, true);
  assert.equal(d[0].inCatalog, false);
  assert.equal(d[0].label.en, 'x.fromOfficialTable');
});

test('completeness: missing parameters, missing and expired evidence, ready', () => {
  const v = fullValues();
  delete v['cdas.tier'];
  const needs = C.parameters.filter((p) => p.evidence === 'required').map((p) => p.key);
  const ev = needs.filter((k) => k !== 'cdas.functions' && k !== 'ota.failureHandling').map((key) => ({ key, validUntil: '2027-12-31', title: 'r', sha256: 'a'.repeat(64) }));
  ev.push({ key: 'ota.failureHandling', validUntil: '2026-06-30', title: 'old', sha256: 'b'.repeat(64) });
  const c = completeness(C, BOTH, v, ev, '2026-11-25');
  assert.equal(c.ready, false);
  assert.deepEqual(c.missing.map((m) => m.key), ['cdas.tier']);
  assert.deepEqual(c.evidenceMissing.map((e) => [e.key, e.reason, e.expiredOn]), [['cdas.functions', 'missing', undefined], ['ota.failureHandling', 'expired', '2026-06-30']]);
  assert.equal(c.provenance, 'candidate');
  assert.ok(c.percent > 0 && c.percent < 100);

  const all = needs.map((key) => ({ key, validUntil: null, title: 'r', sha256: 'c'.repeat(64) }));
  const done = completeness(C, BOTH, fullValues(), all, '2026-11-25');
  assert.equal(done.ready, true);
  assert.equal(done.percent, 100);
  // evidence valid through its last day, expired the day after
  const edge = needs.map((key) => ({ key, validUntil: '2026-11-25', title: 'r', sha256: 'd'.repeat(64) }));
  assert.equal(completeness(C, BOTH, fullValues(), edge, '2026-11-25').ready, true);
  assert.equal(completeness(C, BOTH, fullValues(), edge, '2026-11-26').ready, false);
});

test('completeness of a product without CDAS or OTA needs only the general facts', () => {
  const c = completeness(C, { cdas: false, ota: false }, { 'general.cdasFitted': false, 'general.otaCapable': false }, [], '2026-11-25');
  assert.equal(c.ready, true);
  const wrong = completeness(C, { cdas: false, ota: false }, { 'general.cdasFitted': true, 'general.otaCapable': false }, [], '2026-11-25');
  assert.equal(wrong.ready, false);
  assert.equal(wrong.invalid[0].path, 'values.general.cdasFitted');
});
