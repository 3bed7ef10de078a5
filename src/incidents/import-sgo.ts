/**
 * Import of the NHTSA SGO 2021-01 CSV. Every data row ends as imported, unchanged (the same version
 * was imported before) or rejected with its line and reason. Rows are report versions: chains are
 * rebuilt per Report ID; one case per incident (Same Incident ID). The SGO file has no awareness
 * time, so the clock starts at `awareAt` (default: the time of import), recorded in the decision.
 */
import { createHash } from 'node:crypto';
import type { Actor } from '../platform/audit.ts';
import { digestOf } from '../platform/canonical.ts';
import { fieldError, msg, validationFailed } from '../platform/errors.ts';
import { unitOfWork, type Deps } from '../platform/usecase.ts';
import { assessReportability, incidentPolicy, type IncidentFacts } from '../regimes/cn-2025/incidents.ts';
import { openCases, type OpenCase } from './cases.ts';
import { parseCsv } from './csv.ts';
import type { ImportResult } from './model.ts';
import { graver } from './rules.ts';
import { mapSgoRow, sgoLayout, versionChain, type SgoLayout, type SgoReport } from './sgo.ts';
import * as store from './store.ts';

type Rejection = ImportResult['rejected'][number];

/** Pure part: parse and map; duplicates of a (Report ID, Version) inside the file are rejected. */
export async function readSgo(chunks: AsyncIterable<string | Buffer> | Iterable<string | Buffer>) {
  const hash = createHash('sha256');
  const reports: SgoReport[] = [];
  const rejected: Rejection[] = [];
  const seen = new Map<string, { line: number; digest: string }>();
  let layout: SgoLayout | undefined;
  let rows = 0;
  async function* hashed() {
    for await (const c of chunks as AsyncIterable<string | Buffer>) { hash.update(c); yield c; }
  }
  for await (const rec of parseCsv(hashed())) {
    if (!layout) {
      const l = sgoLayout(rec.fields);
      if (!l.ok) throw validationFailed(l.missing.map((c) => fieldError(`header.${c}`, msg('incidents.columnMissing'), rec.line)), msg('incidents.notSgo'));
      layout = l.layout;
      continue;
    }
    rows++;
    if (rec.error) { rejected.push({ line: rec.line, reason: `CSV: ${rec.error}` }); continue; }
    const m = mapSgoRow(layout, rec.line, rec.fields);
    if (!m.ok) { rejected.push({ line: m.line, reason: m.reason, ...(m.reportId ? { reportId: m.reportId } : {}), ...(m.version ? { version: m.version } : {}) }); continue; }
    const key = `${m.report.reportId}#${m.report.version}`;
    const digest = digestOf({ content: m.report.content, narrative: m.report.narrative });
    const first = seen.get(key);
    if (first) {
      rejected.push({ line: rec.line, reportId: m.report.reportId, version: m.report.version, reason: `Report ID ${m.report.reportId} version ${m.report.version} already appears on line ${first.line}${first.digest === digest ? ' (identical)' : ' with different content'}` });
      continue;
    }
    seen.set(key, { line: rec.line, digest });
    reports.push(m.report);
  }
  if (!layout) throw validationFailed([fieldError('body', msg('evidence.fileEmpty'))]);
  return { reports, rejected, rows, digest: hash.digest('hex') };
}

export async function importSgo(deps: Deps, actor: Actor, input: { body: AsyncIterable<string | Buffer> | Iterable<string | Buffer>; awareAt?: string }): Promise<ImportResult & { rows: number }> {
  const file = await readSgo(input.body);
  return unitOfWork(deps, actor, async (u) => {
    const aware = input.awareAt ? new Date(input.awareAt) : u.now;
    const p = incidentPolicy(await store.tenantPolicy(u.sql, u.tenantId));
    const rejected = [...file.rejected];
    const existing = new Map((await store.existingReportVersions(u.sql, u.tenantId, [...new Set(file.reports.map((r) => r.reportId))]))
      .map((e) => [`${e.report_id}#${e.version}`, e]));
    const fresh: (SgoReport & { digest: string })[] = [];
    let unchanged = 0;
    for (const r of file.reports) {
      const digest = digestOf({ content: r.content, narrative: r.narrative, type: r.reportType, version: r.version, reportId: r.reportId });
      const had = existing.get(`${r.reportId}#${r.version}`);
      if (!had) fresh.push({ ...r, digest });
      else if (had.digest === digest) unchanged++;
      else rejected.push({ line: r.line, reportId: r.reportId, version: r.version, reason: `Report ID ${r.reportId} version ${r.version} was imported before with different content; versions are never rewritten` });
    }
    // One case per incident; its severity is the gravest of the latest version of each of its reports.
    const byIncident = new Map<string, (SgoReport & { digest: string })[]>();
    for (const r of fresh) byIncident.set(r.incidentKey, [...(byIncident.get(r.incidentKey) ?? []), r]);
    const cases = new Map((await store.findIncidentsByKeys(u.sql, u.tenantId, [...byIncident.keys()])).map((i) => [i.case_key, i]));
    const toOpen: OpenCase[] = [];
    for (const [key, reps] of byIncident) {
      if (cases.has(key)) continue;
      const latest = [...reps].sort((a, b) => b.version - a.version);
      let facts: IncidentFacts = latest[0].facts;
      for (const r of latest) {
        if (graver(assessReportability(r.facts, aware, p).severity, assessReportability(facts, aware, p).severity) !== assessReportability(facts, aware, p).severity) facts = r.facts;
      }
      const decision = assessReportability(facts, aware, p);
      const top = latest[0];
      toOpen.push({
        caseKey: key, kind: 'external-report', source: 'nhtsa-sgo', type: 'collision', vin: top.vin, vinStatus: top.vinStatus, occurredAt: null,
        awareAt: aware, decision: { ...decision, awarenessBasis: input.awareAt ? 'given at import' : 'time of import (the SGO layout has no awareness time)' } as typeof decision,
        facts, events: 0,
        summary: { manufacturer: top.content.manufacturer, product: top.content.product, month: (top.content.occurred as any)?.month ?? null, region: (top.content.occurred as any)?.region ?? null, city: (top.content.occurred as any)?.city ?? null },
      });
    }
    let opened = 0;
    for (const row of await openCases(u, toOpen)) if (row) { cases.set(row.case_key, row); opened++; }
    const imported = await store.insertReports(u.sql, u.tenantId, fresh.map((r) => ({
      incidentId: cases.get(r.incidentKey)!.id, reportId: r.reportId, version: r.version, type: r.reportType, content: JSON.stringify(r.content),
      narrative: r.narrative, digest: r.digest, line: r.line, personal: Object.keys(r.personal).length ? JSON.stringify(r.personal) : null,
    })), u.now, { id: actor.id, name: actor.name, type: actor.type });
    const versions = new Map<string, number[]>();
    for (const r of file.reports) versions.set(r.reportId, [...(versions.get(r.reportId) ?? []), r.version]);
    const withGaps = [...versions.values()].filter((v) => versionChain(v).missing.length > 0).length;
    rejected.sort((a, b) => a.line - b.line);
    const result = { imported, unchanged, rejected, cases: opened, chains: versions.size, chainsWithGaps: withGaps, rows: file.rows };
    await u.audit({
      action: 'incident.sgo_imported', subjectType: 'incident_import', subjectId: file.digest.slice(0, 32),
      after: { digest: file.digest, rows: file.rows, imported, unchanged, rejected: rejected.length },
      data: { digest: file.digest, format: 'nhtsa-sgo', rows: file.rows, imported, unchanged, rejected: rejected.length, casesOpened: opened },
    });
    return result;
  });
}
