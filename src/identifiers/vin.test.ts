import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkVin, isValidVin, vinCheckCharacter } from './vin.ts';

// Real VINs with known check digits (identifiers.md).
const valid: [string, string, string | undefined][] = [
  ['1M8GDM9AXKP042788', 'X', undefined],
  ['WBAXW1104J0X16755', '4', undefined],
  ['LRW3E7FS5PC695355', '5', 'Tesla China'],
  ['lrw3e7fs5pc695355', '5', 'Tesla China'], // lower case normalised
];
for (const [vin, check, maker] of valid) {
  test(`VIN ${vin} is valid with check '${check}'`, () => {
    const r = checkVin(vin);
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(vinCheckCharacter(r.vin), check);
    assert.equal(r.manufacturer, maker);
    assert.equal(r.warnings.length, maker ? 0 : 1);
    if (!maker) assert.match(r.warnings[0], /unknown WMI/);
  });
}

const invalid: [string, RegExp][] = [
  ['LRW3E7FS6PC695355', /check digit .* '6', expected '5'/],
  ['1M8GDM9A1KP042788', /expected 'X'/],
  ['LRW3E7FS5PC69535', /17 characters, got 16/],
  ['LRW3E7FS5PC6953555', /17 characters, got 18/],
  ['LRW3E7FS5PO695355', /character 11 \('O'\)/],
  ['IRW3E7FS5PC695355', /character 1 \('I'\)/],
  ['LRW3E7FS5PC69535Q', /character 17 \('Q'\)/],
  ['LRW3E7FS5PC6953-5', /character 16 \('-'\) is not allowed/],
  ['', /17 characters, got 0/],
];
for (const [vin, why] of invalid) {
  test(`VIN '${vin}' is rejected`, () => {
    const r = checkVin(vin);
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.reason, why);
  });
}

test('isValidVin answers as checkVin does for upper-case VINs, over every character at every position', () => {
  const chars = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'a', 'x', '-', ' ', '\u00c9', '\u5e7f', '\ud83d'];
  let n = 0;
  for (const [vin] of valid.slice(0, 3)) {
    for (let i = 0; i < 17; i++) {
      for (const c of chars) {
        const v = vin.slice(0, i) + c + vin.slice(i + 1);
        const expected = checkVin(v).ok && v === v.toUpperCase();
        assert.equal(isValidVin(v), expected, v);
        if (expected) n++;
      }
    }
  }
  assert.ok(n > 51, `${n} valid variants`);
  for (const v of ['', 'LRW3E7FS5PC69535', 'LRW3E7FS5PC6953555', ' LRW3E7FS5PC695355']) assert.equal(isValidVin(v), false, v);
});
