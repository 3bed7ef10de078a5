// Stored rows -> the campaign as the API shows it.
import type { CampaignRow, AuthzRow } from './store.ts';

export type AuthorizationView = { id: string; kid: string; revision: number; issuedAt: string; validFrom: string; validTo: string; revokedAt: string | null; revokedReason: string | null };

export function presentAuthorization(a: AuthzRow): AuthorizationView {
  return { id: a.id, kid: a.kid, revision: a.revision, issuedAt: a.issued_at.toISOString(), validFrom: a.valid_from.toISOString(), validTo: a.valid_to.toISOString(),
    revokedAt: a.revoked_at?.toISOString() ?? null, revokedReason: a.revoked_reason };
}

export function presentCampaign(r: CampaignRow, extra: { authorization?: AuthzRow | null; missing?: unknown[] } = {}) {
  const c = r.content;
  return {
    id: r.id, state: r.state, revision: r.revision,
    products: c.products, purpose: c.purpose, requirementSource: c.requirementSource ?? null, otaType: c.otaType,
    recall: c.recall, recallNumber: c.recallNumber ?? null, software: c.software, swin: c.swin, functions: c.functions, parameters: c.parameters,
    window: c.window ?? null, scope: { ...c.scope, vinCount: r.scope_vin_count }, notices: c.notices, evidence: c.evidence, safety: c.safety ?? null,
    digests: { payload: r.payload_digest, scope: r.scope_digest, content: r.content_digest },
    class: r.class, computedClass: r.computed_class, classification: r.classification, override: r.override, steps: r.steps,
    authorization: extra.authorization ? presentAuthorization(extra.authorization) : null,
    missing: extra.missing,
    clearedAt: r.cleared_at?.toISOString() ?? null, startedAt: r.started_at?.toISOString() ?? null, completedAt: r.completed_at?.toISOString() ?? null,
    createdBy: r.created_by, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
  };
}
export type CampaignView = ReturnType<typeof presentCampaign>;
