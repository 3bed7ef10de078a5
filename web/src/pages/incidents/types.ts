export type Deadline = { kind: string; due: string | null; when: string; basis: 'policy'; provisional: boolean; policy: { key: string; value: number } };
export type Rule = { rule: string; source: string; regime: string; regimeVersion: string };
export type Decision = { severity: string | null; reportable: boolean; reasons: string[]; rules: Rule[]; deadlines: Deadline[]; awarenessBasis?: string };
export type Incident = {
  id: string; kind: string; source: string; type: string | null; severity: string | null; reportable: boolean; status: string;
  vin: string | null; vinStatus: string | null; occurredAt: string | null; awareAt: string; nextDueAt: string | null; secondsLeft: number | null;
  overdue: boolean; eventCount: number; summary: Record<string, unknown>; decision: Decision; createdAt: string; updatedAt: string;
};
export type IncidentList = { items: Incident[]; total: number; now: string };
export type Chain = {
  reportId: string; latest: number; missing: number[];
  versions: { version: number; type: string; digest: string; createdAt: string; sourceLine: number | null; createdBy: string | null }[];
  narrative: { version: number; text: string; at: string }[];
};
export type IncidentDetail = Incident & {
  events: { id: string; type: string; vin: string; occurredAt: string; awareAt: string; severity: string | null; personal?: Record<string, unknown> }[];
  reports: Chain[];
  timeline: { at: string; kind: string; text: string; severity: string | null }[];
  redacted: boolean;
};
export type Assessment = {
  id: string; signature: string; function: string; faultCode: string; softwareVersion: string; ecu: string | null; status: string;
  trigger: { vehicles: number; from: string; to: string }; openedAt: string; decidedAt: string | null; blocksVersion: boolean;
};
export type Signal = {
  signature: string; function: string; faultCode: string; softwareVersion: string; ecu: string | null; vehicles: number; events: number;
  series: { day: string; vehicles: number; events: number }[]; assessment: Assessment | null;
};
export type Signals = { window: { from: string; to: string; days: number }; threshold: { vehicles: number; windowDays: number; basis: 'policy' }; items: Signal[]; assessments: Assessment[] };
export type ImportResult = { imported: number; unchanged: number; rejected: { line: number; reason: string }[]; rows: number };
