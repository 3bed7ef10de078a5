import { z } from 'zod';
import { FILING_KINDS, AUTHORITIES, SUBJECT_TYPES, type FilingKind } from '../kinds.ts';
import { IsoInstant, Manufacturer } from './common.ts';
import { IncidentReportContent } from './incident-report.ts';
import {
  ChangePermitContent, ImplementationReportContent, OtaFilingMiitContent, OtaFilingSamrContent, RecallFilingContent,
} from './ota-kinds.ts';
import { SandboxDocumentsContent, SupplementaryParametersContent } from './product-kinds.ts';

export const CONTENT_SCHEMAS: Record<FilingKind, z.ZodType> = {
  'supplementary-parameters': SupplementaryParametersContent,
  'sandbox-documents': SandboxDocumentsContent,
  'ota-filing-miit': OtaFilingMiitContent,
  'ota-filing-samr': OtaFilingSamrContent,
  'change-permit': ChangePermitContent,
  'recall-filing': RecallFilingContent,
  'implementation-report': ImplementationReportContent,
  'incident-report': IncidentReportContent,
};

/** The canonical document of one filing version: what filing.json holds, byte for byte. */
export const FilingDocument = z.object({
  schema: z.string().regex(/^icvgate\/filing\/[a-z-]+\/v\d+$/),
  filing: z.object({
    id: z.string().min(1),
    kind: z.enum(FILING_KINDS),
    version: z.number().int().positive(),
    supersedes: z.string().nullable(),
    addressee: z.enum(AUTHORITIES),
    preparedAt: IsoInstant,
    preparedBy: z.string().min(1),
  }).strict(),
  manufacturer: Manufacturer,
  subject: z.object({ type: z.enum(SUBJECT_TYPES), id: z.string().min(1) }).strict(),
  basis: z.array(z.object({ rule: z.string(), source: z.string() }).strict()).min(1),
  regime: z.object({ id: z.string(), version: z.string() }).strict(),
  content: z.unknown(),
}).strict();
export type FilingDocument = z.infer<typeof FilingDocument>;

export { SupplementaryParametersContent, SandboxDocumentsContent, OtaFilingMiitContent, OtaFilingSamrContent, ChangePermitContent,
  RecallFilingContent, ImplementationReportContent, IncidentReportContent };
