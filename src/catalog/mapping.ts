// Turns the rows of the official template into catalog data, guided by a mapping of columns to
// catalog fields. Every bad cell is reported with its line; nothing is guessed silently.
import { z } from 'zod';
import { fieldError, msg, type FieldError, type Msg } from '../platform/errors.ts';
import type { CatalogData } from '../regimes/cn-2025/catalog/index.ts';
import type { Table } from './tabular.ts';

const FIELDS = ['key', 'labelZh', 'labelEn', 'group', 'type', 'unit', 'values', 'min', 'max', 'appliesWhen', 'main', 'evidence', 'required', 'itemType'] as const;

export const Mapping = z.object({
  version: z.string().trim().min(1).max(60).describe('name of the new catalog version, e.g. official-2025-06'),
  provenance: z.enum(['official', 'candidate']).default('official'),
  title: z.object({ zh: z.string().min(1), en: z.string().min(1) }).optional(),
  source: z.object({ title: z.string().min(1), url: z.string().url().optional() }).describe('where the template comes from'),
  sheet: z.string().optional().describe('XLSX sheet name; default the first sheet'),
  headerRow: z.number().int().min(1).default(1),
  columns: z.partialRecord(z.enum(FIELDS), z.string().min(1)).describe('catalog field -> column header in the template'),
  keys: z.record(z.string(), z.string()).optional().describe('when the template has no key column: Chinese label -> catalog key'),
  codes: z.object({
    group: z.record(z.string(), z.enum(['general', 'cdas', 'ota'])).optional(),
    type: z.record(z.string(), z.enum(['enum', 'number', 'boolean', 'text', 'list'])).optional(),
    appliesWhen: z.record(z.string(), z.enum(['always', 'cdas', 'ota', 'cdas+ota'])).optional(),
    evidence: z.record(z.string(), z.enum(['required', 'optional', 'none'])).optional(),
    yes: z.array(z.string()).optional(),
    no: z.array(z.string()).optional(),
  }).default({}),
  defaults: z.object({
    group: z.enum(['general', 'cdas', 'ota']).optional(),
    type: z.enum(['enum', 'number', 'boolean', 'text', 'list']).optional(),
    main: z.boolean().default(true),
    evidence: z.enum(['required', 'optional', 'none']).default('none'),
    required: z.boolean().default(true),
  }).default({ main: true, evidence: 'none', required: true }),
}).strict().superRefine((m, ctx) => {
  if (!m.columns.key && !(m.columns.labelZh && m.keys)) ctx.addIssue({ code: 'custom', path: ['columns', 'key'], message: 'map a key column, or map labelZh and give keys (label -> key)' });
  if (!m.columns.labelZh) ctx.addIssue({ code: 'custom', path: ['columns', 'labelZh'], message: 'required: the Chinese parameter name column' });
});
export type Mapping = z.infer<typeof Mapping>;

const YES = ['是', 'y', 'yes', 'true', '1', '√', '✓'];
const NO = ['否', 'n', 'no', 'false', '0', '×', ''];
const SPLIT = /[;；|\n]+/;

export function buildCatalog(table: Table, m: Mapping): { data: CatalogData; lines: number[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const header = (table.rows[m.headerRow - 1] ?? []).map((h) => h.trim());
  const col: Partial<Record<(typeof FIELDS)[number], number>> = {};
  for (const [field, name] of Object.entries(m.columns) as [(typeof FIELDS)[number], string][]) {
    const i = header.indexOf(name.trim());
    if (i < 0) errors.push(fieldError(`mapping.columns.${field}`, msg('catalog.columnMissing', { name, header: header.filter(Boolean).join(', ') }), m.headerRow));
    else col[field] = i;
  }
  const parameters: unknown[] = [];
  const lines: number[] = [];
  const sources: CatalogData['sources'] = { TEMPLATE: m.source };
  if (errors.length) return { data: null as unknown as CatalogData, lines, errors };

  for (let r = m.headerRow; r < table.rows.length; r++) {
    const row = table.rows[r];
    const line = r + 1;
    const cell = (f: (typeof FIELDS)[number]) => (col[f] === undefined ? '' : (row[col[f]!] ?? '').trim());
    if (row.every((c) => (c ?? '').trim() === '')) continue;
    const bad = (field: string, message: Msg) => errors.push(fieldError(`line ${line}: ${m.columns[field as keyof typeof m.columns] ?? field}`, message, line));
    const code = <T extends string>(field: 'group' | 'type' | 'appliesWhen' | 'evidence', allowed: readonly T[], fallback?: T): T | undefined => {
      const raw = cell(field);
      if (raw === '') { if (fallback === undefined) bad(field, msg('catalog.required')); return fallback; }
      const mapped = (m.codes[field] as Record<string, string> | undefined)?.[raw] ?? raw;
      if (!(allowed as readonly string[]).includes(mapped)) { bad(field, msg('catalog.codeNotMapped', { raw, allowed: allowed.join(', '), field })); return undefined; }
      return mapped as T;
    };
    const bool = (field: 'main' | 'required', fallback: boolean): boolean => {
      const raw = cell(field);
      if (col[field] === undefined || raw === '') return fallback;
      const l = raw.toLowerCase();
      if ([...YES, ...(m.codes.yes ?? [])].map((x) => x.toLowerCase()).includes(l)) return true;
      if ([...NO, ...(m.codes.no ?? [])].map((x) => x.toLowerCase()).includes(l)) return false;
      bad(field, msg('catalog.notYesNo', { raw }));
      return fallback;
    };
    const num = (field: 'min' | 'max') => {
      const raw = cell(field);
      if (raw === '') return undefined;
      const n = Number(raw);
      if (!Number.isFinite(n)) { bad(field, msg('catalog.notNumber', { raw })); return undefined; }
      return n;
    };
    const labelZh = cell('labelZh');
    const key = col.key !== undefined ? cell('key') : m.keys?.[labelZh];
    if (!key) { bad(col.key !== undefined ? 'key' : 'labelZh', col.key !== undefined ? msg('catalog.required') : msg('catalog.noKeyFor', { label: labelZh })); continue; }
    const type = code('type', ['enum', 'number', 'boolean', 'text', 'list'] as const, m.defaults.type);
    const group = code('group', ['general', 'cdas', 'ota'] as const, m.defaults.group);
    const applies = code('appliesWhen', ['always', 'cdas', 'ota', 'cdas+ota'] as const, 'always');
    const evidence = code('evidence', ['required', 'optional', 'none'] as const, m.defaults.evidence);
    const values = cell('values').split(SPLIT).map((s) => s.trim()).filter(Boolean).map((item) => {
      const [value, zh, en] = item.split('=').map((s) => s.trim());
      return { value, label: { zh: zh || value, en: en || zh || value } };
    });
    const p: Record<string, unknown> = {
      key, group, type, label: { zh: labelZh, en: cell('labelEn') || labelZh },
      appliesWhen: applies === 'cdas' ? { cdas: true } : applies === 'ota' ? { ota: true } : applies === 'cdas+ota' ? { cdas: true, ota: true } : {},
      main: bool('main', m.defaults.main), evidence, required: bool('required', m.defaults.required),
      provenance: m.provenance, source: { ref: 'TEMPLATE', note: `line ${line}` },
    };
    if (type === 'enum') p.values = values;
    if (type === 'number') {
      const unit = cell('unit');
      if (!unit) bad('unit', msg('catalog.unitRequired'));
      p.unit = { symbol: unit || '?', label: { zh: unit || '?', en: unit || '?' } };
      const min = num('min'), max = num('max');
      if (min !== undefined) p.min = min;
      if (max !== undefined) p.max = max;
    }
    if (type === 'list') p.items = values.length ? { type: 'enum', values } : { type: 'text' };
    parameters.push(p);
    lines.push(line);
  }
  const data = {
    regime: 'cn-2025', version: m.version, provenance: m.provenance,
    title: m.title ?? { zh: `附件2 技术参数（${m.version}）`, en: `Annex 2 technical parameters (${m.version})` },
    sources,
    groups: [
      { key: 'general', label: { zh: '通用', en: 'General' } },
      { key: 'cdas', label: { zh: '组合驾驶辅助系统', en: 'Combined driving assistance (CDAS)' } },
      { key: 'ota', label: { zh: '软件在线升级（OTA）', en: 'Over-the-air update (OTA)' } },
    ],
    parameters,
  } as CatalogData;
  return { data, lines, errors };
}
