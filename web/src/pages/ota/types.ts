export type Text = { zh: string; en: string };
export type Reason = {
  rule: string; source: string; effect: 'A' | 'B' | 'C' | 'R' | 'evidence'; message: Text;
  parameter?: { key: string; old: unknown; new: unknown; main: boolean | null };
  function?: { name: string; change: string; automationLevel: number };
  recallNumber?: string | null;
};
export type Step = { id: string; addressee: string; rule: string; source: string; title: Text; phase: string; dueDate: string | null; provisional: boolean; records: string };
export type Missing = { code: string; message: string; step?: string };
export type Authorization = { id: string; kid: string; revision: number; issuedAt: string; validFrom: string; validTo: string; revokedAt: string | null; revokedReason: string | null };
export type Campaign = {
  id: string; state: string; revision: number; products: string[]; purpose: string; otaType: string; recall: boolean; recallNumber: string | null;
  software: { ecu: string; partNumber: string; from: string; to: string; sha256: string; size: number }[];
  swin: { system: string; from: string; to: string }[];
  functions: { name: string; change: string; automationLevel: number }[];
  parameters: Record<string, unknown>;
  window: { start: string; end: string } | null;
  scope: { vinCount: number; productionDate?: { from: string; to: string }; products?: string[] };
  digests: { payload: string; scope: string; content: string };
  class: string | null; computedClass: string | null;
  classification: null | { reasons: Reason[]; regime: string; regimeVersion: string; catalogVersion: string; perProduct: { productId: string; model: string; baselineVersion: number; class: string }[] };
  override: null | { from: string; to: string; justification: string; requestedBy: { id: string; name: string }; requestedAt: string; approvedBy: { id: string; name: string } | null; approvedAt: string | null };
  steps: Step[];
  authorization: Authorization | null;
  missing?: Missing[];
  stepRecords?: { step: string; reference: string; filedDigest: string | null; recordedBy: { name: string }; recordedAt: string }[];
  createdAt: string; clearedAt: string | null;
};
export type Reconciliation = {
  counts: { targeted: number; reported: number; succeeded: number; failed: number; notReached: number; outsideScope: number; serverClaimedOnly: number };
  outsideScope: { vehicles: number; sample: string[] };
  serverClaimedOnly: { vehicles: number; sample: string[] };
  versionsNotFiled: { reports: number; versions: { version: string; ecu: string; reports: number }[] };
  installsBeforeClearance: { reports: number };
  installsOutsideWindow: { reports: number };
  anomalies: { vin: string; at: string; version: string; problems: string[] }[];
  consistent: boolean;
};
