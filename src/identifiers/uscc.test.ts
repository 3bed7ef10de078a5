import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkUscc } from './uscc.ts';

const cases: [string, boolean, RegExp?][] = [
  ['91310000MA1FL4B24G', true], // Tesla (Shanghai), from api.md
  ['91110000802100433B', true], // a check character 'B'
  ['91310000MA1FL4B24H', false, /expected 'G'/],
  ['91310000MA1FL4B24', false, /18 characters/],
  ['91310000MA1FL4I24G', false, /character 15/],
];

for (const [code, ok, why] of cases) {
  test(`USCC ${code} is ${ok ? 'valid' : 'invalid'}`, () => {
    const r = checkUscc(code);
    assert.equal(r.ok, ok);
    if (!r.ok && why) assert.match(r.reason, why);
  });
}
