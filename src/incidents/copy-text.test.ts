import assert from 'node:assert/strict';
import { test } from 'node:test';
import { copyField, copyFieldValue } from './copy-text.ts';

test('copyFieldValue undoes copyField, for every mix of the characters COPY escapes', () => {
  const parts = ['a', '\\', '\t', '\n', '\r', 'N', 't', 'n', 'r', '广', '\\N', '\\t'];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  for (let i = 0; i < 5_000; i++) {
    let s = '';
    for (let k = next() % 8; k > 0; k--) s += parts[next() % parts.length];
    const field = copyField(s);
    assert.ok(!/[\t\n\r]/.test(field), JSON.stringify(field));
    assert.equal(copyFieldValue(field), s, JSON.stringify(s));
  }
  assert.equal(copyFieldValue('ACC|F\\t\\\\1|3.2.1|ADCU'), 'ACC|F\t\\1|3.2.1|ADCU');
});
