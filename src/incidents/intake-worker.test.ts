// The parser thread's COPY text: rows whose body is their line's own bytes (copied, not encoded
// again) come out byte for byte as the plain way writes them, whatever the line holds.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { INCIDENT_POLICY_DEFAULTS } from '../regimes/cn-2025/incidents.ts';
import { copyLine } from './copy-text.ts';
import { parseLine, rowOf } from './event-rows.ts';
import { linesOf, parseLines } from './intake-worker.ts';
import { syntheticEventLine, SYNTHETIC_NOW } from './synthetic-events.ts';

const settings = { seq: 1, first: 1, batchId: 'evb_test', tenantId: 'ten_test', receivedAt: SYNTHETIC_NOW.getTime(), policy: INCIDENT_POLICY_DEFAULTS };

/** The COPY text the plain way: each line decoded as the chunked path decodes it, its row written as a string. */
function expected(body: Buffer): string {
  const text = new TextDecoder().decode(body);
  return text.split('\n').map((line, i) => {
    const parsed = parseLine(line, i + 1);
    if (!parsed || 'error' in parsed) return '';
    const r = rowOf(parsed.value, settings.tenantId, SYNTHETIC_NOW, INCIDENT_POLICY_DEFAULTS, i + 1, line);
    assert.ok('row' in r, JSON.stringify(r));
    return copyLine(settings.batchId, r.row);
  }).join('');
}

/** The parser thread's COPY text, as the UTF-8 of a string (so invalid bytes would show, not decode away). */
function copyText(body: Buffer): { text: string; n: number } {
  const p = parseLines(settings, linesOf(body, true));
  assert.deepEqual(p.errors, []);
  assert.equal(p.ends[p.n - 1] ?? 0, p.copy.length);
  return { text: Buffer.from(p.copy).toString('latin1'), n: p.n };
}
/** The plain way's COPY text as UTF-8, in the form copyText answers. */
const utf8 = (s: string): string => Buffer.from(s).toString('latin1');

const variants: [string, (line: string) => Buffer][] = [
  ['as sent', (l) => Buffer.from(l)],
  ['CRLF line end', (l) => Buffer.from(`${l}\r`)],
  ['spaces after the object', (l) => Buffer.from(`${l}   `)],
  ['a backslash escape in a string', (l) => Buffer.from(l.replace('"tel-', '"tel\\\\-'))],
  ['a tab escape in a string', (l) => Buffer.from(l.replace('"tel-', '"tel\\t'))],
  ['invalid UTF-8 inside the city', (l) => Buffer.concat([Buffer.from(l.split('深圳市')[0]), Buffer.from([0xe6, 0xb7, 0xff]), Buffer.from(l.split('深圳市')[1])])],
  ['the awareness source given (nothing to add)', (l) => Buffer.from(l.replace('{', '{"awarenessSource":"telematics","severity":{},'))],
  ['a literal U+FFFD in the city', (l) => Buffer.from(l.replace('深圳市', '深\uFFFD市'))],
  ['an astral character', (l) => Buffer.from(l.replace('深圳市', '深🚗市'))],
];

describe('the parser thread copies line bytes as the body', () => {
  for (const [name, make] of variants) {
    it(`matches the plain COPY text: ${name}`, () => {
      const body = Buffer.concat([0, 1, 2000, 3].map((n) => Buffer.concat([make(syntheticEventLine(n)), Buffer.from('\n')])));
      const got = copyText(body);
      assert.equal(got.n, 4);
      assert.equal(got.text, utf8(expected(body)));
    });
  }

  it('drops a byte order mark at the start of the body only', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const body = Buffer.concat([bom, Buffer.from(`${syntheticEventLine(1)}\n${syntheticEventLine(2)}`)]);
    assert.equal(copyText(body).text, utf8(expected(body)));
    const later = parseLines({ ...settings, first: 5 }, linesOf(body, false));
    assert.equal(later.errors.length, 1, 'a mark inside the body is not JSON');
    assert.equal(later.errors[0].line, 5);
  });

  it('matches on generated lines: any text in the free fields, any order of keys, bytes cut anywhere in a character', () => {
    const freeText = fc.string({ unit: fc.oneof(fc.constantFrom('\\', '\t', '\r', '"', '}', '\u00e9', '深', '🚗', '\uFFFD'), fc.string({ minLength: 1, maxLength: 1 })), minLength: 1, maxLength: 12 })
      .filter((s) => s.trim() === s && s.length > 0 && !s.includes('\u0000'));
    fc.assert(fc.property(fc.nat(100_000), freeText, freeText, fc.boolean(), fc.boolean(), fc.option(fc.nat(40)), (n, province, city, source, reorder, cut) => {
      const e = JSON.parse(syntheticEventLine(n)) as Record<string, unknown>;
      e.location = { province, city };
      if (source) e.awarenessSource = 'telematics';
      const line = reorder ? JSON.stringify(Object.fromEntries(Object.entries(e).reverse())) : JSON.stringify(e);
      let bytes = Buffer.from(line);
      if (cut !== null) { // a byte taken out: where it was part of a character, the rest is invalid UTF-8
        const at = bytes.indexOf(Buffer.from(city)) + (cut % Math.max(1, Buffer.byteLength(city)));
        if (at >= 0 && bytes[at] >= 0x80) bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]);
      }
      const body = Buffer.concat([bytes, Buffer.from('\n')]);
      const decoded = new TextDecoder().decode(body);
      if (!(() => { try { return 'row' in rowOf(JSON.parse(decoded), 't', SYNTHETIC_NOW, INCIDENT_POLICY_DEFAULTS); } catch { return false; } })()) return;
      assert.equal(copyText(body).text, utf8(expected(body)));
    }), { numRuns: 400 });
  });
});
