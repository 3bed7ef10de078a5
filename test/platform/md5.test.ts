import assert from 'node:assert/strict';
import { hash } from 'node:crypto';
import { test } from 'node:test';
import { md5 } from '../../src/platform/md5.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

test('md5: the RFC 1321 test suite', () => {
  assert.equal(hex(md5('')), 'd41d8cd98f00b204e9800998ecf8427e');
  assert.equal(hex(md5('abc')), '900150983cd24fb0d6963f7d28e17f72');
  assert.equal(hex(md5('message digest')), 'f96b697d7cb7938d525a2f31aaf161d0');
  assert.equal(hex(md5('12345678901234567890123456789012345678901234567890123456789012345678901234567890')), '57edf4a22be3c955ac49da2e2107b67a');
});

test('md5: the same bytes as node:crypto for every length across block boundaries, any characters', () => {
  const alphabet = ['a', 'Z', '0', '"', '\\', '\t', '\u0000', 'é', '广', '😀', '\ud800', '\udc00'];
  let seed = 11;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  for (let length = 0; length < 300; length++) {
    for (let k = 0; k < 8; k++) {
      let s = '';
      for (let i = 0; i < length; i++) s += k === 0 ? 'x' : alphabet[next() % alphabet.length];
      assert.equal(hex(md5(s)), hash('md5', s, 'hex'), JSON.stringify(s));
    }
  }
  const long = '广'.repeat(5_000); // grows the reused buffer
  assert.equal(hex(md5(long)), hash('md5', long, 'hex'));
  assert.equal(hex(md5('id:tel-1')), hash('md5', 'id:tel-1', 'hex'), 'and after growing');
});
