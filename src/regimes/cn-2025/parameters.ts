// Pure rules over Annex 2 parameter values: applicability, validation, diff, completeness.
// No clock, no IO: callers pass the catalog, the product's facts and `today` (Asia/Shanghai date).
import { canonicalJson } from '../../platform/canonical.ts';
import { msg, renderMessage, withMsg, withMsgOf, type Msg } from '../../platform/messages.ts';
import type { Catalog, Label, ParameterDef } from './catalog/index.ts';
import { ref, type RuleRef } from './index.ts';

export type ProductFacts = { cdas: boolean; ota: boolean };
export type ParamValue = boolean | number | string | string[];
export type Values = Record<string, ParamValue>;
export type FieldError = { path: string; message: string };

export const RULES = {
  applicability: ref('N45-2.applicability', '工信部联通装〔2025〕45号 Annex 2: CDAS parameters for products with CDAS, OTA parameters for OTA-capable products'),
  completeness: ref('N45-2.completeness', '工信部联通装〔2025〕45号 item 2: supplementary parameters complete and accurate, with verification materials for function and performance items'),
  mainChange: ref('N45-7.main-parameter', '工信部联通装〔2025〕45号 item 7; catalog `main` flag (our reading, see ota.md)'),
} satisfies Record<string, RuleRef>;

export function applies(def: ParameterDef, product: ProductFacts): boolean {
  const w = def.appliesWhen;
  return (w.cdas === undefined || w.cdas === product.cdas) && (w.ota === undefined || w.ota === product.ota);
}

export function applicableParameters(catalog: Catalog, product: ProductFacts): ParameterDef[] {
  return catalog.parameters.filter((p) => applies(p, product));
}

type Normalized = { ok: true; value: ParamValue } | { ok: false; message: string };

/** A failed check with its message in both languages (the API shows it in the caller's language). */
const bad = (m: Msg): { ok: false; message: string } => withMsg({ ok: false as const, message: renderMessage('en', m) }, m);
const fe = (path: string, m: Msg): FieldError => withMsg({ path, message: renderMessage('en', m) }, m);
const typeName = (v: unknown) => msg(`param.type.${v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v}`);
const allowed = (values: { value: string }[]) => values.map((v) => v.value).join(', ');

/** Checks one raw value against its definition and returns it in stored form (numbers without unit, lists de-duplicated). */
export function normalizeValue(def: ParameterDef, raw: unknown): Normalized {
  switch (def.type) {
    case 'boolean':
      return typeof raw === 'boolean' ? { ok: true, value: raw } : bad(msg('param.boolean', { got: typeName(raw) }));
    case 'text': {
      if (typeof raw !== 'string') return bad(msg('param.text', { got: typeName(raw) }));
      const s = raw.trim();
      if (s === '') return bad(msg('param.empty'));
      if (def.maxLength && s.length > def.maxLength) return bad(msg('param.maxLength', { max: def.maxLength, got: s.length }));
      return { ok: true, value: s };
    }
    case 'enum': {
      if (typeof raw !== 'string') return bad(msg('param.enumType', { allowed: allowed(def.values), got: typeName(raw) }));
      return def.values.some((v) => v.value === raw) ? { ok: true, value: raw } : bad(msg('param.enumValue', { value: raw, allowed: allowed(def.values) }));
    }
    case 'number':
      return normalizeNumber(def, raw);
    case 'list':
      return normalizeList(def, raw);
  }
}

function normalizeNumber(def: Extract<ParameterDef, { type: 'number' }>, raw: unknown): Normalized {
  let n: unknown = raw, unit: string | undefined;
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    const o = raw as Record<string, unknown>;
    n = o.value;
    if (o.unit !== undefined && typeof o.unit !== 'string') return bad(msg('param.unitText'));
    unit = o.unit as string | undefined;
  } else if (typeof raw === 'string') {
    const m = /^\s*(-?\d+(?:\.\d+)?)\s*([^\d\s].*)?$/.exec(raw);
    if (!m) return bad(msg('param.numberText', { unit: def.unit.symbol, got: raw }));
    n = Number(m[1]);
    unit = m[2]?.trim();
  }
  if (typeof n !== 'number' || !Number.isFinite(n)) return bad(msg('param.number', { unit: def.unit.symbol, got: typeName(n) }));
  if (unit !== undefined && unit !== def.unit.symbol) return bad(msg('param.unit', { unit: def.unit.symbol, got: unit }));
  if (def.integer && !Number.isInteger(n)) return bad(msg('param.integer', { unit: def.unit.symbol, got: n }));
  if (def.min !== undefined && n < def.min) return bad(msg('param.min', { min: def.min, unit: def.unit.symbol, got: n }));
  if (def.max !== undefined && n > def.max) return bad(msg('param.max', { max: def.max, unit: def.unit.symbol, got: n }));
  return { ok: true, value: n };
}

function normalizeList(def: Extract<ParameterDef, { type: 'list' }>, raw: unknown): Normalized {
  if (!Array.isArray(raw)) return bad(msg('param.list', { got: typeName(raw) }));
  const out: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const item = raw[i];
    if (typeof item !== 'string' || item.trim() === '') return bad(msg('param.itemText', { item: i + 1, got: typeName(item) }));
    const s = item.trim();
    if (def.items.type === 'enum' && !def.items.values.some((v) => v.value === s)) {
      return bad(msg('param.itemEnum', { item: i + 1, value: s, allowed: allowed(def.items.values) }));
    }
    if (def.items.type === 'text' && def.items.maxLength && s.length > def.items.maxLength) {
      return bad(msg('param.itemMaxLength', { item: i + 1, max: def.items.maxLength }));
    }
    if (!out.includes(s)) out.push(s);
  }
  if (def.minItems !== undefined && out.length < def.minItems) return bad(msg('param.minItems', { min: def.minItems, got: out.length }));
  if (def.maxItems !== undefined && out.length > def.maxItems) return bad(msg('param.maxItems', { max: def.maxItems, got: out.length }));
  return { ok: true, value: out };
}

export type ValidationResult = { values: Values; errors: FieldError[] };

/**
 * Validates a whole set of values for a product. Every failing key is named with its reason. With
 * `requireComplete`, each applicable required parameter must be present (used when a draft is submitted).
 */
export function validateValues(
  catalog: Catalog, product: ProductFacts, raw: Record<string, unknown>, opts: { requireComplete?: boolean; pathPrefix?: string } = {},
): ValidationResult {
  const prefix = opts.pathPrefix ?? 'values.';
  const values: Values = {};
  const errors: FieldError[] = [];
  for (const key of Object.keys(raw).sort()) {
    const def = catalog.byKey.get(key);
    const path = prefix + key;
    if (!def) { errors.push(fe(path, msg('param.unknownKey', { version: catalog.version }))); continue; }
    if (!applies(def, product)) { errors.push(fe(path, notApplicableReason(def))); continue; }
    const r = normalizeValue(def, raw[key]);
    if (r.ok) values[key] = r.value;
    else errors.push(withMsgOf({ path, message: r.message }, r));
  }
  errors.push(...consistencyErrors(product, values, prefix));
  if (opts.requireComplete) {
    for (const def of applicableParameters(catalog, product)) {
      if (def.required && !(def.key in raw)) errors.push(fe(prefix + def.key, msg('param.required')));
    }
  }
  const speedMin = values['cdas.odd.speedMin'], speedMax = values['cdas.odd.speedMax'];
  if (typeof speedMin === 'number' && typeof speedMax === 'number' && speedMin > speedMax) {
    errors.push(fe(prefix + 'cdas.odd.speedMin', msg('param.speedRange', { min: speedMin, max: speedMax })));
  }
  return { values, errors };
}

function notApplicableReason(def: ParameterDef): Msg {
  const needs = [def.appliesWhen.cdas === true && 'cdas', def.appliesWhen.ota === true && 'ota',
    def.appliesWhen.cdas === false && 'noCdas', def.appliesWhen.ota === false && 'noOta'].filter((x): x is string => !!x);
  return msg(`param.notApplicable${needs.length > 1 ? '2' : '1'}`, Object.fromEntries(needs.map((n, i) => [`c${i + 1}`, msg(`param.when.${n}`)])));
}

/** The declared CDAS / OTA facts of the parameter set must agree with the product record. */
function consistencyErrors(product: ProductFacts, values: Values, prefix: string): FieldError[] {
  const errors: FieldError[] = [];
  if ('general.cdasFitted' in values && values['general.cdasFitted'] !== product.cdas) {
    errors.push(fe(prefix + 'general.cdasFitted', msg(product.cdas ? 'param.cdasTrue' : 'param.cdasFalse')));
  }
  if ('general.otaCapable' in values && values['general.otaCapable'] !== product.ota) {
    errors.push(fe(prefix + 'general.otaCapable', msg(product.ota ? 'param.otaTrue' : 'param.otaFalse')));
  }
  return errors;
}

export type DiffEntry = {
  key: string;
  label: Label;
  group: string | null;
  /** True when a change of this parameter is a main-parameter change; unknown keys count as main (the safe side). */
  main: boolean;
  inCatalog: boolean;
  change: 'added' | 'removed' | 'changed';
  old: ParamValue | null;
  new: ParamValue | null;
};

const comparable = (v: unknown) => canonicalJson(Array.isArray(v) ? [...v].map(String).sort() : v);

/** Field-level diff between two value sets; list order does not count as a change. Sorted by key. */
export function diffValues(catalog: Catalog, from: Record<string, unknown>, to: Record<string, unknown>): DiffEntry[] {
  const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
  const out: DiffEntry[] = [];
  for (const key of keys) {
    const inFrom = key in from && from[key] !== null && from[key] !== undefined;
    const inTo = key in to && to[key] !== null && to[key] !== undefined;
    if (inFrom && inTo && comparable(from[key]) === comparable(to[key])) continue;
    if (!inFrom && !inTo) continue;
    const def = catalog.byKey.get(key);
    out.push({
      key,
      label: def?.label ?? { zh: key, en: key },
      group: def?.group ?? null,
      main: def ? def.main : true,
      inCatalog: !!def,
      change: !inFrom ? 'added' : !inTo ? 'removed' : 'changed',
      old: inFrom ? (from[key] as ParamValue) : null,
      new: inTo ? (to[key] as ParamValue) : null,
    });
  }
  return out;
}

export type EvidenceItem = { key: string; validUntil: string | null; title: string; sha256: string };
export type EvidenceGap = { key: string; label: Label; reason: 'missing' | 'expired'; expiredOn?: string };
export type Completeness = {
  ready: boolean;
  applicable: number;
  filled: number;
  /** Share of applicable parameters and evidence needs met, 0-100. */
  percent: number;
  missing: { key: string; label: Label; required: boolean }[];
  evidenceMissing: EvidenceGap[];
  invalid: FieldError[];
  catalogVersion: string;
  provenance: 'official' | 'candidate';
  rules: RuleRef[];
};

/**
 * Whether a product's parameter set is ready to file: every applicable required parameter has a valid
 * value and every parameter that needs evidence has at least one report valid on `today`.
 */
export function completeness(catalog: Catalog, product: ProductFacts, values: Record<string, unknown>, evidence: EvidenceItem[], today: string): Completeness {
  const applicable = applicableParameters(catalog, product);
  const missing = applicable.filter((d) => d.required && (values[d.key] === undefined || values[d.key] === null))
    .map((d) => ({ key: d.key, label: d.label, required: d.required }));
  const present: Record<string, unknown> = {};
  for (const k of Object.keys(values)) if (values[k] !== null && values[k] !== undefined) present[k] = values[k];
  const invalid = validateValues(catalog, product, present).errors;
  const evidenceMissing: EvidenceGap[] = [];
  let evidenceNeeds = 0;
  for (const d of applicable) {
    if (d.evidence !== 'required') continue;
    evidenceNeeds++;
    const items = evidence.filter((e) => e.key === d.key);
    if (items.length === 0) { evidenceMissing.push({ key: d.key, label: d.label, reason: 'missing' }); continue; }
    const valid = items.filter((e) => e.validUntil === null || e.validUntil >= today);
    if (valid.length === 0) {
      const latest = items.map((e) => e.validUntil as string).sort().at(-1);
      evidenceMissing.push({ key: d.key, label: d.label, reason: 'expired', expiredOn: latest });
    }
  }
  const requiredCount = applicable.filter((d) => d.required).length;
  const total = requiredCount + evidenceNeeds;
  const met = requiredCount - missing.length + evidenceNeeds - evidenceMissing.length;
  return {
    ready: missing.length === 0 && evidenceMissing.length === 0 && invalid.length === 0,
    applicable: applicable.length,
    filled: applicable.filter((d) => present[d.key] !== undefined).length,
    percent: total === 0 ? 100 : Math.floor((met * 100) / total),
    missing,
    evidenceMissing,
    invalid,
    catalogVersion: catalog.version,
    provenance: catalog.provenance,
    rules: [RULES.applicability, RULES.completeness],
  };
}
