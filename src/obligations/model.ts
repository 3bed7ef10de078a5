import { z } from 'zod';
import { ADDRESSEES, SUBJECT_TYPES } from '../regimes/cn-2025/obligations.ts';
import { isIsoDate } from '../regimes/cn-2025/calendar.ts';

export const STATUSES = ['open', 'submitted', 'accepted', 'rejected', 'waived', 'withdrawn'] as const;
export type Status = (typeof STATUSES)[number];

const IsoDate = z.string().refine(isIsoDate, 'a calendar date YYYY-MM-DD');
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, '64 lowercase hex characters (SHA-256)');

export const Submission = z.object({
  id: z.string(),
  obligationId: z.string(),
  addressee: z.string(),
  channel: z.string(),
  submittedAt: z.string(),
  reference: z.string().nullable(),
  packageSha256: z.string().nullable(),
  filingId: z.string().nullable(),
  note: z.string().nullable(),
  recordedBy: z.object({ id: z.string(), name: z.string() }),
  recordedAt: z.string(),
});
export type Submission = z.infer<typeof Submission>;

export const Obligation = z.object({
  id: z.string(),
  key: z.string(),
  rule: z.string(),
  part: z.string().nullable(),
  source: z.string(),
  regime: z.string(),
  regimeVersion: z.string(),
  subjectType: z.enum(SUBJECT_TYPES),
  subjectId: z.string(),
  addressee: z.enum(ADDRESSEES),
  actingParty: z.string(),
  title: z.object({ zh: z.string(), en: z.string() }),
  documents: z.array(z.string()),
  due: z.object({
    at: z.string().nullable(),
    date: z.string().nullable(),
    provisional: z.boolean(),
    basis: z.enum(['law', 'policy']),
    condition: z.string(),
    explain: z.string(),
  }),
  gate: z.boolean(),
  fulfilledBy: z.enum(['submission', 'acceptance']),
  after: z.array(z.string()),
  status: z.enum(STATUSES),
  statusReason: z.string().nullable(),
  waiverRequest: z.object({ by: z.object({ id: z.string(), name: z.string() }), at: z.string(), justification: z.string() }).nullable(),
  decisionReference: z.string().nullable(),
  /** Derived from the clock at read time, never stored. */
  overdue: z.boolean(),
  dueSoon: z.boolean(),
  fulfilled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  submissions: z.array(Submission).optional(),
});
export type Obligation = z.infer<typeof Obligation>;

export const RecordSubmission = z.object({
  channel: z.string().trim().min(1).max(200).describe('e.g. "MIIT EIDC OTA filing system", "SAMR recall platform", "email vrecall@dpac.org.cn"'),
  submittedAt: z.iso.datetime({ offset: true }).optional().describe('default: now'),
  reference: z.string().trim().min(1).max(200).optional().describe('receipt or filing number given by the authority'),
  packageSha256: Sha256.optional(),
  filingId: z.string().trim().min(1).max(100).optional(),
  note: z.string().trim().max(2000).optional(),
}).strict();
export type RecordSubmissionInput = z.infer<typeof RecordSubmission>;

export const RecordDecision = z.object({
  decision: z.enum(['accepted', 'rejected']),
  reason: z.string().trim().min(1).max(2000).optional(),
  reference: z.string().trim().min(1).max(200).optional().describe('permit number or decision reference'),
}).strict().superRefine((d, ctx) => {
  if (d.decision === 'rejected' && !d.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'a rejection needs its reason' });
});
export type RecordDecisionInput = z.infer<typeof RecordDecision>;

export const WaiveRequest = z.object({ justification: z.string().trim().min(10, 'explain why (at least 10 characters)').max(4000) }).strict();
export const Reopen = z.object({ question: z.string().trim().min(1).max(4000) }).strict();

const boolQuery = z.enum(['true', 'false']).transform((v) => v === 'true');
export const ListQuery = z.object({
  status: z.enum(STATUSES).optional(),
  addressee: z.enum(ADDRESSEES).optional(),
  subjectType: z.enum(SUBJECT_TYPES).optional(),
  subject: z.string().max(200).optional().describe('subject id'),
  rule: z.string().max(50).optional(),
  dueBefore: IsoDate.optional().describe('due on or before this Shanghai date'),
  dueAfter: IsoDate.optional().describe('due on or after this Shanghai date'),
  overdue: boolQuery.optional(),
  dueSoon: boolQuery.optional(),
  format: z.enum(['json', 'csv', 'ics']).default('json'),
  lang: z.enum(['zh-CN', 'en']).default('zh-CN'),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
  offset: z.coerce.number().int().min(0).default(0),
}).strict();
export type ListQuery = z.infer<typeof ListQuery>;

export const Summary = z.object({
  now: z.string(),
  policy: z.record(z.string(), z.object({ value: z.number(), basis: z.literal('policy'), overridden: z.boolean() })),
  open: z.number(),
  overdue: z.number(),
  dueSoon: z.number(),
  provisional: z.number(),
  byAddressee: z.array(z.object({ addressee: z.string(), open: z.number(), overdue: z.number(), dueSoon: z.number() })),
  bySubject: z.array(z.object({ subjectType: z.string(), subjectId: z.string(), open: z.number(), overdue: z.number(), dueSoon: z.number() })),
});
