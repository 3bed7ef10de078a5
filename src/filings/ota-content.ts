import { sha256Hex } from '../platform/canonical.ts';
import type { EvidenceRef } from './schemas/common.ts';

/**
 * Pure mapping from an OTA campaign (the shape of src/ota/model.ts CampaignContent) to the content of
 * the campaign package kinds. The OTA slice owns the campaign; this decides only how it is filed.
 * Facts a campaign does not record (impact rationale, safety texts, recall details) come from `extra`.
 */
type Text = { zh: string; en: string };
export type CampaignForFiling = {
  id: string;
  /** The OTA slice's filing digest (content + scope), compared by the gate with what was filed. */
  filingDigest: string;
  releaseLabel?: string | null;
  content: {
    products: string[]; purpose: string; requirementSource?: string; otaType: 'remote' | 'local'; recall: boolean; recallNumber?: string;
    software: Array<{ ecu: string; partNumber: string; from: string; to: string; sha256: string; size: number }>;
    swin: Array<{ system: string; from: string; to: string }>;
    functions: Array<{ name: string; change: 'added' | 'enabled' | 'changed' | 'disabled'; automationLevel: number }>;
    parameters: Record<string, unknown>;
    window?: { start: string; end: string };
    scope: { vins?: string[]; productionDate?: { from: string; to: string }; products?: string[]; prerequisites?: Array<{ ecu: string; min?: string; max?: string }> };
    notices: { before?: Text; after?: Text };
    safety?: string;
  };
  classification: { class: 'A' | 'B' | 'C'; recall: boolean; reasons: Array<{ rule: string; source: string; message?: string | Text; text?: string }>; regime: string; regimeVersion: string };
};
export type ProductForFiling = {
  ref: { id: string; model: string; name: Text; category: string; cdas: boolean; ota: boolean; automationLevel: number | null };
  /** Approved baseline values (before the upgrade). */
  baseline: Record<string, unknown>;
  catalog: Map<string, { label: Text; unit: string | null; main: boolean }>;
};
export type ActivityExtra = {
  affects?: { typeApprovedSystems?: boolean; rationale?: string };
  safety?: { vehicleState?: string; energy?: string; failureHandling?: string; rollback?: string };
  vehicleCount?: number;
  evidence?: EvidenceRef[];
};

const REQUIREMENT_SOURCES = ['defect', 'regulation', 'feature', 'user-complaint', 'performance', 'security', 'other'];
const FUNCTION_CHANGES: Record<string, 'added' | 'changed' | 'enabled' | 'disabled'> = { added: 'added', enabled: 'enabled', changed: 'changed', disabled: 'disabled' };
const day = (iso: string | undefined | null) => (iso ? new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 10) : null);
const both = (t: Text | undefined) => (t ? (t.zh === t.en ? t.zh : `${t.zh} / ${t.en}`) : undefined);
const reasonText = (r: { rule: string; message?: string | Text; text?: string }) =>
  r.text ?? (typeof r.message === 'string' ? r.message : both(r.message)) ?? r.rule;

/** Parameters whose resulting value differs from the approved baseline of any product in the campaign. */
export function parameterChanges(c: CampaignForFiling, products: ProductForFiling[]) {
  const out = [];
  for (const key of Object.keys(c.content.parameters).sort()) {
    const to = c.content.parameters[key];
    const p = products.find((x) => JSON.stringify(x.baseline[key]) !== JSON.stringify(to)) ?? products[0];
    const from = p?.baseline[key];
    if (p && JSON.stringify(from) === JSON.stringify(to)) continue;
    const def = p?.catalog.get(key);
    out.push({ key, label: def?.label ?? { zh: key, en: key }, from: (from ?? null) as unknown, to: to as unknown, unit: def?.unit ?? null, main: def ? def.main : true });
  }
  return out;
}

/** The per-activity record (MIIT and SAMR variants share it). */
export function otaActivity(c: CampaignForFiling, products: ProductForFiling[], extra: ActivityExtra = {}) {
  const changes = parameterChanges(c, products);
  const sc = c.content.scope;
  const vins = sc.vins ? [...new Set(sc.vins.map((v) => v.trim().toUpperCase()))].sort() : null;
  const swinOf = (ecu: string) => c.content.swin.find((s) => s.system === ecu);
  return {
    campaign: { id: c.id, contentDigest: c.filingDigest, purpose: c.content.purpose, releaseLabel: c.releaseLabel ?? null },
    products: products.map((p) => p.ref),
    classification: {
      class: c.classification.class, recall: c.classification.recall, regime: c.classification.regime, regimeVersion: c.classification.regimeVersion,
      reasons: c.classification.reasons.map((r) => ({ rule: r.rule, source: r.source, text: reasonText(r) })),
    },
    scope: {
      vehicleCount: extra.vehicleCount ?? vins?.length ?? 0,
      productionWindow: sc.productionDate ? { from: sc.productionDate.from, to: sc.productionDate.to } : null,
      vinRanges: [],
      vinListDigest: vins ? sha256Hex(vins.join('\n')) : null,
    },
    prerequisiteVersions: (sc.prerequisites ?? []).map((p) => ({ ecu: p.ecu, versions: [p.min ? `>= ${p.min}` : null, p.max ? `<= ${p.max}` : null].filter(Boolean) as string[] }))
      .filter((p) => p.versions.length > 0),
    software: c.content.software.map((s) => ({ ...s, swinFrom: swinOf(s.ecu)?.from ?? null, swinTo: swinOf(s.ecu)?.to ?? null })),
    functions: c.content.functions.map((f) => ({ name: f.name, change: FUNCTION_CHANGES[f.change], automationLevel: f.automationLevel })),
    parameterChanges: changes,
    otaType: c.content.otaType,
    requirementSource: REQUIREMENT_SOURCES.includes(c.content.requirementSource ?? '') ? c.content.requirementSource : c.content.recall ? 'defect' : 'other',
    release: { plannedStart: day(c.content.window?.start), plannedEnd: day(c.content.window?.end) },
    recall: c.content.recall ? { number: c.content.recallNumber ?? null } : null,
    affects: {
      typeApprovedSystems: extra.affects?.typeApprovedSystems ?? changes.length > 0,
      mainParameters: changes.some((x) => x.main),
      automatedDriving: c.classification.class === 'C' || c.content.functions.some((f) => f.automationLevel >= 3),
      rationale: extra.affects?.rationale ?? c.classification.reasons.map(reasonText).join('; '),
    },
    safety: {
      vehicleState: extra.safety?.vehicleState ?? c.content.safety, energy: extra.safety?.energy,
      failureHandling: extra.safety?.failureHandling, rollback: extra.safety?.rollback,
    },
    userNotice: { before: both(c.content.notices.before), after: both(c.content.notices.after) },
    verification: extra.evidence ?? [],
  };
}

type Activity = ReturnType<typeof otaActivity>;
type Manufacturer = { name: Text; uscc: string | null; importer: { name: Text; uscc: string | null } | null };

/** SAMR variant: the activity plus the OTA safety technical assessment information sheet and the packages by hash. */
export function otaSamr(a: Activity, m: Manufacturer, earliestRelease: { date: string; provisional: boolean; rule: string; source: string } | null = null) {
  return {
    ...a,
    infoSheet: {
      producer: { name: m.name, uscc: m.uscc, importer: m.importer },
      vehicle: { models: a.products.map((p) => p.model), vehicleCount: a.scope.vehicleCount, productionWindow: a.scope.productionWindow },
      otaType: a.otaType, releaseTime: a.release.plannedStart, upgradePeriod: { from: a.release.plannedStart, to: a.release.plannedEnd },
      requirementSource: a.requirementSource, purpose: a.campaign.purpose, failureHandling: a.safety.failureHandling,
    },
    upgradePackages: a.software.map((s) => ({ ecu: s.ecu, sha256: s.sha256, size: s.size })),
    earliestRelease,
  };
}

export function changePermit(a: Activity, rationale: string | undefined) {
  return {
    campaign: a.campaign, products: a.products, classification: a.classification,
    parameterChanges: a.parameterChanges.filter((x) => x.main), functions: a.functions,
    rationale: rationale ?? a.affects.rationale, verification: a.verification,
  };
}

export type RecallFacts = { defect?: string; cause?: string | null; risk?: string; remedy?: string; decidedOn?: string; productionStopped?: boolean; productionStoppedOn?: string | null };

export function recallFiling(a: Activity, r: RecallFacts = {}) {
  return {
    campaign: a.campaign, products: a.products,
    recall: {
      number: a.recall?.number ?? null, defect: r.defect, cause: r.cause ?? null, risk: r.risk, remedy: r.remedy ?? a.campaign.purpose,
      decidedOn: r.decidedOn, productionStopped: r.productionStopped ?? false, productionStoppedOn: r.productionStoppedOn ?? null,
      plan: { start: a.release.plannedStart, end: a.release.plannedEnd },
    },
    scope: a.scope, software: a.software, evidence: a.verification,
  };
}
