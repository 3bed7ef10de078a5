// Pure rules of the OTA gate: what a campaign's digests cover, which transitions exist, what
// clearance still misses, and whether one vehicle may install now. No clock, no IO.
import { digestOf } from '../platform/canonical.ts';
import { label, labels, msg, renderMessage, withMsg, withMsgOf, type Msg } from '../platform/messages.ts';
import type { Locale } from '../i18n/index.ts';
import type { OtaClass, RequiredStep, StepId } from '../regimes/cn-2025/ota.ts';
import type { CampaignContent, CampaignState, Scope } from './model.ts';

/** What the upgrade does (software, hashes, SWIN, functions, resulting parameters, recall, window), without the scope. */
export function payloadDigest(c: CampaignContent): string {
  const software = [...c.software].sort((a, b) => a.ecu.localeCompare(b.ecu) || a.partNumber.localeCompare(b.partNumber));
  const swin = [...c.swin].sort((a, b) => a.system.localeCompare(b.system));
  const functions = [...c.functions].sort((a, b) => a.name.localeCompare(b.name) || a.change.localeCompare(b.change));
  return digestOf({ products: [...c.products].sort(), otaType: c.otaType, recall: c.recall, recallNumber: c.recallNumber ?? null,
    software, swin, functions, parameters: c.parameters, window: c.window ?? null });
}

/** The filed scope: VIN list (normalised, sorted, unique), production window, products, prerequisite versions. */
export function scopeDigest(scope: Scope, products: string[]): string {
  const vins = scope.vins ? [...new Set(scope.vins.map((v) => v.trim().toUpperCase()))].sort() : null;
  const prereq = [...(scope.prerequisites ?? [])].sort((a, b) => a.ecu.localeCompare(b.ecu));
  return digestOf({ vins, productionDate: scope.productionDate ?? null, products: [...(scope.products ?? products)].sort(), prerequisites: prereq });
}

/** The campaign's content digest, the one a filing carries and clearance compares: payload and scope. */
export function contentDigest(payload: string, scope: string): string {
  return digestOf({ payload, scope });
}

/** Digests of a campaign whose VIN list is given in full. */
export function digestsOf(c: CampaignContent): { payloadDigest: string; scopeDigest: string; contentDigest: string } {
  const p = payloadDigest(c), s = scopeDigest(c.scope, c.products);
  return { payloadDigest: p, scopeDigest: s, contentDigest: contentDigest(p, s) };
}

export const TRANSITIONS: Record<CampaignState, CampaignState[]> = {
  draft: ['classified', 'cancelled'],
  classified: ['awaiting_prerequisites', 'cancelled'],
  awaiting_prerequisites: ['cleared', 'cancelled'],
  cleared: ['rolling_out', 'cancelled'],
  rolling_out: ['completed', 'halted'],
  halted: ['rolling_out', 'completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

/** States in which content or scope may change; a change there revokes clearance. */
export const EDITABLE: CampaignState[] = ['draft', 'classified', 'awaiting_prerequisites', 'cleared', 'halted'];

export type Missing = { code: string; message: string; step?: StepId; detail?: Record<string, unknown> };

/** A Missing item whose message the API gives in the caller's language (English in `message`). */
function miss(item: Omit<Missing, 'message'>, m: Msg): Missing {
  const { detail, ...rest } = item;
  return withMsg({ ...rest, message: renderMessage('en', m), ...(detail ? { detail } : {}) }, m);
}

/** An open prerequisite from the obligation register (campaign steps, M22-1 capability and model filings). */
export type OpenObligation = { obligationId: string | null; key: string; rule: string; part: string | null; addressee: string; status: string; title: { zh: string; en: string } };
/** The content digest a step's filing carried (from the filings slice, else as recorded on the step). */
export type FiledDigest = { stepId: StepId; digest: string | null; source: string };

export type ClearanceInput = {
  content: CampaignContent;
  classification: { class: OtaClass; recall: boolean; needsEvidence: boolean } | null;
  override: { to: OtaClass; approvedBy?: string | null } | null;
  steps: RequiredStep[];
  open: OpenObligation[];
  filed: FiledDigest[];
  currentContentDigest: string;
  blocked: { ecu?: string; version: string; reason: string }[];
  now: Date;
  /** VINs in the campaign's stored scope list: the stored content carries no list (campaign_scope_vins does). */
  scopeVinCount?: number;
};

/** Everything that stands between a campaign and `cleared`; empty means it may clear. */
export function clearanceMissing(i: ClearanceInput): Missing[] {
  const out: Missing[] = [];
  if (!i.classification) out.push(miss({ code: 'not_classified' }, msg('ota.gate.notClassified')));
  if (i.override && !i.override.approvedBy) out.push(miss({ code: 'override_pending' }, msg('ota.gate.overridePending', { to: i.override.to })));
  const openSteps = new Set<string>();
  for (const o of i.open) {
    if (o.part) openSteps.add(o.part);
    out.push(miss({ code: 'obligation_open', step: (o.part ?? undefined) as StepId | undefined,
      detail: { obligationId: o.obligationId, key: o.key, status: o.status } },
    msg('ota.gate.obligationOpen', { title: o.title, rule: o.rule, addressee: o.addressee, status: o.status === 'absent' ? msg('ota.gate.notDerivedYet') : label('obligations:status', o.status) })));
  }
  const filed = new Map(i.filed.map((f) => [f.stepId, f]));
  for (const s of i.steps) {
    if (s.phase !== 'before-release' || !s.filesContent || openSteps.has(s.id)) continue;
    const f = filed.get(s.id);
    if (!f || !f.digest) {
      out.push(miss({ code: 'filed_digest_missing', step: s.id }, msg('ota.gate.filedDigestMissing', { title: s.title })));
    } else if (f.digest !== i.currentContentDigest) {
      out.push(miss({ code: 'filed_digest_mismatch', step: s.id, detail: { filed: f.digest, current: i.currentContentDigest, source: f.source } },
        msg('ota.gate.filedDigestMismatch', { title: s.title, filed: f.digest.slice(0, 12), current: i.currentContentDigest.slice(0, 12) })));
    }
  }
  const c = i.content;
  if (!c.window) out.push(miss({ code: 'window_missing' }, msg('ota.gate.windowMissing')));
  else if (new Date(c.window.end) <= i.now) out.push(miss({ code: 'window_passed' }, msg('ota.gate.windowPassed', { end: c.window.end })));
  if (!c.notices.before) out.push(miss({ code: 'notice_before_missing' }, msg('ota.gate.noticeBeforeMissing')));
  if (!c.notices.after) out.push(miss({ code: 'notice_after_missing' }, msg('ota.gate.noticeAfterMissing')));
  if (c.evidence.length === 0) out.push(miss({ code: 'evidence_missing' }, msg('ota.gate.evidenceMissing')));
  if (c.recall && !c.recallNumber) out.push(miss({ code: 'recall_number_missing' }, msg('ota.gate.recallNumberMissing')));
  if (!c.scope.vins?.length && !i.scopeVinCount && !c.scope.productionDate) out.push(miss({ code: 'scope_missing' }, msg('ota.gate.scopeMissing')));
  for (const b of i.blocked) {
    if (c.software.some((s) => s.to === b.version && (!b.ecu || b.ecu === s.ecu))) {
      out.push(withMsgOf({ code: 'version_blocked', message: b.reason, detail: { ecu: b.ecu ?? null, version: b.version } }, b));
    }
  }
  return out;
}

/** What a transition needs besides the table; `null` when nothing beyond clearance applies. */
export function transitionMissing(from: CampaignState, to: CampaignState, ctx: { now: Date; window?: { start: string; end: string }; authorizationActive: boolean; clearance?: Missing[] }): Missing[] {
  if (!TRANSITIONS[from].includes(to)) {
    return [miss({ code: 'transition_not_allowed' }, msg('ota.gate.transitionNotAllowed', { from: label('ota:state', from), to: label('ota:state', to), allowed: TRANSITIONS[from].length ? labels('ota:state', TRANSITIONS[from]) : msg('ota.gate.noneFinal') }))];
  }
  if (to === 'cleared') return ctx.clearance ?? [];
  if (to === 'rolling_out') {
    const out: Missing[] = [];
    if (!ctx.authorizationActive) out.push(miss({ code: 'not_cleared' }, msg('ota.gate.notCleared')));
    if (ctx.window && new Date(ctx.window.end) <= ctx.now) out.push(miss({ code: 'window_passed' }, msg('ota.gate.windowPassed', { end: ctx.window.end })));
    return out;
  }
  return [];
}

// ---------------------------------------------------------------------------------------------
// Versions and the per-vehicle check

/** Compares dotted versions segment by segment, numerically where both segments are numbers. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.\-_+]/), pb = b.split(/[.\-_+]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '', y = pb[i] ?? '';
    if (x === y) continue;
    if (x === '') return -1;
    if (y === '') return 1;
    const nx = /^\d+$/.test(x), ny = /^\d+$/.test(y);
    if (nx && ny) return Number(x) - Number(y) < 0 ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

export type VehicleFacts = { vin: string; product: string; productionDate: string; software: Record<string, string> };

/** Whether the scope has a VIN list and lists this VIN; from the list itself, or from the store's answer. */
export type VinListing = { present: boolean; listed: boolean };
export const listingOf = (scope: Scope, vin: string): VinListing =>
  ({ present: !!scope.vins?.length, listed: !!scope.vins?.some((v) => v.trim().toUpperCase() === vin) });

/**
 * Whether a vehicle belongs to the filed scope (the reconciliation SQL uses the same definition):
 * a VIN list, when present, must list it; the products (default: the campaign's) must include its
 * product when the registry knows it; a production window needs the registry's production date.
 */
export function inScope(scope: Scope, products: string[], listing: VinListing, vehicle: VehicleFacts | null): { in: boolean; why?: Msg } {
  const prods = scope.products ?? products;
  if (listing.present) {
    if (!listing.listed) return { in: false, why: msg('ota.vehicleGate.vinNotListed') };
  } else if (!vehicle) return { in: false, why: msg('ota.vehicleGate.vehicleUnknown') };
  if (vehicle && !prods.includes(vehicle.product)) return { in: false, why: msg('ota.vehicleGate.productOutOfScope', { product: vehicle.product }) };
  if (scope.productionDate) {
    if (!vehicle) return { in: false, why: msg('ota.vehicleGate.productionDateUnknown') };
    if (vehicle.productionDate < scope.productionDate.from || vehicle.productionDate > scope.productionDate.to) {
      return { in: false, why: msg('ota.vehicleGate.producedOutside', { date: vehicle.productionDate, from: scope.productionDate.from, to: scope.productionDate.to }) };
    }
  }
  return { in: true };
}

/** The gate's answer for one vehicle: a stable code, and why as a message rendered in the caller's language (gateReason). */
export type GateDecision = { allow: boolean; code: string; why: Msg };

const ALLOWED: GateDecision = { allow: true, code: 'allowed', why: msg('ota.vehicleGate.allowed') };
const refuse = (code: string, why: Msg): GateDecision => ({ allow: false, code, why });

export function vehicleGate(i: {
  state: CampaignState; authorizationActive: boolean; window?: { start: string; end: string };
  scope: Scope; products: string[]; listing: VinListing; vehicle: VehicleFacts | null; now: Date;
}): GateDecision {
  if (i.state !== 'cleared' && i.state !== 'rolling_out') return refuse('campaign_not_cleared', msg('ota.vehicleGate.campaignNotCleared', { state: label('ota:state', i.state) }));
  if (!i.authorizationActive) return refuse('authorization_revoked', msg('ota.vehicleGate.authorizationRevoked'));
  if (!i.window) return refuse('window_missing', msg('ota.vehicleGate.windowMissing'));
  if (i.now < new Date(i.window.start)) return refuse('before_window', msg('ota.vehicleGate.beforeWindow', { start: i.window.start }));
  if (i.now >= new Date(i.window.end)) return refuse('after_window', msg('ota.vehicleGate.afterWindow', { end: i.window.end }));
  const s = inScope(i.scope, i.products, i.listing, i.vehicle);
  if (!s.in) return refuse('vehicle_not_in_scope', s.why!);
  for (const p of i.scope.prerequisites ?? []) {
    const have = i.vehicle?.software[p.ecu];
    if (!have) return refuse('prerequisite_unknown', msg('ota.vehicleGate.prerequisiteUnknown', { ecu: p.ecu }));
    if ((p.min && compareVersions(have, p.min) < 0) || (p.max && compareVersions(have, p.max) > 0)) {
      return refuse('prerequisite_version', msg('ota.vehicleGate.prerequisiteVersion', { ecu: p.ecu, have, min: p.min ?? '*', max: p.max ?? '*' }));
    }
  }
  return ALLOWED;
}

/**
 * The reason of a gate answer in one language. The answer most asked for, "allowed", is rendered
 * once per language: the per-vehicle gate is the hot path.
 */
export function gateReason(locale: Locale, d: GateDecision): string {
  if (d.why !== ALLOWED.why) return renderMessage(locale, d.why);
  return (allowedText[locale] ??= renderMessage(locale, d.why));
}
const allowedText: Partial<Record<Locale, string>> = {};
