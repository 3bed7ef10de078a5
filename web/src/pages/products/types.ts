export type Label = { zh: string; en: string };
export type EnumValue = { value: string; label: Label };
export type ParameterDef = {
  key: string; group: 'general' | 'cdas' | 'ota'; label: Label; type: 'boolean' | 'text' | 'enum' | 'number' | 'list';
  appliesWhen: { cdas?: boolean; ota?: boolean }; main: boolean; evidence: 'required' | 'optional' | 'none'; required: boolean;
  provenance: 'official' | 'candidate'; source: { ref: string; note?: string };
  values?: EnumValue[]; unit?: { symbol: string; label: Label }; min?: number; max?: number; integer?: boolean; maxLength?: number;
  items?: { type: 'text'; maxLength?: number } | { type: 'enum'; values: EnumValue[] }; minItems?: number; maxItems?: number;
};
export type Catalog = {
  version: string; provenance: 'official' | 'candidate'; title: Label; notice?: Label;
  sources: Record<string, { title: string; url?: string }>; groups: { key: string; label: Label }[]; parameters: ParameterDef[];
};
export type Value = boolean | number | string | string[];
export type Product = {
  id: string; model: string; name: Label; category: string; manufacturer: Label | null; cdas: boolean; ota: boolean; automationLevel: number;
  access: { status: 'applying' | 'approved' | 'changed'; batch: string | null; approvalDate: string | null }; baselineVersion: number | null;
  createdAt: string; updatedAt: string;
};
export type ParameterSet = {
  id: string; productId: string; version: number | null; status: 'draft' | 'submitted' | 'approved'; catalogVersion: string;
  values: Record<string, Value>; unmapped: Record<string, { value: unknown; reason: string; fromCatalog: string }>; digest: string | null;
  basedOn: number | null; createdAt: string; updatedAt: string; submittedAt: string | null; submittedBy: string | null;
  approval: { reference: string; date: string; batch: string | null; recordedAt: string; recordedBy: string } | null;
};
export type Evidence = {
  id: string; sha256: string; size: number; contentType: string; filename: string | null; title: string; lab: string; reportNo: string;
  issuedOn: string; validUntil: string | null; uploadedBy: string; createdAt: string;
};
export type SetWithEvidence = ParameterSet & { evidence: (Evidence & { key: string })[] };
export type ProductDetail = Product & { sets: ParameterSet[]; draft: ParameterSet | null; baseline: ParameterSet | null };
export type Completeness = {
  productId: string; model: string; workingVersion: number | 'draft' | null; ready: boolean; applicable: number; filled: number; percent: number;
  missing: { key: string; label: Label; required: boolean }[];
  evidenceMissing: { key: string; label: Label; reason: 'missing' | 'expired'; expiredOn?: string }[];
  invalid: { path: string; message: string }[]; catalogVersion: string; provenance: 'official' | 'candidate';
};
export type Register = { items: (Completeness & { product: Product })[]; candidate: boolean };
export type Diff = {
  from: { version: number | null; catalogVersion: string }; to: { version: number | null; catalogVersion: string }; mainChanged: boolean;
  rules: { rule: string; source: string; regime: string; regimeVersion: string }[];
  changes: { key: string; label: Label; group: string | null; main: boolean; inCatalog: boolean; change: 'added' | 'removed' | 'changed'; old: unknown; new: unknown }[];
};
