import type { Authority, FilingKind } from './kinds.ts';
import type { DecisionKind, FilingState } from './model.ts';

/** The obligation facts the matcher needs (a subset of the obligations slice's Obligation). */
export type ObligationFacts = { id: string; rule: string; part: string | null; addressee: string; status: string; due: { at: string | null } };

const SUBMITTABLE = ['open', 'rejected', 'submitted'];

/** Which obligation (rule / step part) each kind discharges; see the cn-2025 obligation rules. */
const MATCH: Record<FilingKind, (o: ObligationFacts, content: any) => boolean> = {
  'supplementary-parameters': (o) => o.rule === 'N45-2' || o.rule === 'N45-3',
  'sandbox-documents': (o) => o.rule === 'N45-4',
  'ota-filing-miit': (o) => o.part === 'miit-filing',
  'ota-filing-samr': (o) => o.part === 'samr-filing' || o.part === 'samr-ota-info-sheet',
  'change-permit': (o) => o.part === 'miit-change-permit' || o.part === 'miit-ad-approval',
  'recall-filing': (o) => o.part === 'samr-recall-filing',
  'implementation-report': (o, c) => o.rule === 'M22-3' && (c?.final ? o.part === 'implementation-report' : (o.part ?? '').startsWith('period-')),
  'incident-report': (o) => o.rule === 'N45-5' || o.rule === 'S20-3',
};

/** An incident report version answers one deadline: the one its report type names, else the earliest open one. */
const INCIDENT_PART: Record<string, string[]> = {
  first: ['first-report', 'investigation-opened'], full: ['full-report'], update: ['update'], result: ['result-report'], monthly: ['monthly-summary'],
};

/**
 * The obligations a submission of this package discharges: same addressee, the kind's rule or step,
 * still awaiting a submission. Pure, so the matching is tested apart from the database.
 */
export function obligationsToSubmit(kind: FilingKind, addressee: Authority, content: unknown, obligations: ObligationFacts[]): string[] {
  const candidates = obligations.filter((o) => o.addressee === addressee && SUBMITTABLE.includes(o.status) && MATCH[kind](o, content));
  if (kind === 'incident-report' || (kind === 'implementation-report' && !(content as any)?.final)) {
    const parts = kind === 'incident-report' ? INCIDENT_PART[(content as any)?.report?.type] ?? [] : [];
    const open = candidates.filter((o) => o.status !== 'submitted');
    const pool = open.length ? open : candidates;
    const byDue = [...pool].sort((a, b) => (a.due.at ?? '9999') < (b.due.at ?? '9999') ? -1 : 1);
    const named = byDue.filter((o) => parts.some((p) => (o.part ?? '').startsWith(p)));
    const pick = named[0] ?? byDue[0];
    return pick ? [pick.id] : [];
  }
  return candidates.map((o) => o.id);
}

/** What a regulator's decision does to the filing and to the obligations its submissions discharged. */
export const DECISION_EFFECT: Record<DecisionKind, { state: FilingState; obligation: 'accept' | 'reject' | 'reopen' }> = {
  accepted: { state: 'accepted', obligation: 'accept' },
  permit_granted: { state: 'permit_granted', obligation: 'accept' },
  rejected: { state: 'rejected', obligation: 'reject' },
  info_requested: { state: 'info_requested', obligation: 'reopen' },
};

/** States from which each action may happen; a superseded version takes no new submissions or decisions. */
export const SUBMIT_FROM: readonly FilingState[] = ['built', 'submitted', 'info_requested'];
export const DECIDE_FROM: readonly FilingState[] = ['submitted', 'info_requested'];

export function decisionAllowed(kind: FilingKind, decision: DecisionKind): string | null {
  if (decision === 'permit_granted' && kind !== 'change-permit') return 'a permit is granted only on a change-permit filing';
  return null;
}
