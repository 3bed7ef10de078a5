// Actual vs filed: the filed scope against what OTA back ends reported, in one set-based pass.
import type { Actor } from '../platform/audit.ts';
import type { Sql } from '../platform/db.ts';
import { AppError, msg, notFound } from '../platform/errors.ts';
import { readScope, type Deps } from '../platform/usecase.ts';
import type { CampaignContent } from './model.ts';
import * as store from './store.ts';

export function scopeSqlOf(c: store.CampaignRow): store.ScopeSql {
  const content = c.content as CampaignContent;
  return {
    hasVinList: c.scope_vin_count > 0, products: content.scope.products ?? content.products,
    from: content.scope.productionDate?.from ?? null, to: content.scope.productionDate?.to ?? null, digest: c.content_digest,
  };
}

export async function reconcileIn(sql: Sql, tenantId: string, c: store.CampaignRow) {
  const r = await store.reconcile(sql, tenantId, c.id, scopeSqlOf(c));
  const anomalous = r.unfiled_reports + r.uncovered_reports + r.outside_window_reports > 0;
  const list = anomalous ? await store.anomalies(sql, tenantId, c.id, 50) : [];
  const versions = r.unfiled_reports > 0 ? await store.unfiledVersions(sql, tenantId, c.id) : [];
  const filed = (c.content as CampaignContent).software.map((s) => ({ ecu: s.ecu, version: s.to }));
  const ok = r.outside_scope === 0 && r.unfiled_reports === 0 && r.uncovered_reports === 0 && r.outside_window_reports === 0;
  return {
    campaignId: c.id, state: c.state, contentDigest: c.content_digest,
    counts: { targeted: r.targeted, reported: r.reported, succeeded: r.succeeded, failed: r.failed, notReached: r.not_reached,
      outsideScope: r.outside_scope, serverClaimedOnly: r.server_only },
    outsideScope: { vehicles: r.outside_scope, sample: r.outside_sample ?? [] },
    serverClaimedOnly: { vehicles: r.server_only, sample: r.server_only_sample ?? [] },
    versionsNotFiled: { reports: r.unfiled_reports, filed, versions },
    installsBeforeClearance: { reports: r.uncovered_reports },
    installsOutsideWindow: { reports: r.outside_window_reports },
    anomalies: list.map((a) => ({ vin: a.vin, at: a.at.toISOString(), version: a.version, ecu: a.ecu || null, result: a.result, source: a.source,
      problems: [...(!a.version_filed ? ['version_not_filed'] : []), ...(!a.authorization_id ? ['no_authorization'] : []), ...(!a.in_window ? ['outside_window'] : [])] })),
    consistent: ok,
  };
}
export type Reconciliation = Awaited<ReturnType<typeof reconcileIn>>;

export async function reconciliation(deps: Deps, actor: Actor, campaignId: string): Promise<Reconciliation> {
  if (!actor.tenantId) throw new AppError('bad_request', msg('ota.reconciliationNeedsTenant'));
  return readScope(deps, actor, async (sql) => {
    const c = await store.getCampaign(sql, actor.tenantId!, campaignId);
    if (!c) throw notFound('campaign', campaignId);
    return reconcileIn(sql, actor.tenantId!, c);
  });
}
