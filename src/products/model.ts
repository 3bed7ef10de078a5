import { z } from 'zod';

export const LocalizedName = z.object({ zh: z.string().trim().min(1).max(200), en: z.string().trim().min(1).max(200) });

/** GB/T 15089 categories a CDAS / OTA product can have. */
export const VEHICLE_CATEGORIES = ['M1', 'M2', 'M3', 'N1', 'N2', 'N3'] as const;
export const ACCESS_STATUSES = ['applying', 'approved', 'changed'] as const;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
export const IsoDate = z.string().regex(ISO_DATE, 'a date as YYYY-MM-DD').refine((s) => !Number.isNaN(Date.parse(s + 'T00:00:00Z')) && new Date(s + 'T00:00:00Z').toISOString().startsWith(s), 'not a calendar date');

export const Access = z.object({
  status: z.enum(ACCESS_STATUSES).describe('applying | approved | changed (a change approved after the first approval)'),
  batch: z.string().trim().min(1).max(50).optional().describe('MIIT announcement batch (公告批次), e.g. 385'),
  approvalDate: IsoDate.optional(),
}).superRefine((a, ctx) => {
  if (a.status !== 'applying' && !a.approvalDate) ctx.addIssue({ code: 'custom', path: ['approvalDate'], message: 'required when the product is approved' });
  if (a.status === 'applying' && (a.batch || a.approvalDate)) ctx.addIssue({ code: 'custom', path: ['status'], message: 'a product still applying has no batch or approval date' });
});

export const CreateProduct = z.object({
  model: z.string().trim().toUpperCase().regex(/^[A-Z0-9][A-Z0-9-]{3,29}$/, 'product model code (产品型号): 4-30 letters, digits or hyphens, e.g. TSL7000BEVAR0'),
  name: LocalizedName.describe('trade name'),
  category: z.enum(VEHICLE_CATEGORIES),
  manufacturer: LocalizedName.optional().describe('producing company when it differs from the tenant (e.g. the overseas plant)'),
  cdas: z.boolean().describe('combined driving assistance system (GB/T 40429 level 2) fitted'),
  ota: z.boolean().describe('OTA update capable'),
  automationLevel: z.number().int().min(0).max(5).describe('GB/T 40429 driving automation level 0-5'),
  access: Access.optional().describe('default: applying'),
}).strict().superRefine((p, ctx) => {
  if (p.cdas && p.automationLevel < 2) ctx.addIssue({ code: 'custom', path: ['automationLevel'], message: 'a product with CDAS is at least level 2 (GB/T 40429 combined driver assistance)' });
});
export type CreateProductInput = z.infer<typeof CreateProduct>;

export const UpdateProduct = z.object({
  name: LocalizedName.optional(),
  category: z.enum(VEHICLE_CATEGORIES).optional(),
  manufacturer: LocalizedName.nullable().optional(),
  cdas: z.boolean().optional(),
  ota: z.boolean().optional(),
  automationLevel: z.number().int().min(0).max(5).optional(),
  access: Access.optional(),
}).strict().refine((u) => Object.keys(u).length > 0, 'nothing to change');
export type UpdateProductInput = z.infer<typeof UpdateProduct>;

export const Product = z.object({
  id: z.string(),
  tenantId: z.string(),
  model: z.string(),
  name: LocalizedName,
  category: z.string(),
  manufacturer: LocalizedName.nullable(),
  cdas: z.boolean(),
  ota: z.boolean(),
  automationLevel: z.number(),
  access: z.object({ status: z.enum(ACCESS_STATUSES), batch: z.string().nullable(), approvalDate: z.string().nullable() }),
  baselineVersion: z.number().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Product = z.infer<typeof Product>;

export const ParamValue = z.union([z.boolean(), z.number(), z.string(), z.array(z.string())]);

export const ParameterSet = z.object({
  id: z.string(),
  productId: z.string(),
  version: z.number().nullable().describe('null for the draft'),
  status: z.enum(['draft', 'submitted', 'approved']),
  catalogVersion: z.string(),
  values: z.record(z.string(), ParamValue),
  unmapped: z.record(z.string(), z.object({ value: z.unknown(), reason: z.string(), fromCatalog: z.string() })).describe('values kept from an older catalog version that no longer map'),
  digest: z.string().nullable(),
  basedOn: z.number().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  submittedAt: z.string().nullable(),
  submittedBy: z.string().nullable(),
  approval: z.object({ reference: z.string(), date: z.string(), batch: z.string().nullable(), recordedAt: z.string(), recordedBy: z.string() }).nullable(),
});
export type ParameterSet = z.infer<typeof ParameterSet>;

export const PutDraft = z.object({
  values: z.record(z.string().max(200), z.unknown()).describe('the whole draft: {catalog key: value}; a key left out is removed from the draft'),
}).strict();

export const Approve = z.object({
  reference: z.string().trim().min(1).max(100).describe('MIIT approval reference'),
  date: IsoDate.describe('approval date'),
  batch: z.string().trim().min(1).max(50).optional().describe('announcement batch (公告批次)'),
}).strict();
export type ApproveInput = z.infer<typeof Approve>;

export const VersionRef = z.union([z.literal('draft'), z.literal('baseline'), z.coerce.number().int().positive()]);

export const LinkEvidence = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/, '64 lowercase hex characters'),
  keys: z.array(z.string().max(200)).min(1).max(200),
}).strict();
