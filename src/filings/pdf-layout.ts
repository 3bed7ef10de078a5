import { t } from '../i18n/index.ts';
import type { Bilingual } from '../pdf/writer.ts';
import type { FilingDocument } from './schemas/index.ts';

/**
 * What each kind's PDF shows, as pure data: sections of key-value blocks and tables. The renderer
 * draws them; keeping this separate lets tests check the content without parsing a PDF.
 */
export type Block =
  | { type: 'fields'; rows: Array<[Bilingual, string]> }
  | { type: 'table'; columns: Array<{ label: Bilingual; width: number; mono?: boolean }>; rows: string[][] }
  | { type: 'text'; text: string };
export type Section = { title: Bilingual; blocks: Block[] };

export const bi = (key: string, vars?: Record<string, unknown>): Bilingual => ({ zh: t('zh-CN', `filings:${key}`, vars), en: t('en', `filings:${key}`, vars) });
const both = (b: Bilingual) => (b.zh === b.en ? b.zh : `${b.zh} / ${b.en}`);
const yesNo = (v: boolean | null | undefined) => (v == null ? '—' : both(bi(v ? 'pdf.yes' : 'pdf.no')));
const val = (group: string, v: string | null | undefined) => (v == null ? '—' : both(bi(`values.${group}.${v}`)));
const text2 = (v: { zh: string; en: string }) => both(v);
const s = (v: unknown): string => {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return yesNo(v);
  if (Array.isArray(v)) return v.length ? v.map(s).join(', ') : '—';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
};
/** Nested report facts as dotted keys (`cdas.function`, `software.0.version`), so each fact gets its own row. */
function flatten(v: unknown, prefix = ''): Array<[string, unknown]> {
  const isPlain = (x: unknown) => x !== null && typeof x === 'object';
  if (!isPlain(v) || (Array.isArray(v) && !v.some(isPlain))) return prefix ? [[prefix, v]] : [];
  const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.keys(v as object).sort().map((k) => [k, (v as any)[k]] as const);
  return entries.flatMap(([k, x]) => flatten(x, prefix ? `${prefix}.${k}` : k));
}

/** Instants print in China Standard Time, as the regulators read them. */
const instant = (iso: string | null | undefined) => {
  if (!iso) return '—';
  const d = new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString();
  return `${d.slice(0, 10)} ${d.slice(11, 16)} (UTC+8)`;
};
const range = (r: { from: string | null; to: string | null } | null | undefined) => (r ? `${r.from ?? '…'} — ${r.to ?? '…'}` : '—');
const col = (key: string, width: number, mono = false) => ({ label: bi(key), width, mono });
const f = (key: string, value: string): [Bilingual, string] => [bi(key), value];
const sec = (key: string, ...blocks: Block[]): Section => ({ title: bi(`sections.${key}`), blocks });
const fields = (...rows: Array<[Bilingual, string]>): Block => ({ type: 'fields', rows });
type Columns = Array<{ label: Bilingual; width: number; mono?: boolean }>;
const table = (columns: Columns, rows: string[][]): Block => ({ type: 'table', columns, rows });

type Product = { id: string; model: string; name: { zh: string; en: string }; category: string; cdas: boolean; ota: boolean; automationLevel: number | null };
const productsSection = (products: Product[]) => sec('product', table(
  [col('fields.model', 2), col('fields.name', 3), col('fields.category', 1), col('fields.cdas', 1.2), col('fields.ota', 1.2), col('fields.automationLevel', 1.2)],
  products.map((p) => [p.model, text2(p.name), p.category, yesNo(p.cdas), yesNo(p.ota), s(p.automationLevel)]),
));

const campaignSection = (c: any, extra: Array<[Bilingual, string]> = []) => sec('campaign', fields(
  f('fields.campaignId', c.id), f('fields.releaseLabel', s(c.releaseLabel)), f('fields.purpose', c.purpose), f('fields.campaignDigest', c.contentDigest), ...extra,
));
const classificationSection = (c: any) => sec('classification',
  fields(f('fields.class', c.class), f('fields.recallFlag', yesNo(c.recall)), f('pdf.regime', `${c.regime} ${c.regimeVersion}`)),
  table([col('pdf.basis', 2), col('fields.reasons', 5)], c.reasons.map((r: any) => [`${r.rule}\n${r.source}`, r.text])));
const scopeSection = (sc: any) => sec('scope', fields(
  f('fields.vehicleCount', String(sc.vehicleCount)), f('fields.productionWindow', range(sc.productionWindow)),
  f('fields.vinRanges', sc.vinRanges.map((r: any) => `${r.from} — ${r.to}`).join('\n') || '—'), f('fields.vinListDigest', s(sc.vinListDigest)),
));
const softwareSection = (rows: any[]) => sec('software', table(
  [col('fields.ecu', 1.2), col('fields.partNumber', 1.6), col('fields.fromTo', 2), col('fields.swin', 2.2), col('pdf.sha256', 2.6, true), col('pdf.size', 1.2)],
  rows.map((r) => [r.ecu, r.partNumber, `${r.from} → ${r.to}`, `${r.swinFrom ?? '—'} → ${r.swinTo ?? '—'}`, r.sha256, String(r.size)]),
));
const changesSection = (rows: any[]) => sec('parameterChanges', rows.length ? table(
  [col('fields.parameter', 3), col('fields.from', 1.4), col('fields.to', 1.4), col('fields.unit', 1), col('fields.main', 1)],
  rows.map((r) => [`${text2(r.label)}\n${r.key}`, s(r.from), s(r.to), s(r.unit), yesNo(r.main)]),
) : { type: 'text', text: both(bi('pdf.none')) });
const functionsSection = (rows: any[]) => sec('functions', rows.length ? table(
  [col('fields.function', 3), col('fields.change', 1.5), col('fields.automationLevel', 1.5)],
  rows.map((r) => [r.name, val('change', r.change), s(r.automationLevel)]),
) : { type: 'text', text: both(bi('pdf.none')) });

function otaActivity(c: any): Section[] {
  return [
    campaignSection(c.campaign, [
      f('fields.otaType', val('otaType', c.otaType)), f('fields.requirementSource', val('requirementSource', c.requirementSource)),
      f('fields.release', range({ from: c.release.plannedStart, to: c.release.plannedEnd })), f('fields.recallNumber', s(c.recall?.number)),
    ]),
    productsSection(c.products),
    classificationSection(c.classification),
    scopeSection(c.scope),
    sec('software', ...softwareSection(c.software).blocks, table([col('fields.ecu', 1), col('fields.prerequisiteVersions', 4)],
      c.prerequisiteVersions.map((p: any) => [p.ecu, p.versions.join(', ')]))),
    functionsSection(c.functions),
    changesSection(c.parameterChanges),
    sec('affects', fields(f('fields.typeApprovedSystems', yesNo(c.affects.typeApprovedSystems)), f('fields.mainParameters', yesNo(c.affects.mainParameters)),
      f('fields.automatedDriving', yesNo(c.affects.automatedDriving)), f('sections.rationale', c.affects.rationale))),
    sec('safety', fields(f('fields.vehicleState', c.safety.vehicleState), f('fields.energy', c.safety.energy),
      f('fields.failureHandling', c.safety.failureHandling), f('fields.rollback', c.safety.rollback))),
    sec('userNotice', fields(f('fields.noticeBefore', c.userNotice.before), f('fields.noticeAfter', c.userNotice.after))),
  ];
}

const LAYOUTS: Record<FilingDocument['filing']['kind'], (c: any) => Section[]> = {
  'supplementary-parameters': (c) => [
    productsSection([c.product]),
    sec('parameterSet', fields(f('fields.basisRule', c.basis), f('fields.parameterVersion', String(c.parameterSet.version)),
      f('fields.frozenAt', instant(c.parameterSet.frozenAt)), f('fields.catalogVersion', c.parameterSet.catalogVersion),
      f('fields.approval', c.parameterSet.approval ? `${c.parameterSet.approval.reference} (${c.parameterSet.approval.date})` : '—'))),
    sec('parameters', table(
      [col('fields.parameter', 3.2), col('fields.value', 1.6), col('fields.unit', 0.9), col('fields.main', 0.9), col('fields.evidence', 2.4, true)],
      c.parameters.map((p: any) => [`${text2(p.label)}\n${p.key}`, s(p.value), s(p.unit), yesNo(p.main), p.evidence.map((h: string) => h.slice(0, 16) + '…').join('\n') || '—']),
    )),
    sec('completeness', fields(f('fields.ready', yesNo(c.completeness.ready)), f('fields.missing', s(c.completeness.missing)),
      f('fields.evidenceMissing', s(c.completeness.evidenceMissing)))),
  ],
  'sandbox-documents': (c) => [
    productsSection([c.product]),
    sec('documents', fields(f('fields.accessPermit', c.accessPermit ? `${c.accessPermit.reference} (${c.accessPermit.grantedOn})` : '—')),
      table([col('fields.role', 2), col('pdf.filename', 3), col('pdf.sha256', 3, true)],
        c.documents.map((d: any) => [val('sandboxRole', d.role), `${d.evidence.title ?? ''}\n${d.evidence.filename}`, d.evidence.sha256]))),
  ],
  'ota-filing-miit': otaActivity,
  'ota-filing-samr': (c) => [
    sec('infoSheet', fields(
      f('fields.producer', `${text2(c.infoSheet.producer.name)}${c.infoSheet.producer.uscc ? `\n${c.infoSheet.producer.uscc}` : ''}`),
      f('pdf.importer', c.infoSheet.producer.importer ? `${text2(c.infoSheet.producer.importer.name)}\n${c.infoSheet.producer.importer.uscc ?? ''}` : '—'),
      f('fields.models', c.infoSheet.vehicle.models.join(', ')), f('fields.vehicleCount', String(c.infoSheet.vehicle.vehicleCount)),
      f('fields.productionWindow', range(c.infoSheet.vehicle.productionWindow)), f('fields.otaType', val('otaType', c.infoSheet.otaType)),
      f('fields.releaseTime', c.infoSheet.releaseTime), f('fields.upgradePeriod', range(c.infoSheet.upgradePeriod)),
      f('fields.requirementSource', val('requirementSource', c.infoSheet.requirementSource)), f('fields.purpose', c.infoSheet.purpose),
      f('fields.failureHandling', c.infoSheet.failureHandling),
      f('fields.earliestRelease', c.earliestRelease ? `${c.earliestRelease.date}${c.earliestRelease.provisional ? ' (provisional)' : ''} · ${c.earliestRelease.rule}` : '—'),
    )),
    sec('upgradePackages', table([col('fields.ecu', 1), col('pdf.sha256', 4, true), col('pdf.size', 1.2)],
      c.upgradePackages.map((p: any) => [p.ecu, p.sha256, String(p.size)]))),
    ...otaActivity(c),
  ],
  'change-permit': (c) => [
    campaignSection(c.campaign), productsSection(c.products), classificationSection(c.classification),
    changesSection(c.parameterChanges), functionsSection(c.functions), sec('rationale', { type: 'text', text: c.rationale }),
  ],
  'recall-filing': (c) => [
    sec('recall', fields(f('fields.recallNumber', s(c.recall.number)), f('fields.defect', c.recall.defect), f('fields.cause', s(c.recall.cause)),
      f('fields.risk', c.recall.risk), f('fields.remedy', c.recall.remedy), f('fields.decidedOn', c.recall.decidedOn),
      f('fields.productionStopped', `${yesNo(c.recall.productionStopped)}${c.recall.productionStoppedOn ? ` (${c.recall.productionStoppedOn})` : ''}`),
      f('fields.plan', range({ from: c.recall.plan.start, to: c.recall.plan.end })))),
    campaignSection(c.campaign), productsSection(c.products), scopeSection(c.scope), softwareSection(c.software),
  ],
  'implementation-report': (c) => [
    campaignSection(c.campaign, [f('fields.filedContentDigest', c.filedContentDigest)]), productsSection(c.products),
    sec('implementation', fields(f('fields.period', range(c.period)), f('fields.final', yesNo(c.final)), f('fields.completedAt', instant(c.completedAt)))),
    sec('counts', fields(...(['targeted', 'succeeded', 'failed', 'notReached', 'unconfirmed', 'outsideScope'] as const).map((k) => f(`fields.${k}`, String(c.counts[k]))))),
    sec('deviations', c.deviations.length ? table([col('fields.eventKind', 1.5), col('fields.count', 1), col('fields.note', 4)],
      c.deviations.map((d: any) => [d.kind, String(d.count), d.note])) : { type: 'text', text: both(bi('pdf.none')) }),
  ],
  'incident-report': (c) => [
    sec('incident', fields(f('fields.incidentId', c.incident.id), f('fields.reportVersion', `${c.report.reportId} v${c.report.version}`),
      f('fields.reportType', c.report.type), f('fields.severity', s(c.decision.severity ?? c.incident.severity)),
      f('fields.severityRule', c.decision.rules.map((r: any) => `${r.rule} · ${r.source}`).join('\n') || '—'),
      f('fields.reasons', c.decision.reasons.join('\n') || '—'),
      f('fields.awarenessAt', instant(c.incident.awareAt)), f('fields.awarenessSource', s(c.incident.source)),
      f('fields.dueAt', c.decision.deadlines.map((d: any) => `${d.kind}: ${d.due ? instant(d.due) : d.when}`).join('\n') || '—'))),
    sec('event', fields(f('fields.occurredAt', instant(c.incident.occurredAt)), f('fields.eventKind', `${s(c.incident.kind)} / ${s(c.incident.type)}`),
      f('fields.vin', s(c.incident.vin)), f('fields.vinCheck', s(c.incident.vinStatus)))),
    sec('facts', table([col('fields.key', 2), col('fields.value', 5)],
      flatten(c.report.content).map(([k, v]) => [k, s(v)]))),
    sec('narrative', table([col('fields.at', 1.3), col('fields.text', 5)], c.narrative.map((n: any) => [`${instant(n.at)}\nv${n.version}`, n.text]))),
    sec('previousVersions', table([col('fields.reportVersion', 1), col('fields.reportType', 1.2), col('fields.at', 1.6), col('pdf.sha256', 4, true)],
      c.versions.map((v: any) => [`v${v.version}`, v.type, instant(v.createdAt), v.digest]))),
  ],
};

/** The cover facts of any filing. */
export function coverFields(doc: FilingDocument): Array<[Bilingual, string]> {
  const m = doc.manufacturer;
  const rows: Array<[Bilingual, string]> = [
    f('pdf.addressee', both(bi(`authorities.${doc.filing.addressee}`))),
    f('pdf.manufacturer', `${text2(m.name)}${m.uscc ? `\n${bi('pdf.uscc').zh} ${m.uscc}` : ''}${m.country ? `\n${m.country}` : ''}`),
  ];
  if (m.importer) rows.push(f('pdf.importer', `${text2(m.importer.name)}${m.importer.uscc ? `\n${m.importer.uscc}` : ''}`));
  rows.push(
    f('pdf.subject', `${doc.subject.type} ${doc.subject.id}`),
    f('pdf.filingId', doc.filing.id),
    f('pdf.version', String(doc.filing.version)),
    f('pdf.supersedes', doc.filing.supersedes ?? '—'),
    f('pdf.preparedAt', instant(doc.filing.preparedAt)),
    f('pdf.preparedBy', doc.filing.preparedBy),
    f('pdf.basis', doc.basis.map((b) => `${b.rule} — ${b.source}`).join('\n')),
    f('pdf.regime', `${doc.regime.id} ${doc.regime.version}`),
  );
  return rows;
}

export function sectionsOf(doc: FilingDocument): Section[] {
  return LAYOUTS[doc.filing.kind](doc.content);
}
