/**
 * The packages icvgate builds for the regulators. Each kind names its addressees, what it is about,
 * the rules that require it, and the versioned schema of its canonical JSON.
 */
export const AUTHORITIES = ['MIIT', 'SAMR'] as const;
export type Authority = (typeof AUTHORITIES)[number];

export const SUBJECT_TYPES = ['product', 'campaign', 'incident'] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];

export const FILING_KINDS = [
  'supplementary-parameters',
  'sandbox-documents',
  'ota-filing-miit',
  'ota-filing-samr',
  'change-permit',
  'recall-filing',
  'implementation-report',
  'incident-report',
] as const;
export type FilingKind = (typeof FILING_KINDS)[number];

export type KindDef = {
  kind: FilingKind;
  subjectType: SubjectType;
  /** Allowed addressees; the first is the default when the request names none. */
  addressees: readonly Authority[];
  /** Obligation rule ids (cn-2025 rule pack) this package discharges. */
  rules: readonly string[];
  schemaId: string;
};

const def = (kind: FilingKind, subjectType: SubjectType, addressees: Authority[], rules: string[], v = 1): KindDef => ({
  kind, subjectType, addressees, rules, schemaId: `icvgate/filing/${kind}/v${v}`,
});

export const KINDS: Record<FilingKind, KindDef> = {
  'supplementary-parameters': def('supplementary-parameters', 'product', ['MIIT', 'SAMR'], ['N45-2', 'N45-3']),
  'sandbox-documents': def('sandbox-documents', 'product', ['SAMR'], ['N45-4']),
  'ota-filing-miit': def('ota-filing-miit', 'campaign', ['MIIT'], ['N45-6', 'M22-1']),
  'ota-filing-samr': def('ota-filing-samr', 'campaign', ['SAMR'], ['N45-6', 'S20-1', 'S21-1']),
  'change-permit': def('change-permit', 'campaign', ['MIIT'], ['N45-7', 'N45-7c']),
  'recall-filing': def('recall-filing', 'campaign', ['SAMR'], ['N45-8', 'S20-2']),
  'implementation-report': def('implementation-report', 'campaign', ['MIIT'], ['M22-3']),
  'incident-report': def('incident-report', 'incident', ['MIIT', 'SAMR'], ['N45-5', 'S20-3']),
};

/** Where each rule a package discharges comes from (obligations.md); printed on the cover. */
export const RULE_SOURCES: Record<string, string> = {
  'N45-2': '工信部联通装〔2025〕45号 item 2; Annex 2',
  'N45-3': '工信部联通装〔2025〕45号 item 2 (products already approved, by 2025-06-01)',
  'N45-4': '工信部联通装〔2025〕45号 item 3 (sandbox supervision)',
  'N45-5': '工信部联通装〔2025〕45号 item 4',
  'N45-6': '工信部联通装〔2025〕45号 item 6',
  'N45-7': '工信部联通装〔2025〕45号 item 7',
  'N45-7c': '工信部联通装〔2025〕45号 item 7 (automated driving functions)',
  'N45-8': '工信部联通装〔2025〕45号 item 8',
  'M22-1': 'MIIT 2022 OTA filing notice (three-tier filing)',
  'M22-3': 'MIIT 2022 OTA filing notice (implementation report)',
  'S20-1': 'SAMR 2020 OTA recall-management notice',
  'S20-2': 'SAMR 2020 OTA recall-management notice (recall by OTA)',
  'S20-3': 'SAMR 2020 OTA recall-management notice (intrusion, remote control)',
  'S21-1': 'SAMR 2021 OTA filing supplement (safety technical assessment information sheet)',
};
