// The rows of a bulk block go to PostgreSQL in the order of their dedupe keys, each row whole, the
// rows left out (repeated or stored) absent.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { keyOrderedLines } from './intake-bulk.ts';
import type { ParsedPiece } from './intake-worker.ts';

/** A piece of rows `text` with 16-byte keys, as a parser thread hands it over. */
function piece(rows: { key: Uint8Array; text: string }[]): ParsedPiece {
  const copy = Buffer.from(rows.map((r) => r.text + '\n').join(''));
  const ends = new Uint32Array(rows.length), keys = new Uint8Array(rows.length * 16);
  let at = 0;
  rows.forEach((r, i) => { at += Buffer.byteLength(r.text) + 1; ends[i] = at; keys.set(r.key, i * 16); });
  return { n: rows.length, copy, ends, keys } as unknown as ParsedPiece;
}

test('orders the written rows of a block by key, whole, without the skipped ones', () => {
  const row = fc.record({ key: fc.uint8Array({ minLength: 16, maxLength: 16 }), text: fc.string({ unit: 'grapheme', maxLength: 30 }).map((s) => s.replace(/\n/g, ' ')), skip: fc.boolean() });
  fc.assert(fc.property(fc.array(fc.array(row, { maxLength: 20 }), { maxLength: 6 }), (parts) => {
    const block = parts.map((rows) => ({ p: piece(rows), skip: rows.some((r) => r.skip) ? Uint8Array.from(rows, (r) => (r.skip ? 1 : 0)) : null }));
    const written = parts.flat().filter((r) => !r.skip);
    const got = keyOrderedLines(block).toString().split('\n').slice(0, -1);
    assert.deepEqual([...got].sort(), written.map((r) => r.text).sort());
    // Each line follows one with a key whose first 32 bits are not greater.
    const prefixOf = new Map<string, number[]>();
    for (const r of written) prefixOf.set(r.text, [...(prefixOf.get(r.text) ?? []), Buffer.from(r.key).readUInt32BE(0)]);
    let last = -1;
    for (const text of got) {
      const options = prefixOf.get(text)!.filter((p) => p >= last).sort((a, b) => a - b);
      assert.ok(options.length > 0, `row ${JSON.stringify(text)} out of key order`);
      last = options[0];
      prefixOf.get(text)!.splice(prefixOf.get(text)!.indexOf(last), 1);
    }
  }), { numRuns: 300 });
});

test('a block of which nothing is written gives no text', () => {
  const key = new Uint8Array(16).fill(7);
  assert.equal(keyOrderedLines([{ p: piece([{ key, text: 'a' }]), skip: Uint8Array.of(1) }]).length, 0);
  assert.equal(keyOrderedLines([]).length, 0);
});

test('concrete order: by the first four bytes of the key, big-endian', () => {
  const k = (...b: number[]) => Uint8Array.from([...b, ...new Array(16 - b.length).fill(0)]);
  const block = [
    { p: piece([{ key: k(0, 0, 1, 0), text: 'third' }, { key: k(0xff), text: 'last' }]), skip: null },
    { p: piece([{ key: k(0, 0, 0, 2), text: 'second' }, { key: k(0, 0, 0, 1), text: 'first' }, { key: k(0, 0, 0, 0), text: 'skipped' }]), skip: Uint8Array.of(0, 0, 1) },
  ];
  assert.equal(keyOrderedLines(block).toString(), 'first\nsecond\nthird\nlast\n');
});
