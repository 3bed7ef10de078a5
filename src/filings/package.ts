import { z } from 'zod';
import { canonicalJson, sha256Hex } from '../platform/canonical.ts';
import { AppError, fieldError, msg } from '../platform/errors.ts';
import { evidenceOf, evidencePath, validateDocument } from './document.ts';
import { CONTENT_SCHEMAS, type FilingDocument } from './schemas/index.ts';
import { renderFilingPdf } from './render-pdf.ts';
import { deterministicZip, readZip } from './zip.ts';

export const MANIFEST_SCHEMA = 'icvgate/filing-manifest/v1';

export type ManifestFile = { path: string; role: 'document' | 'rendering' | 'schema' | 'evidence'; mediaType: string; size: number; sha256: string };
export type Manifest = { schema: string; filingId: string; kind: string; version: number; contentDigest: string; files: ManifestFile[] };

export type BuiltPackage = {
  zip: Buffer;
  sha256: string;
  pdf: Buffer;
  pdfSha256: string;
  manifest: Manifest;
  manifestJson: string;
};

/** Reads one evidence file by hash (from the blob store); the bytes are re-hashed here anyway. */
export type EvidenceReader = (sha256: string) => Promise<Buffer>;

const file = (path: string, role: ManifestFile['role'], mediaType: string, data: Buffer): ManifestFile =>
  ({ path, role, mediaType, size: data.length, sha256: sha256Hex(data) });

/** The JSON Schema of a kind's content, shipped in the package so a recipient can validate filing.json. */
export function contentJsonSchema(doc: FilingDocument): string {
  const schema = z.toJSONSchema(CONTENT_SCHEMAS[doc.filing.kind], { io: 'input', unrepresentable: 'any' });
  return canonicalJson({ $id: doc.schema, description: `content of ${doc.schema}`, ...schema });
}

/**
 * The package of one filing version, rebuilt from its stored document: filing.json (canonical),
 * filing.pdf, schema.json, the evidence files, and manifest.json listing every other file with its
 * SHA-256. Building it twice gives the same bytes, so its hash can be recorded and re-checked.
 */
export async function buildPackage(stored: unknown, readEvidence: EvidenceReader, opts: { fontDir?: string } = {}): Promise<BuiltPackage> {
  const doc = validateDocument(stored);
  const json = Buffer.from(canonicalJson(doc), 'utf8');
  const contentDigest = sha256Hex(json);
  const pdf = await renderFilingPdf(doc, contentDigest, opts);
  const schema = Buffer.from(contentJsonSchema(doc), 'utf8');
  const evidence: Array<{ path: string; data: Buffer; mediaType: string }> = [];
  for (const ref of evidenceOf(doc.content)) {
    const data = await readEvidence(ref.sha256);
    const actual = sha256Hex(data);
    if (actual !== ref.sha256) {
      throw new AppError('integrity_error', msg('filings.evidenceHashMismatch', { filename: ref.filename, actual, sha256: ref.sha256 }), { details: { sha256: ref.sha256, actual } });
    }
    evidence.push({ path: evidencePath(ref), data, mediaType: ref.mediaType });
  }
  const files: ManifestFile[] = [
    file('filing.json', 'document', 'application/json', json),
    file('filing.pdf', 'rendering', 'application/pdf', pdf),
    file('schema.json', 'schema', 'application/schema+json', schema),
    ...evidence.map((e) => file(e.path, 'evidence', e.mediaType, e.data)),
  ].sort((a, b) => (a.path < b.path ? -1 : 1));
  const manifest: Manifest = { schema: MANIFEST_SCHEMA, filingId: doc.filing.id, kind: doc.filing.kind, version: doc.filing.version, contentDigest, files };
  const manifestJson = canonicalJson(manifest);
  const zip = await deterministicZip([
    { path: 'manifest.json', data: Buffer.from(manifestJson, 'utf8') },
    { path: 'filing.json', data: json },
    { path: 'filing.pdf', data: pdf, compress: false },
    { path: 'schema.json', data: schema },
    ...evidence.map((e) => ({ path: e.path, data: e.data })),
  ], new Date(doc.filing.preparedAt));
  return { zip, sha256: sha256Hex(zip), pdf, pdfSha256: sha256Hex(pdf), manifest, manifestJson };
}

export type FileCheck = { path: string; expected: string | null; actual: string | null; ok: boolean; problem?: 'changed' | 'missing' | 'unlisted' };
export type PackageCheck = { ok: boolean; filingId: string | null; contentDigest: string | null; files: FileCheck[] };

/**
 * Checks a package zip against its own manifest: every listed file present with its SHA-256, nothing
 * unlisted, and filing.json hashing to the content digest. This is what a reviewer runs on a download.
 */
export function verifyPackage(zip: Buffer): PackageCheck {
  const entries = readZip(zip);
  const raw = entries.get('manifest.json');
  if (!raw) throw new AppError('validation_failed', msg('filings.noManifest'), { errors: [fieldError('manifest.json', msg('filings.missing'))] });
  let manifest: Manifest;
  try { manifest = JSON.parse(raw.toString('utf8')); } catch {
    throw new AppError('validation_failed', msg('filings.manifestNotJson'), { errors: [fieldError('manifest.json', msg('filings.notJson'))] });
  }
  const files: FileCheck[] = [];
  const listed = new Set<string>();
  if (!manifest || !Array.isArray(manifest.files)) {
    throw new AppError('validation_failed', msg('filings.manifestNoFiles'), { errors: [fieldError('manifest.json', msg('filings.filesList'))] });
  }
  for (const f of manifest.files) {
    listed.add(f.path);
    const data = entries.get(f.path);
    const actual = data ? sha256Hex(data) : null;
    files.push({ path: f.path, expected: f.sha256, actual, ok: actual === f.sha256, ...(actual === null ? { problem: 'missing' as const } : actual !== f.sha256 ? { problem: 'changed' as const } : {}) });
  }
  for (const [path, data] of entries) {
    if (path !== 'manifest.json' && !listed.has(path)) files.push({ path, expected: null, actual: sha256Hex(data), ok: false, problem: 'unlisted' });
  }
  const json = entries.get('filing.json');
  const digestOk = !!json && sha256Hex(json) === manifest.contentDigest;
  return { ok: digestOk && files.every((f) => f.ok), filingId: manifest.filingId ?? null, contentDigest: manifest.contentDigest ?? null, files };
}
