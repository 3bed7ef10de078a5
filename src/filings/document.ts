import type { z } from 'zod';
import { canonicalJson, sha256Hex } from '../platform/canonical.ts';
import { fieldError, msg, validationFailed, zodFieldErrors, type FieldError } from '../platform/errors.ts';
import { REGIME } from '../regimes/cn-2025/index.ts';
import { KINDS, RULE_SOURCES, type Authority, type FilingKind } from './kinds.ts';
import { EvidenceRef } from './schemas/common.ts';
import { CONTENT_SCHEMAS, FilingDocument } from './schemas/index.ts';

export type DocumentInput = {
  id: string;
  kind: FilingKind;
  version: number;
  supersedes: string | null;
  addressee: Authority;
  preparedAt: Date;
  preparedBy: string;
  manufacturer: FilingDocument['manufacturer'];
  subjectId: string;
  content: unknown;
};

export type BuiltDocument = { document: FilingDocument; json: string; digest: string };

/** Field errors of zod issues, shown in the caller's language (parse with `{ reportInput: true }`). */
export function issuesToErrors(issues: readonly z.core.$ZodIssue[], prefix: string): FieldError[] {
  return zodFieldErrors(issues, prefix);
}

/**
 * Assembles and validates the canonical document of one filing version. The JSON is canonical
 * (sorted keys, no whitespace), so the same stored state always gives the same bytes and digest.
 */
export function buildDocument(input: DocumentInput): BuiltDocument {
  const def = KINDS[input.kind];
  if (!def.addressees.includes(input.addressee)) {
    throw validationFailed([fieldError('addressee', msg('filings.addresseeNot', { kind: input.kind, addressees: def.addressees.join(' or '), addressee: input.addressee }))]);
  }
  const content = CONTENT_SCHEMAS[input.kind].safeParse(input.content, { reportInput: true });
  if (!content.success) throw validationFailed(issuesToErrors(content.error.issues, 'content'), msg('filings.contentIncomplete', { kind: input.kind }));
  const doc = FilingDocument.safeParse({
    schema: def.schemaId,
    filing: {
      id: input.id, kind: input.kind, version: input.version, supersedes: input.supersedes, addressee: input.addressee,
      preparedAt: input.preparedAt.toISOString(), preparedBy: input.preparedBy,
    },
    manufacturer: input.manufacturer,
    subject: { type: def.subjectType, id: input.subjectId },
    basis: def.rules.map((rule) => ({ rule, source: RULE_SOURCES[rule] ?? rule })),
    regime: { id: REGIME.id, version: REGIME.version },
    content: content.data,
  }, { reportInput: true });
  if (!doc.success) throw validationFailed(issuesToErrors(doc.error.issues, ''), msg('filings.documentInvalid'));
  const json = canonicalJson(doc.data);
  return { document: doc.data, json, digest: sha256Hex(json) };
}

/** Re-checks a stored document against its kind's schema (used when a package is rebuilt or verified). */
export function validateDocument(value: unknown): FilingDocument {
  const doc = FilingDocument.safeParse(value, { reportInput: true });
  if (!doc.success) throw validationFailed(issuesToErrors(doc.error.issues, ''), msg('filings.documentInvalid'));
  const kind = doc.data.filing.kind;
  if (doc.data.schema !== KINDS[kind].schemaId) {
    throw validationFailed([fieldError('schema', msg('filings.expectedSchema', { schema: KINDS[kind].schemaId }))]);
  }
  const content = CONTENT_SCHEMAS[kind].safeParse(doc.data.content, { reportInput: true });
  if (!content.success) throw validationFailed(issuesToErrors(content.error.issues, 'content'));
  return doc.data;
}

/** Every evidence file the content refers to, once each, ordered by hash: these travel in the zip. */
export function evidenceOf(content: unknown): EvidenceRef[] {
  const found = new Map<string, EvidenceRef>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) { v.forEach(walk); return; }
    if (!v || typeof v !== 'object') return;
    const ref = EvidenceRef.safeParse(v);
    if (ref.success) { if (!found.has(ref.data.sha256)) found.set(ref.data.sha256, ref.data); return; }
    Object.values(v).forEach(walk);
  };
  walk(content);
  return [...found.values()].sort((a, b) => (a.sha256 < b.sha256 ? -1 : 1));
}

/** Where an evidence file sits inside the package zip: a short hash prefix keeps same-named files apart. */
export function evidencePath(ref: EvidenceRef): string {
  const safe = ref.filename.normalize('NFC').replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').replace(/^\.+/, '_').slice(0, 120);
  return `evidence/${ref.sha256.slice(0, 12)}-${safe}`;
}
