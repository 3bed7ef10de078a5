import { z } from 'zod';
import { AUTHORITIES, FILING_KINDS, SUBJECT_TYPES } from './kinds.ts';

export const FILING_STATES = ['built', 'submitted', 'accepted', 'rejected', 'info_requested', 'permit_granted'] as const;
export type FilingState = (typeof FILING_STATES)[number];
export const DECISIONS = ['accepted', 'rejected', 'info_requested', 'permit_granted'] as const;
export type DecisionKind = (typeof DECISIONS)[number];
export const CHANNELS = ['miit-ota-system', 'samr-recall-platform', 'email', 'disc', 'in-person', 'other'] as const;

const IsoDate = z.iso.date({ message: 'a calendar date as YYYY-MM-DD' });

export const CreateFiling = z.object({
  kind: z.enum(FILING_KINDS),
  subject: z.string().trim().min(1).max(200).describe('id of the product, campaign or incident the package is about'),
  addressee: z.enum(AUTHORITIES).optional().describe('MIIT or SAMR; defaults to the kind\'s first addressee'),
  supersedes: z.string().max(200).optional().describe('the version this one corrects; must be the latest of its chain'),
  input: z.record(z.string(), z.unknown()).optional()
    .describe('facts the platform does not hold for this kind (e.g. sandbox document roles, OTA safety texts); see docs/filings.md'),
}).strict();
export type CreateFilingInput = z.infer<typeof CreateFiling>;

export const RecordSubmission = z.object({
  channel: z.enum(CHANNELS),
  submittedOn: IsoDate.describe('date the package went to the authority (Asia/Shanghai)'),
  reference: z.string().trim().min(1).max(200).optional().describe('receipt or filing number given by the authority'),
  note: z.string().trim().max(2000).optional(),
}).strict();
export type RecordSubmissionInput = z.infer<typeof RecordSubmission>;

export const RecordDecision = z.object({
  decision: z.enum(DECISIONS),
  reason: z.string().trim().min(1).max(4000).optional().describe('required for rejected and info_requested: the reason or the question'),
  reference: z.string().trim().min(1).max(200).optional().describe('required for permit_granted: the permit reference'),
  decidedOn: IsoDate.optional().describe('defaults to today (Asia/Shanghai)'),
}).strict().superRefine((d, ctx) => {
  if ((d.decision === 'rejected' || d.decision === 'info_requested') && !d.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: `required when the decision is ${d.decision}`, params: { key: 'filings.reasonRequiredFor', params: { decision: d.decision } } });
  if (d.decision === 'permit_granted' && !d.reference) ctx.addIssue({ code: 'custom', path: ['reference'], message: 'required when a permit is granted' });
});
export type RecordDecisionInput = z.infer<typeof RecordDecision>;

export const Submission = z.object({
  id: z.string(), filingId: z.string(), addressee: z.string(), channel: z.string(), submittedOn: z.string(),
  reference: z.string().nullable(), note: z.string().nullable(), packageSha256: z.string(), obligationIds: z.array(z.string()),
  recordedBy: z.object({ id: z.string(), name: z.string() }), recordedAt: z.string(),
});
export type Submission = z.infer<typeof Submission>;

export const Decision = z.object({
  id: z.string(), filingId: z.string(), authority: z.string(), decision: z.enum(DECISIONS), reason: z.string().nullable(),
  reference: z.string().nullable(), decidedOn: z.string(), decidedBy: z.object({ id: z.string(), name: z.string() }),
  obligationIds: z.array(z.string()), recordedAt: z.string(),
});
export type Decision = z.infer<typeof Decision>;

export const ManifestFile = z.object({ path: z.string(), role: z.string(), mediaType: z.string(), size: z.number(), sha256: z.string() });

export const Filing = z.object({
  id: z.string(),
  tenantId: z.string(),
  manufacturer: z.object({ zh: z.string(), en: z.string() }),
  kind: z.enum(FILING_KINDS),
  title: z.object({ zh: z.string(), en: z.string() }),
  addressee: z.enum(AUTHORITIES),
  subject: z.object({ type: z.enum(SUBJECT_TYPES), id: z.string() }),
  version: z.number(),
  supersedes: z.string().nullable(),
  supersededBy: z.string().nullable(),
  state: z.enum(FILING_STATES),
  schema: z.string(),
  contentDigest: z.string().describe('SHA-256 of filing.json'),
  subjectDigest: z.string().nullable().describe('the campaign content digest filed (campaign kinds)'),
  packageSha256: z.string(),
  packageSize: z.number(),
  pdfSha256: z.string(),
  manifest: z.object({ schema: z.string(), contentDigest: z.string(), files: z.array(ManifestFile) }).passthrough(),
  createdBy: z.object({ id: z.string(), name: z.string() }),
  createdAt: z.string(),
  submissions: z.array(Submission),
  decisions: z.array(Decision),
});
export type Filing = z.infer<typeof Filing>;

export const FilingList = z.object({ items: z.array(Filing.omit({ manifest: true })), total: z.number() });

export const ListQuery = z.object({
  kind: z.enum(FILING_KINDS).optional(),
  state: z.enum(FILING_STATES).optional(),
  subject: z.string().max(200).optional(),
  addressee: z.enum(AUTHORITIES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type ListQuery = z.infer<typeof ListQuery>;

export const PackageCheckResult = z.object({
  ok: z.boolean(), filingId: z.string().nullable(), contentDigest: z.string().nullable(),
  packageSha256: z.string().optional(), recordedPackageSha256: z.string().optional(),
  files: z.array(z.object({ path: z.string(), expected: z.string().nullable(), actual: z.string().nullable(), ok: z.boolean(), problem: z.string().optional() })),
});
