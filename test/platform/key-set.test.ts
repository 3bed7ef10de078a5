// The 16-byte key set of bulk intake against a plain Set of strings; keys to UUID text.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { KeySet, keyWords, uuidAt } from '../../src/platform/key-set.ts';

/** A UUID's 32 hex digits (upper or lower case, dashes or not) as 16 bytes at `at`. */
const putUuid = (uuid: string, out: Uint8Array, at: number) => out.set(Buffer.from(uuid.replace(/-/g, ''), 'hex'), at);

const bytesOf = (keys: Uint8Array[]) => { const b = new Uint8Array(keys.length * 16); keys.forEach((k, i) => b.set(k, i * 16)); return b; };
const hexOf = (k: Uint8Array) => Buffer.from(k).toString('hex');

test('adds exactly what a Set of strings adds, across growth, with keys that share their first word', () => {
  const key = fc.uint8Array({ minLength: 16, maxLength: 16 });
  // Few distinct first words: every probe sequence is long and crosses the table's end.
  const crowded = fc.tuple(fc.constantFrom(0, 1, 0xffffffff), fc.uint8Array({ minLength: 12, maxLength: 12 }))
    .map(([w, rest]) => { const k = new Uint8Array(16); new DataView(k.buffer).setUint32(0, w, true); k.set(rest, 4); return k; });
  fc.assert(fc.property(fc.array(fc.oneof(key, crowded), { maxLength: 3000 }), fc.integer({ min: 1, max: 4000 }), (keys, expected) => {
    const all = [...keys, ...keys.slice(0, keys.length >> 1)]; // repeats
    const words = keyWords(bytesOf(all));
    const set = new KeySet(expected), ref = new Set<string>();
    all.forEach((k, i) => {
      const fresh = !ref.has(hexOf(k));
      ref.add(hexOf(k));
      assert.equal(set.add(words, i), fresh);
    });
    assert.equal(set.size, ref.size);
    all.forEach((_, i) => assert.equal(set.has(words, i), true));
  }), { numRuns: 200 });
});

test('a key not added is not found', () => {
  const keys = Array.from({ length: 5000 }, () => { const b = new Uint8Array(16); putUuid(randomUUID(), b, 0); return b; });
  const words = keyWords(bytesOf(keys));
  const set = new KeySet();
  for (let i = 0; i < 2500; i++) set.add(words, i);
  for (let i = 0; i < 5000; i++) assert.equal(set.has(words, i), i < 2500, `key ${i}`);
});

test('UUIDs to bytes and back, at any offset, upper or lower case', () => {
  for (const u of [randomUUID(), '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', randomUUID()]) {
    const b = new Uint8Array(40);
    putUuid(u.toUpperCase(), b, 7);
    assert.equal(uuidAt(b, 7), u);
    assert.equal(hexOf(b.subarray(7, 23)), u.replace(/-/g, ''));
  }
});

test('keys at an odd offset are copied to be read as words', () => {
  const b = new Uint8Array(33);
  putUuid('0123456789abcdef0123456789abcdef', b, 1); // a UUID's digits without dashes read the same
  const w = keyWords(b.subarray(1));
  const set = new KeySet();
  assert.equal(set.add(w, 0), true);
  assert.equal(set.add(w, 0), false);
});
