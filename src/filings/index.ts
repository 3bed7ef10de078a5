/** The filings slice as other slices use it (OTA gate, obligations, demo). See docs/filings.md. */
import type { Sql } from '../platform/db.ts';
import { KINDS, type Authority, type FilingKind, type SubjectType } from './kinds.ts';
import type { DecisionKind, FilingState } from './model.ts';
import * as store from './store.ts';

export { FILING_KINDS, KINDS, AUTHORITIES, type FilingKind, type Authority, type SubjectType } from './kinds.ts';
export { createFiling } from './create-filing.ts';
export { recordFilingSubmission } from './record-submission.ts';
export { verifyPackage, buildPackage } from './package.ts';
export { EXAMPLE_CONTENT, EXAMPLE_FILES } from './examples.ts';
export type { FilingState, DecisionKind } from './model.ts';

export type FiledRecord = {
  id: string;
  kind: FilingKind;
  addressee: Authority;
  version: number;
  /** false once a corrected version supersedes it */
  current: boolean;
  supersededBy: string | null;
  state: FilingState;
  /** SHA-256 of filing.json */
  contentDigest: string;
  /** For campaign kinds: the campaign's own content digest that was filed (compare with the campaign now). */
  subjectDigest: string | null;
  packageSha256: string;
  rules: readonly string[];
  submissions: Array<{ id: string; channel: string; submittedOn: string; reference: string | null; obligationIds: string[] }>;
  decisions: Array<{ decision: DecisionKind; reason: string | null; reference: string | null; decidedOn: string; authority: Authority }>;
};

/**
 * Every filing version of one subject in the caller's tenant, oldest first per kind and addressee, with
 * its receipts and the authority's decisions. Call inside your unit of work: `filingsFor(u.sql, u.tenantId, 'campaign', id)`.
 */
export async function filingsFor(sql: Sql, tenantId: string, subjectType: SubjectType, subjectId: string): Promise<FiledRecord[]> {
  const rows = await store.filingsOfSubject(sql, tenantId, subjectType, subjectId);
  const ids = rows.map((r) => r.id);
  const subs = await store.submissionsOf(sql, tenantId, ids);
  const decs = await store.decisionsOf(sql, tenantId, ids);
  return rows.map((r) => ({
    id: r.id, kind: r.kind, addressee: r.addressee, version: r.version, current: r.supersededBy === null, supersededBy: r.supersededBy, state: r.state,
    contentDigest: r.contentDigest, subjectDigest: r.subjectDigest, packageSha256: r.packageSha256, rules: KINDS[r.kind].rules,
    submissions: subs.filter((s) => s.filingId === r.id).map((s) => ({ id: s.id, channel: s.channel, submittedOn: s.submittedOn, reference: s.reference, obligationIds: s.obligationIds })),
    decisions: decs.filter((d) => d.filingId === r.id).map((d) => ({ decision: d.decision, reason: d.reason, reference: d.reference, decidedOn: d.decidedOn, authority: d.authority })),
  }));
}

/**
 * The current version of one kind to one addressee, when it was submitted with a receipt and not
 * rejected or put on hold by a question: what a gate may count as "filed".
 */
export function currentFiled(records: FiledRecord[], kind: FilingKind, addressee: Authority): FiledRecord | undefined {
  const r = records.find((x) => x.kind === kind && x.addressee === addressee && x.current);
  if (!r) return undefined;
  if (!['submitted', 'accepted', 'permit_granted'].includes(r.state)) return undefined;
  if (!r.submissions.some((s) => s.reference)) return undefined;
  return r;
}
