import { strict as assert } from 'node:assert';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, test } from 'node:test';
import { DirectoryBlobStore } from './blobs.ts';
import { sha256Hex } from './canonical.ts';

const roots: string[] = [];
after(async () => { for (const r of roots) await rm(r, { recursive: true, force: true }); });
async function store() {
  const root = await mkdtemp(join(tmpdir(), 'blobs-'));
  roots.push(root);
  return new DirectoryBlobStore(root);
}
async function readAll(s: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of s) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

test('put stores by SHA-256, get returns the same bytes, has knows it', async () => {
  const s = await store();
  const data = Buffer.from('test report 2025-031 ' + 'x'.repeat(100_000));
  const info = await s.put(data);
  assert.equal(info.sha256, sha256Hex(data));
  assert.equal(info.size, data.length);
  assert.equal(await s.has(info.sha256), true);
  assert.deepEqual(await readAll(await s.get(info.sha256)), data);
  assert.equal((await s.verify(info.sha256)).ok, true);
  assert.equal(await s.has('0'.repeat(64)), false);
});

test('putting the same content twice keeps one blob', async () => {
  const s = await store();
  const a = await s.put(Readable.from([Buffer.from('abc'), Buffer.from('def')]));
  const b = await s.put(Buffer.from('abcdef'));
  assert.equal(a.sha256, b.sha256);
  assert.deepEqual(await readdir(join(s.root, 'tmp')), []);
});

test('an upload over the limit is refused and leaves nothing', async () => {
  const s = await store();
  await assert.rejects(s.put(Buffer.alloc(2048, 1), { maxBytes: 1024 }), (e: any) => e.code === 'payload_too_large');
  assert.deepEqual(await readdir(join(s.root, 'tmp')), []);
  assert.equal(await s.has(sha256Hex(Buffer.alloc(2048, 1))), false);
});

test('an interrupted upload leaves nothing', async () => {
  const s = await store();
  let reads = 0;
  const src = new Readable({
    read() {
      if (++reads < 3) this.push(Buffer.alloc(1000, 2));
      else this.destroy(new Error('client went away'));
    },
  });
  await assert.rejects(s.put(src));
  assert.deepEqual(await readdir(join(s.root, 'tmp')), []);
  const entries = (await readdir(s.root)).filter((e) => e !== 'tmp');
  assert.deepEqual(entries, []);
});

test('a declared hash that does not match is refused and leaves nothing', async () => {
  const s = await store();
  await assert.rejects(s.put(Buffer.from('hello'), { expectSha256: 'a'.repeat(64) }), (e: any) => e.code === 'validation_failed');
  assert.equal(await s.has(sha256Hex('hello')), false);
});

test('a changed blob is detected on get and on verify', async () => {
  const s = await store();
  const info = await s.put(Buffer.from('original report'));
  await writeFile(s.pathOf(info.sha256), 'tampered report');
  assert.equal((await s.verify(info.sha256)).ok, false);
  await assert.rejects(readAll(await s.get(info.sha256)), (e: any) => e.code === 'integrity_error');
});

test('a missing blob is not_found, a bad hash is refused', async () => {
  const s = await store();
  await assert.rejects(s.get('b'.repeat(64)), (e: any) => e.code === 'not_found');
  await assert.rejects(s.get('../etc/passwd'), (e: any) => e.code === 'bad_request');
});

test('a check on the first bytes can refuse the content, leaving nothing', async () => {
  const s = await store();
  const refuse = (head: Buffer) => { if (head.subarray(0, 5).toString() !== '%PDF-') throw new Error('not a PDF'); };
  await assert.rejects(s.put(Buffer.from('GIF89a...'), { check: refuse }), /not a PDF/);
  assert.equal(await s.has(sha256Hex('GIF89a...')), false);
  const ok = await s.put(Buffer.from('%PDF-1.7 report'), { check: refuse });
  assert.equal(await s.has(ok.sha256), true);
});
