import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { boundaryOf, parseMultipart } from './multipart.ts';

const body = (b: string) => Buffer.from([
  `--${b}`, 'Content-Disposition: form-data; name="title"', '', '报告 A',
  `--${b}`, `Content-Disposition: form-data; name="file"; filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf`, 'Content-Type: application/PDF', '', '%PDF-1.7\r\nbinary\r\n--not-the-boundary',
  `--${b}--`, '',
].join('\r\n'));

test('reads fields and a file part, with UTF-8 names and CRLF inside the file', () => {
  const parts = parseMultipart(body('abc'), boundaryOf('multipart/form-data; boundary=abc'));
  assert.deepEqual(parts.map((p) => p.name), ['title', 'file']);
  assert.equal(parts[0].data.toString(), '报告 A');
  assert.equal(parts[1].filename, '报告.pdf');
  assert.equal(parts[1].contentType, 'application/pdf');
  assert.equal(parts[1].data.toString(), '%PDF-1.7\r\nbinary\r\n--not-the-boundary');
  assert.equal(boundaryOf('multipart/form-data; boundary="q z"'), 'q z');
});

test('malformed bodies are bad requests, not crashes', () => {
  for (const bad of [Buffer.from('no boundary here'), body('abc').subarray(0, 60), Buffer.from('--abc\r\nContent-Disposition: form-data; name="x"')]) {
    assert.throws(() => parseMultipart(bad, 'abc'), (e: any) => e.code === 'bad_request');
  }
  assert.throws(() => boundaryOf('multipart/form-data'), (e: any) => e.code === 'bad_request');
});
