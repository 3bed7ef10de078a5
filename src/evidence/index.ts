// What other slices (and the products slice) may use from evidence.
import type { Sql } from '../platform/db.ts';
import type { EvidenceLink } from './model.ts';
import * as store from './store.ts';

export type { Evidence, EvidenceLink } from './model.ts';

export function copyEvidenceLinks(sql: Sql, tenantId: string, fromSetId: string, toSetId: string, now: Date, by: string): Promise<void> {
  return store.copyLinks(sql, tenantId, fromSetId, toSetId, now, by);
}

/** Evidence linked to the given parameter sets, with its metadata. */
export function evidenceForSets(sql: Sql, tenantId: string, setIds: string[]): Promise<EvidenceLink[]> {
  return store.linksForSets(sql, tenantId, setIds);
}
