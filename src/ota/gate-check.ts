import type { Locale } from '../i18n/index.ts';
import type { Actor } from '../platform/audit.ts';
import { checkVin } from '../identifiers/vin.ts';
import { AppError, notFound, validationFailed } from '../platform/errors.ts';
import { msg, withMsgOf } from '../platform/messages.ts';
import type { Deps } from '../platform/usecase.ts';
import { gateReason, vehicleGate } from './rules.ts';
import * as store from './store.ts';

export type GateAnswer = { allow: boolean; code: string; reason: string; campaignId: string; vin: string; at: string };

/**
 * May this campaign install on this vehicle now? The facts (batched with concurrent checks of the
 * tenant), then the pure rule; the reason in `locale` (the request's Accept-Language), the code stable.
 */
export async function checkGate(deps: Deps, actor: Actor, campaignId: string, rawVin: string, locale: Locale = 'en'): Promise<GateAnswer> {
  const v = checkVin(rawVin);
  if (!v.ok) throw validationFailed([withMsgOf({ path: 'vin', message: v.reason }, v)], msg('ota.lineVin', { reason: v }));
  const now = deps.clock();
  if (!actor.tenantId) throw new AppError('bad_request', msg('ota.gateNeedsTenant'));
  // No campaign id holds a NUL (PostgreSQL text cannot): answer at once rather than fail the batch it would join.
  if (campaignId.includes('\u0000')) throw notFound('campaign', campaignId);
  const f = await store.gateFactsBatched(deps.db, actor.tenantId, campaignId, v.vin);
  if (!f) throw notFound('campaign', campaignId);
  const d = vehicleGate({
    state: f.state as any, authorizationActive: f.authorization_active, window: f.window ?? undefined, scope: f.scope ?? {}, products: f.product_ids,
    listing: { present: f.scope_vin_count > 0, listed: f.listed },
    vehicle: f.product_id ? { vin: v.vin, product: f.product_id, productionDate: f.production_date!, software: f.software ?? {} } : null, now,
  });
  return { allow: d.allow, code: d.code, reason: gateReason(locale, d), campaignId, vin: v.vin, at: now.toISOString() }; // a literal, not a spread: this is the hot path
}
