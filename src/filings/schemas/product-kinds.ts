import { z } from 'zod';
import { EvidenceRef, IsoDate, IsoInstant, ParameterRow, ProductRef } from './common.ts';

/** N45-2 / N45-3: the Annex 2 supplementary CDAS and OTA parameters with their verification materials. */
export const SupplementaryParametersContent = z.object({
  basis: z.enum(['N45-2', 'N45-3']).describe('with a new access application (N45-2) or for a product already approved (N45-3)'),
  product: ProductRef,
  parameterSet: z.object({
    version: z.number().int().positive(),
    frozenAt: IsoInstant.nullable(),
    catalogVersion: z.string().min(1),
    approval: z.object({ reference: z.string(), date: IsoDate }).strict().nullable(),
  }).strict(),
  parameters: z.array(ParameterRow).min(1),
  completeness: z.object({
    ready: z.boolean(),
    missing: z.array(z.string()),
    evidenceMissing: z.array(z.string()),
  }).strict(),
  evidence: z.array(EvidenceRef),
}).strict();

export const SANDBOX_ROLES = ['in-depth-testing-plan', 'risk-assessment-plan', 'preliminary-test-report', 'other'] as const;

/** N45-4: sandbox supervision documents to SAMR after production access is granted. */
export const SandboxDocumentsContent = z.object({
  product: ProductRef,
  accessPermit: z.object({ reference: z.string().min(1), grantedOn: IsoDate }).strict().nullable(),
  documents: z.array(z.object({ role: z.enum(SANDBOX_ROLES), evidence: EvidenceRef }).strict()).min(1),
}).strict().superRefine((c, ctx) => {
  for (const role of ['in-depth-testing-plan', 'risk-assessment-plan', 'preliminary-test-report'] as const) {
    if (!c.documents.some((d) => d.role === role)) {
      ctx.addIssue({ code: 'custom', path: ['documents'], message: `a ${role} document is required (N45-4)`, params: { key: 'filings.documentRequired', params: { role } } });
    }
  }
});
