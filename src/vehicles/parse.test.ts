import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { csvHeader, lines, parseCsvLine, parseNdjsonLine, splitCsv } from './parse.ts';

test('lines are numbered as in the file, across chunk boundaries, CRLF and a BOM', async () => {
  const chunks = ['\ufeffvin,prod', 'uct\r\nA,B\n', '\nlast'];
  const got = [];
  for await (const l of lines(Readable.from(chunks.map((c) => Buffer.from(c))))) got.push(l);
  assert.deepEqual(got, [{ line: 1, text: 'vin,product' }, { line: 2, text: 'A,B' }, { line: 3, text: '' }, { line: 4, text: 'last' }]);
});

test('CSV quoting', () => {
  assert.deepEqual(splitCsv('a,"b,c","d""e"'), ['a', 'b,c', 'd"e']);
});

test('CSV header must name vin, product, productionDate', () => {
  assert.equal(csvHeader('vin,product,productionDate,plant').ok, true);
  const r = csvHeader('vin,model,date');
  assert.equal(r.ok, false);
  if (!r.ok) assert.match(r.message, /missing: product, productionDate/);
});

const cols = { vin: 0, product: 1, productionDate: 2 };
const rows: [string, true | RegExp][] = [
  ['LRW3E7FS5PC695355,TSL7000BEVAR0,2023-03-01', true],
  ['LRW3E7FS6PC695355,TSL7000BEVAR0,2023-03-01', /check digit/],
  ['LRW3E7FS5PC69535,TSL7000BEVAR0,2023-03-01', /17 characters/],
  ['LRW3E7FS5PC695355,,2023-03-01', /product is missing/],
  ['LRW3E7FS5PC695355,TSL7000BEVAR0,2023-02-30', /productionDate/],
];
for (const [text, want] of rows) {
  test(`CSV line '${text}'`, () => {
    const r = parseCsvLine({ line: 7, text }, cols);
    if (want === true) {
      assert.equal(r.ok, true);
      if (r.ok === true) { assert.equal(r.row.plant, 'C'); assert.equal(r.row.line, 7); }
    } else {
      assert.equal(r.ok, false);
      if (r.ok === false) { assert.equal(r.line, 7); assert.match(r.message, want); }
    }
  });
}

test('NDJSON lines: unknown WMI is a warning, bad JSON and unknown fields are errors', () => {
  const warn = parseNdjsonLine({ line: 1, text: '{"vin":"1M8GDM9AXKP042788","product":"p","productionDate":"2019-01-01","software":{"ADCU":"1.0.0"}}' });
  assert.equal(warn.ok, true);
  if (warn.ok === true) { assert.match(warn.warnings[0], /unknown WMI/); assert.deepEqual(warn.row.software, { ADCU: '1.0.0' }); }
  const badJson = parseNdjsonLine({ line: 2, text: '{"vin":' });
  assert.equal(badJson.ok, false);
  const extra = parseNdjsonLine({ line: 3, text: '{"vin":"LRW3E7FS5PC695355","product":"p","productionDate":"2019-01-01","colour":"red"}' });
  assert.equal(extra.ok, false);
  if (extra.ok === false) assert.match(extra.message, /colour/);
  assert.equal(parseNdjsonLine({ line: 4, text: '  ' }).ok, 'skip');
});
