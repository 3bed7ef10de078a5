/** GET /api/v1/audit items */
export type AuditEntry = {
  seq: number;
  at: string;
  actor: { type?: string; id?: string; name: string };
  action: string;
  subjectType: string;
  subjectId: string;
  hash: string;
  prevHash?: string;
};
export type AuditPage = { items: AuditEntry[]; total: number };
/** GET /api/v1/audit/verify */
export type AuditVerify = { ok: boolean; entries: number; firstBroken?: { seq: number; reason?: string } | null };
