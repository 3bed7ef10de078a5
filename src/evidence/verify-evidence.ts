import type { Deps } from '../platform/usecase.ts';
import * as store from './store.ts';

export type EvidenceCheck = { checked: number; broken: { tenantId: string; sha256: string; reportNo: string; reason: string }[] };

/** Re-hashes every stored evidence file (operator maintenance): names each missing or changed one. */
export async function verifyEvidence(deps: Deps, opts: { tenantId?: string; onProgress?: (n: number) => void } = {}): Promise<EvidenceCheck> {
  const files = await deps.db.tx(opts.tenantId ? { tenantId: opts.tenantId } : 'operator', (sql) => store.evidenceFiles(sql, opts.tenantId ?? null));
  const broken: EvidenceCheck['broken'] = [];
  let n = 0;
  for (const f of files) {
    const r = await deps.blobs.verify(f.sha256);
    if (!r.ok) broken.push({ tenantId: f.tenant_id, sha256: f.sha256, reportNo: f.report_no, reason: r.actual ? `content now hashes to ${r.actual}` : 'file missing' });
    opts.onProgress?.(++n);
  }
  return { checked: files.length, broken };
}
