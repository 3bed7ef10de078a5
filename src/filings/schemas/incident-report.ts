import { z } from 'zod';
import { EvidenceRef, IsoInstant } from './common.ts';

/**
 * N45-5 / S20-3: one version of an event or accident report, as the incidents slice publishes it
 * (`incidentReportContent`): the case, the report version with its facts, the earlier versions by
 * digest, the appended narrative and the severity decision with its rules. Personal data is left out
 * (`redacted: true`). Evidence files (EDR extract, photos) travel in the package.
 */
const RuleRef = z.object({ rule: z.string(), source: z.string(), regime: z.string().optional(), regimeVersion: z.string().optional() }).passthrough();

export const IncidentReportContent = z.object({
  regime: z.string().min(1),
  regimeVersion: z.string().min(1),
  incident: z.object({
    id: z.string().min(1),
    kind: z.string().nullable(),
    source: z.string().nullable(),
    type: z.string().nullable(),
    severity: z.string().nullable(),
    reportable: z.boolean().nullable(),
    vin: z.string().nullable(),
    vinStatus: z.string().nullable(),
    occurredAt: IsoInstant.nullable(),
    awareAt: IsoInstant,
  }).strict(),
  report: z.object({
    reportId: z.string().min(1),
    version: z.number().int().positive(),
    type: z.string().min(1),
    digest: z.string().min(1),
    createdAt: IsoInstant,
    content: z.record(z.string(), z.unknown()),
  }).strict(),
  versions: z.array(z.object({ version: z.number().int().positive(), type: z.string(), digest: z.string(), createdAt: IsoInstant }).strict()).min(1),
  narrative: z.array(z.object({ version: z.number().int().positive(), text: z.string().min(1), at: IsoInstant }).strict()),
  decision: z.object({
    severity: z.string().nullable(),
    reportable: z.boolean(),
    reasons: z.array(z.string()),
    rules: z.array(RuleRef),
    deadlines: z.array(z.object({ kind: z.string(), due: z.union([IsoInstant, z.string(), z.null()]), when: z.string() }).passthrough()),
    policy: z.unknown(),
  }).strict(),
  redacted: z.literal(true, { message: 'personal data stays out of filing packages' }),
  evidence: z.array(EvidenceRef),
}).strict().superRefine((c, ctx) => {
  if (!c.versions.some((v) => v.version === c.report.version)) ctx.addIssue({ code: 'custom', path: ['versions'], message: 'must include the reported version' });
});
