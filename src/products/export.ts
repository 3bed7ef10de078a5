import { t, type Locale } from '../i18n/index.ts';
import type { RegisterRow } from './queries.ts';

const cell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  // Quote everything that could break a row; a leading = + - @ is neutralised against spreadsheet formulas.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** The completeness register as CSV (UTF-8 with BOM so spreadsheet programs read Chinese correctly). */
export function registerCsv(rows: RegisterRow[], lang: Locale): string {
  const h = (k: string) => t(lang, `products:csv.${k}`);
  const yes = t(lang, 'products:yes'), no = t(lang, 'products:no');
  const header = ['model', 'nameZh', 'nameEn', 'category', 'access', 'cdas', 'ota', 'workingVersion', 'catalogVersion', 'provenance', 'percent', 'ready', 'missing', 'evidenceMissing', 'note'].map(h);
  const lines = [header.map(cell).join(',')];
  for (const r of rows) {
    lines.push([
      r.product.model, r.product.name.zh, r.product.name.en, r.product.category, t(lang, `products:access.${r.product.access.status}`),
      r.product.cdas ? yes : no, r.product.ota ? yes : no, r.workingVersion ?? '', r.catalogVersion, r.provenance, r.percent, r.ready ? yes : no,
      r.missing.map((m) => m.key).join('; '),
      r.evidenceMissing.map((e) => e.reason === 'expired' ? `${e.key} (${e.expiredOn})` : e.key).join('; '),
      r.provenance === 'candidate' ? h('candidateNote') : '',
    ].map(cell).join(','));
  }
  return '\ufeff' + lines.join('\r\n') + '\r\n';
}
