import { z } from 'zod';
import { IsoDate } from '../products/model.ts';

/** What a test report may be; the first bytes are checked against the declared type. */
export const ALLOWED_TYPES: Record<string, { magic: number[] | null; label: string }> = {
  'application/pdf': { magic: [0x25, 0x50, 0x44, 0x46, 0x2d], label: 'PDF' },
  'image/png': { magic: [0x89, 0x50, 0x4e, 0x47], label: 'PNG' },
  'image/jpeg': { magic: [0xff, 0xd8, 0xff], label: 'JPEG' },
  'application/zip': { magic: [0x50, 0x4b, 0x03, 0x04], label: 'ZIP' },
  'application/ofd': { magic: [0x50, 0x4b, 0x03, 0x04], label: 'OFD (GB/T 33190)' },
};

export const EvidenceMeta = z.object({
  title: z.string().trim().min(1).max(300),
  lab: z.string().trim().min(1).max(300).describe('issuing inspection / test lab'),
  reportNo: z.string().trim().min(1).max(100),
  issuedOn: IsoDate,
  validUntil: IsoDate.optional(),
  filename: z.string().trim().max(255).optional(),
  contentType: z.string().trim().toLowerCase(),
  /** Optional link at upload: the product, a version number or 'draft', and catalog keys. */
  productId: z.string().max(100).optional(),
  version: z.union([z.literal('draft'), z.coerce.number().int().positive()]).optional(),
  keys: z.array(z.string().max(200)).max(200).optional(),
}).superRefine((m, ctx) => {
  if (!ALLOWED_TYPES[m.contentType]) ctx.addIssue({ code: 'custom', path: ['contentType'], message: `must be one of ${Object.keys(ALLOWED_TYPES).join(', ')}`, params: { key: 'evidence.contentTypeOneOf', params: { types: Object.keys(ALLOWED_TYPES).join(', ') } } });
  if (m.validUntil && m.validUntil < m.issuedOn) ctx.addIssue({ code: 'custom', path: ['validUntil'], message: 'is before the issue date', params: { key: 'evidence.validBeforeIssued' } });
  if (m.keys?.length && !m.productId) ctx.addIssue({ code: 'custom', path: ['productId'], message: 'required when keys are given', params: { key: 'evidence.productIdForKeys' } });
});
export type EvidenceMetaInput = z.infer<typeof EvidenceMeta>;

export const Evidence = z.object({
  id: z.string(),
  sha256: z.string(),
  size: z.number(),
  contentType: z.string(),
  filename: z.string().nullable(),
  title: z.string(),
  lab: z.string(),
  reportNo: z.string(),
  issuedOn: z.string(),
  validUntil: z.string().nullable(),
  uploadedBy: z.string(),
  createdAt: z.string(),
});
export type Evidence = z.infer<typeof Evidence>;

export const EvidenceLink = z.object({ parameterSetId: z.string(), key: z.string(), evidence: Evidence });
export type EvidenceLink = z.infer<typeof EvidenceLink>;
