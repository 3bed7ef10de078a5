export type Obligation = {
  id: string; key: string; rule: string; part: string | null; source: string; regime: string; regimeVersion: string;
  subjectType: 'product' | 'campaign' | 'incident' | 'manufacturer' | 'defect_assessment'; subjectId: string; addressee: 'MIIT' | 'SAMR' | 'internal'; actingParty: string;
  title: { zh: string; en: string }; documents: string[];
  due: { at: string | null; date: string | null; provisional: boolean; basis: 'law' | 'policy'; condition: string; explain: string };
  gate: boolean; fulfilledBy: 'submission' | 'acceptance'; after: string[];
  status: 'open' | 'submitted' | 'accepted' | 'rejected' | 'waived' | 'withdrawn'; statusReason: string | null;
  waiverRequest: { by: { id: string; name: string }; at: string; justification: string } | null; decisionReference: string | null;
  overdue: boolean; dueSoon: boolean; fulfilled: boolean; createdAt: string; updatedAt: string;
  submissions?: { id: string; channel: string; submittedAt: string; reference: string | null; packageSha256: string | null; filingId: string | null; note: string | null; recordedBy: { name: string } }[];
};
export type ObligationList = { items: Obligation[]; total: number; now: string };
export type Summary = {
  now: string; open: number; overdue: number; dueSoon: number; provisional: number;
  policy: Record<string, { value: number; basis: 'policy'; overridden: boolean }>;
  byAddressee: { addressee: string; open: number; overdue: number; dueSoon: number }[];
  bySubject: { subjectType: string; subjectId: string; open: number; overdue: number; dueSoon: number }[];
};
export type Schedule = { year: number; source: string; issued: string; offDays: string[]; workingWeekends: string[]; origin: 'bundled' | 'loaded' };
export const STATUSES = ['open', 'submitted', 'accepted', 'rejected', 'waived', 'withdrawn'] as const;
export const ADDRESSEES = ['MIIT', 'SAMR', 'internal'] as const;
export const SUBJECT_TYPES = ['product', 'campaign', 'incident', 'manufacturer', 'defect_assessment'] as const;
export type Reminder = { id: number; type: 'obligation.due_soon' | 'obligation.overdue'; obligationId: string; rule: string; addressee: string;
  title: { zh: string; en: string }; dueAt: string | null; provisional: boolean; at: string };
