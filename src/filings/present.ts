import { t } from '../i18n/index.ts';
import type { Filing, Submission, Decision } from './model.ts';
import type { DecisionRow, FilingRow, SubmissionRow } from './store.ts';

const iso = (d: Date | string) => new Date(d).toISOString();

export function presentSubmission(s: SubmissionRow): Submission {
  return { id: s.id, filingId: s.filingId, addressee: s.addressee, channel: s.channel, submittedOn: s.submittedOn, reference: s.reference, note: s.note,
    packageSha256: s.packageSha256, obligationIds: s.obligationIds, recordedBy: { id: s.recordedBy.id, name: s.recordedBy.name }, recordedAt: iso(s.recordedAt) };
}

export function presentDecision(d: DecisionRow): Decision {
  return { id: d.id, filingId: d.filingId, authority: d.authority, decision: d.decision, reason: d.reason, reference: d.reference, decidedOn: d.decidedOn,
    decidedBy: { id: d.decidedBy.id, name: d.decidedBy.name }, obligationIds: d.obligationIds, recordedAt: iso(d.recordedAt) };
}

export function presentFiling(f: FilingRow, subs: SubmissionRow[], decs: DecisionRow[]): Filing {
  return {
    id: f.id, tenantId: f.tenantId, manufacturer: f.manufacturerName, kind: f.kind,
    title: { zh: t('zh-CN', `filings:kinds.${f.kind}`), en: t('en', `filings:kinds.${f.kind}`) },
    addressee: f.addressee, subject: { type: f.subjectType, id: f.subjectId }, version: f.version, supersedes: f.supersedes,
    supersededBy: f.supersededBy, state: f.state, schema: f.schemaId, contentDigest: f.contentDigest, subjectDigest: f.subjectDigest,
    packageSha256: f.packageSha256, packageSize: f.packageSize, pdfSha256: f.pdfSha256, manifest: f.manifest,
    createdBy: { id: f.createdBy.id, name: f.createdBy.name }, createdAt: iso(f.createdAt),
    submissions: subs.filter((s) => s.filingId === f.id).map(presentSubmission),
    decisions: decs.filter((d) => d.filingId === f.id).map(presentDecision),
  };
}
