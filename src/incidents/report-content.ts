/**
 * The content of one report version as canonical JSON for the filings slice (package kind
 * 'incident-report'). Same stored version -> same bytes. Personal data only when asked.
 */
import { AppError, msg, notFound } from '../platform/errors.ts';
import type { Sql } from '../platform/db.ts';
import { REGIME } from '../regimes/cn-2025/index.ts';
import * as store from './store.ts';

/** The chain a case's reports go to: its own (report id = incident id), else the first imported one. */
export function primaryReportId(incidentId: string, reports: store.ReportRow[]): string {
  if (reports.length === 0 || reports.some((r) => r.report_id === incidentId)) return incidentId;
  return [...new Set(reports.map((r) => r.report_id))].sort()[0];
}

export async function incidentReportContent(sql: Sql, tenantId: string, incidentId: string, version?: number, opts: { includePersonal?: boolean } = {}) {
  const inc = await store.getIncident(sql, tenantId, incidentId);
  if (!inc) throw notFound('incident', incidentId);
  const all = await store.reportsOf(sql, tenantId, incidentId);
  const reportId = primaryReportId(incidentId, all);
  const chain = all.filter((r) => r.report_id === reportId);
  if (chain.length === 0) throw new AppError('not_found', msg('incidents.noReportYet', { id: incidentId }), { details: { id: incidentId } });
  const target = version === undefined ? chain.at(-1)! : chain.find((r) => r.version === version);
  if (!target) throw new AppError('not_found', msg('incidents.reportVersionNotFound', { reportId, version: String(version) }), { details: { id: String(version) } });
  const upTo = chain.filter((r) => r.version <= target.version);
  const personal = opts.includePersonal ? (await store.reportPersonal(sql, tenantId, reportId)).filter((p) => p.version <= target.version) : [];
  const d = inc.decision ?? {};
  return {
    regime: REGIME.id,
    regimeVersion: REGIME.version,
    incident: {
      id: inc.id, kind: inc.kind, source: inc.source, type: inc.type, severity: inc.severity, reportable: inc.reportable, vin: inc.vin,
      vinStatus: inc.vin_status, occurredAt: inc.occurred_at?.toISOString() ?? null, awareAt: inc.aware_at.toISOString(),
    },
    report: { reportId, version: target.version, type: target.type, digest: target.digest, createdAt: target.created_at.toISOString(), content: target.content },
    versions: upTo.map((r) => ({ version: r.version, type: r.type, digest: r.digest, createdAt: r.created_at.toISOString() })),
    narrative: upTo.filter((r) => r.narrative).map((r) => ({ version: r.version, text: r.narrative, at: r.created_at.toISOString() })),
    decision: { severity: d.severity ?? null, reportable: d.reportable ?? false, reasons: d.reasons ?? [], rules: d.rules ?? [], deadlines: d.deadlines ?? [], policy: d.policy ?? null },
    redacted: !opts.includePersonal,
    ...(opts.includePersonal ? { personal: personal.map((p) => ({ version: p.version, data: p.data })) } : {}),
  };
}
