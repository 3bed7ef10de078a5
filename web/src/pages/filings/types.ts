export type Bilingual = { zh: string; en: string };
export type ManifestFile = { path: string; role: string; mediaType: string; size: number; sha256: string };
export type Submission = {
  id: string; filingId: string; addressee: string; channel: string; submittedOn: string; reference: string | null; note: string | null;
  packageSha256: string; obligationIds: string[]; recordedBy: { id: string; name: string }; recordedAt: string;
};
export type Decision = {
  id: string; filingId: string; authority: string; decision: string; reason: string | null; reference: string | null; decidedOn: string;
  decidedBy: { id: string; name: string }; obligationIds: string[]; recordedAt: string;
};
export type Filing = {
  id: string; tenantId: string; manufacturer: Bilingual; kind: string; title: Bilingual; addressee: 'MIIT' | 'SAMR';
  subject: { type: string; id: string }; version: number; supersedes: string | null; supersededBy: string | null; state: string; schema: string;
  contentDigest: string; subjectDigest: string | null; packageSha256: string; packageSize: number; pdfSha256: string;
  manifest?: { contentDigest: string; files: ManifestFile[] }; createdBy: { id: string; name: string }; createdAt: string;
  submissions: Submission[]; decisions: Decision[];
};
export type FilingList = { items: Filing[]; total: number; authority?: string };
export type PackageCheck = {
  ok: boolean; filingId: string | null; contentDigest: string | null; packageSha256?: string; recordedPackageSha256?: string;
  files: Array<{ path: string; expected: string | null; actual: string | null; ok: boolean; problem?: string }>;
};

export const KINDS = ['supplementary-parameters', 'sandbox-documents', 'ota-filing-miit', 'ota-filing-samr', 'change-permit', 'recall-filing',
  'implementation-report', 'incident-report'] as const;
/** Allowed addressees per kind; the first is the default (mirrors src/filings/kinds.ts). */
export const ADDRESSEES: Record<string, Array<'MIIT' | 'SAMR'>> = {
  'supplementary-parameters': ['MIIT', 'SAMR'], 'sandbox-documents': ['SAMR'], 'ota-filing-miit': ['MIIT'], 'ota-filing-samr': ['SAMR'],
  'change-permit': ['MIIT'], 'recall-filing': ['SAMR'], 'implementation-report': ['MIIT'], 'incident-report': ['MIIT', 'SAMR'],
};
export const CHANNELS = ['miit-ota-system', 'samr-recall-platform', 'email', 'disc', 'in-person', 'other'] as const;
export const DECISIONS = ['accepted', 'rejected', 'info_requested', 'permit_granted'] as const;
