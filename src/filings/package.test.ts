import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cjkFont } from '../pdf/fonts.ts';
import { sha256Hex } from '../platform/canonical.ts';
import { AppError } from '../platform/errors.ts';
import { buildDocument } from './document.ts';
import { EXAMPLE_CONTENT, EXAMPLE_EVIDENCE, EXAMPLE_FILES, EXAMPLE_MANUFACTURER } from './examples.ts';
import { FILING_KINDS, KINDS, type FilingKind } from './kinds.ts';
import { buildPackage, verifyPackage } from './package.ts';
import { deterministicZip, readZip } from './zip.ts';

const stored = (kind: FilingKind) => JSON.parse(buildDocument({
  id: `fil_${kind}`, kind, version: 1, supersedes: null, addressee: KINDS[kind].addressees[0],
  preparedAt: new Date('2026-11-25T08:00:00Z'), preparedBy: '李娜 Li Na', manufacturer: EXAMPLE_MANUFACTURER, subjectId: 'sub_1',
  content: EXAMPLE_CONTENT[kind],
}).json);
const readEvidence = async (sha: string) => {
  const b = EXAMPLE_EVIDENCE.get(sha);
  if (!b) throw new Error(`no evidence ${sha}`);
  return b;
};
const tmp = mkdtempSync(join(tmpdir(), 'filings-pdf-'));

for (const kind of FILING_KINDS) {
  test(`${kind}: two builds from the same stored document are byte-identical, and the package checks out`, async () => {
    const a = await buildPackage(stored(kind), readEvidence);
    const b = await buildPackage(stored(kind), readEvidence);
    assert.equal(a.manifestJson, b.manifestJson);
    assert.ok(a.pdf.equals(b.pdf), 'PDF bytes differ');
    assert.ok(a.zip.equals(b.zip), 'zip bytes differ');
    assert.equal(a.sha256, sha256Hex(a.zip));
    const entries = readZip(a.zip);
    assert.equal(entries.get('filing.json')!.toString('utf8'), JSON.stringify(JSON.parse(entries.get('filing.json')!.toString('utf8'))));
    assert.equal(sha256Hex(entries.get('filing.json')!), a.manifest.contentDigest);
    const check = verifyPackage(a.zip);
    assert.equal(check.ok, true, JSON.stringify(check.files.filter((f) => !f.ok)));
    assert.ok(a.manifest.files.some((f) => f.path === 'schema.json'));
  });
}

test('the PDF embeds a CJK font and holds Chinese and English text that pdftotext extracts', async () => {
  const pkg = await buildPackage(stored('ota-filing-samr'), readEvidence);
  const path = join(tmp, 'samr.pdf');
  writeFileSync(path, pkg.pdf);
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' });
  for (const expected of ['汽车远程升级（OTA）安全技术评估信息表', '国家市场监督管理总局', 'OTA safety technical assessment information sheet',
    '示例轿车', 'Example Sedan', '导航辅助最高车速', 'Page 1 of', '第 1 页', pkg.manifest.contentDigest]) {
    assert.ok(text.replace(/\s+/g, ' ').includes(expected) || text.includes(expected), `PDF text lacks ${expected}`);
  }
  const fonts = execFileSync('pdffonts', [path], { encoding: 'utf8' });
  assert.match(fonts, /[A-Z]{6}\+NotoSansHans-Regular\s+CID Type 0C\s+Identity-H\s+yes\s+yes\s+yes/, `font not embedded as a subset:\n${fonts}`);
  assert.match(fonts, /[A-Z]{6}\+NotoSansHans-Bold\s/, 'headings use the bold face');
  assert.equal(cjkFont().source, '@embedpdf/fonts-sc', 'the npm-shipped font is the default, so no system font is needed');
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [path], { encoding: 'utf8' }))![1]);
  assert.ok(pages >= 2);
  assert.ok(text.includes(`共 ${pages} 页`) && text.includes(`Page ${pages} of ${pages}`), 'every page is numbered out of the total');
});

test('a page of the PDF renders to a PNG with ink on it', async () => {
  const pkg = await buildPackage(stored('supplementary-parameters'), readEvidence);
  const path = join(tmp, 'params.pdf');
  writeFileSync(path, pkg.pdf);
  execFileSync('pdftoppm', ['-r', '50', '-png', '-f', '1', '-l', '1', '-gray', path, join(tmp, 'page')]);
  const png = readFileSync(join(tmp, 'page-1.png'));
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  // Count dark pixels in the greyscale page (PGM is simpler to read than PNG).
  execFileSync('pdftoppm', ['-r', '50', '-f', '1', '-l', '1', '-gray', path, join(tmp, 'pagegray')]);
  const pgm = readFileSync(join(tmp, 'pagegray-1.pgm'));
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 40).toString('latin1'))!;
  const pixels = pgm.subarray(header[0].length);
  let dark = 0;
  for (const p of pixels) if (p < 128) dark++;
  assert.ok(dark > pixels.length * 0.01 && dark < pixels.length * 0.5, `dark pixel share ${dark / pixels.length}`);
});

test('a changed, missing or extra evidence file is caught by the manifest check', async () => {
  const pkg = await buildPackage(stored('sandbox-documents'), readEvidence);
  const entries = readZip(pkg.zip);
  const target = [...entries.keys()].find((p) => p.startsWith('evidence/') && p.endsWith('risk-assessment-plan.txt'))!;
  const rezip = (mutate: (m: Map<string, Buffer>) => void) => {
    const copy = new Map(entries);
    mutate(copy);
    return deterministicZip([...copy].map(([path, data]) => ({ path, data })), new Date('2026-11-25T08:00:00Z'));
  };
  const changed = verifyPackage(await rezip((m) => m.set(target, Buffer.from('Quality and safety risk assessment plan v2.\n'))));
  assert.equal(changed.ok, false);
  assert.deepEqual(changed.files.filter((f) => !f.ok).map((f) => [f.path, f.problem]), [[target, 'changed']]);

  const missing = verifyPackage(await rezip((m) => m.delete(target)));
  assert.deepEqual(missing.files.filter((f) => !f.ok).map((f) => [f.path, f.problem]), [[target, 'missing']]);

  const extra = verifyPackage(await rezip((m) => m.set('evidence/extra.txt', Buffer.from('x'))));
  assert.deepEqual(extra.files.filter((f) => !f.ok).map((f) => [f.path, f.problem]), [['evidence/extra.txt', 'unlisted']]);

  const json = verifyPackage(await rezip((m) => m.set('filing.json', Buffer.from(m.get('filing.json')!.toString().replace('Example', 'Exemplary')))));
  assert.equal(json.ok, false);
  assert.deepEqual(json.files.filter((f) => !f.ok).map((f) => f.path), ['filing.json']);
});

test('evidence whose stored bytes no longer match the recorded hash stops the build', async () => {
  await assert.rejects(buildPackage(stored('sandbox-documents'), async () => Buffer.from('tampered')),
    (e: unknown) => e instanceof AppError && e.code === 'integrity_error');
});

test('the zip does not depend on the server time zone', async () => {
  const before = process.env.TZ;
  try {
    process.env.TZ = 'UTC';
    const a = await deterministicZip([{ path: 'a.txt', data: Buffer.from(EXAMPLE_FILES.aebReport.bytes) }], new Date('2026-11-25T08:00:00Z'));
    process.env.TZ = 'America/New_York';
    const b = await deterministicZip([{ path: 'a.txt', data: Buffer.from(EXAMPLE_FILES.aebReport.bytes) }], new Date('2026-11-25T08:00:00Z'));
    assert.ok(a.equals(b));
  } finally {
    if (before === undefined) delete process.env.TZ; else process.env.TZ = before;
  }
});

test('a damaged zip is refused with a validation error, not a crash', () => {
  assert.throws(() => verifyPackage(Buffer.from('not a zip at all, just some bytes long enough')), (e: unknown) => e instanceof AppError && e.code === 'validation_failed');
});

test('icvgate package verify checks a zip offline and fails on a changed file', async () => {
  const { spawnSync } = await import('node:child_process');
  const bin = new URL('../../bin/icvgate.mjs', import.meta.url).pathname;
  const pkg = await buildPackage(stored('change-permit'), readEvidence);
  const good = join(tmp, 'good.zip');
  writeFileSync(good, pkg.zip);
  const ok = spawnSync(process.execPath, [bin, 'package', 'verify', good, '--expect', pkg.sha256], { encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /all files match/);
  const entries = readZip(pkg.zip);
  const evidence = [...entries.keys()].find((k) => k.startsWith('evidence/'))!;
  const bad = join(tmp, 'bad.zip');
  writeFileSync(bad, await deterministicZip([...entries].map(([path, data]) => ({ path, data: path === evidence ? Buffer.from('edited') : data })), new Date()));
  const no = spawnSync(process.execPath, [bin, 'package', 'verify', bad], { encoding: 'utf8' });
  assert.equal(no.status, 1);
  assert.match(no.stdout, new RegExp(`changed\\s+${evidence.replace(/[.]/g, '\\.')}`));
});
