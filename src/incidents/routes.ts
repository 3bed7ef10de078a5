import { z } from 'zod';
import { can } from '../access/policy.ts';
import { AppError, msg } from '../platform/errors.ts';
import type { App } from '../platform/http.ts';
import { readScope, type Deps } from '../platform/usecase.ts';
import { addReport } from './add-report.ts';
import { importSgo } from './import-sgo.ts';
import { intakeEvents } from './intake-events.ts';
import { AssessmentDecision, ImportResult, IntakeResult, NewReport } from './model.ts';
import { getIncident, listIncidents } from './queries.ts';
import { incidentReportContent } from './report-content.ts';
import { decideAssessment, getSignals } from './signals.ts';

const tags = ['incidents'];
const Params = z.object({ incidentId: z.string().max(100) });
const Bool = z.enum(['true', 'false']).optional().transform((v) => v === 'true');
const Loose = z.record(z.string(), z.any());
const IncidentSummary = z.object({
  id: z.string(), kind: z.string(), source: z.string(), type: z.string().nullable(), severity: z.string().nullable(), reportable: z.boolean(),
  status: z.string(), vin: z.string().nullable(), vinStatus: z.string().nullable(), occurredAt: z.string().nullable(), awareAt: z.string(),
  nextDueAt: z.string().nullable(), secondsLeft: z.number().nullable(), overdue: z.boolean(), eventCount: z.number(), summary: Loose, decision: Loose,
  createdAt: z.string(), updatedAt: z.string(),
});

function wantPersonal(actor: import('../platform/audit.ts').Actor, asked: boolean): boolean {
  if (asked && !can(actor, 'incidents:personal')) throw new AppError('forbidden', msg('incidents.personalPermission'), { details: { permission: 'incidents:personal' } });
  return asked;
}

export async function incidentRoutes(app: App, deps: Deps) {
  app.post('/api/v1/incidents/events', {
    schema: {
      tags, summary: 'One event (application/json) or an NDJSON batch (application/x-ndjson); Idempotency-Key replays a re-sent batch',
      headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }).passthrough(),
      response: { 200: IntakeResult, 201: IntakeResult },
    },
    config: { permission: 'incidents:intake' },
  }, async (req, reply) => {
    const type = String(req.headers['content-type'] ?? '').split(';')[0].trim();
    if (type !== 'application/json' && type !== 'application/x-ndjson') {
      throw new AppError('unsupported_media_type', msg('incidents.sendJsonOrNdjson'));
    }
    const r = await intakeEvents(deps, req.actor, {
      body: req.body, ndjson: type === 'application/x-ndjson', idempotencyKey: req.headers['idempotency-key'] as string | undefined,
    });
    return reply.code(r.replayed || r.inserted === 0 ? 200 : 201).send(r);
  });

  app.post('/api/v1/incidents/import', {
    schema: {
      tags, summary: 'Import report versions in the NHTSA SGO 2021-01 CSV layout (text/csv); every row imported, unchanged or rejected with line and reason',
      querystring: z.object({ format: z.literal('nhtsa-sgo'), awareAt: z.iso.datetime({ offset: true }).optional() }),
      response: { 200: ImportResult.extend({ rows: z.number() }) },
    },
    config: { permission: 'incidents:write' },
  }, async (req) => {
    if (String(req.headers['content-type'] ?? '').split(';')[0].trim() !== 'text/csv') throw new AppError('unsupported_media_type', msg('incidents.sendSgoCsv'));
    return importSgo(deps, req.actor, { body: req.body as AsyncIterable<Buffer>, awareAt: req.query.awareAt });
  });

  app.get('/api/v1/incidents', {
    schema: {
      tags, summary: 'The incident queue, ordered by the next deadline',
      querystring: z.object({
        limit: z.coerce.number().int().min(1).max(500).default(50), offset: z.coerce.number().int().min(0).default(0),
        status: z.enum(['open', 'reported', 'closed']).optional(), severity: z.enum(['S1', 'S2', 'S3', 'S4']).optional(),
      }),
      response: { 200: z.object({ items: z.array(IncidentSummary), total: z.number(), now: z.string() }) },
    },
    config: { permission: 'incidents:read' },
  }, async (req) => listIncidents(deps, req.actor, req.query));

  app.get('/api/v1/incidents/:incidentId', {
    schema: {
      tags, summary: 'One case: decision, events, report version chains, timeline; personal data only with ?includePersonal=true and incidents:personal',
      params: Params, querystring: z.object({ includePersonal: Bool }),
      response: { 200: IncidentSummary.extend({ events: z.array(Loose), reports: z.array(Loose), timeline: z.array(Loose), redacted: z.boolean() }) },
    },
    config: { permission: 'incidents:read' },
  }, async (req) => getIncident(deps, req.actor, req.params.incidentId, { includePersonal: wantPersonal(req.actor, req.query.includePersonal) }));

  app.post('/api/v1/incidents/:incidentId/reports', {
    schema: {
      tags, summary: 'Add a report version (first, update, full, result, monthly); earlier versions are kept, the narrative is appended',
      params: Params, body: NewReport.extend({ reportId: z.string().max(100).optional() }),
      response: { 201: z.object({ incidentId: z.string(), reportId: z.string(), version: z.number(), type: z.string(), digest: z.string(), nextDueAt: z.string().nullable(), severity: z.string().nullable() }) },
    },
    config: { permission: 'incidents:write' },
  }, async (req, reply) => reply.code(201).send(await addReport(deps, req.actor, req.params.incidentId, req.body)));

  app.get('/api/v1/incidents/:incidentId/export', {
    schema: {
      tags, summary: 'The report content as canonical JSON (what an incident-report package holds); personal data redacted unless asked',
      params: Params, querystring: z.object({ version: z.coerce.number().int().min(1).optional(), includePersonal: Bool }),
      response: { 200: Loose },
    },
    config: { permission: 'incidents:read' },
  }, async (req) => {
    const includePersonal = wantPersonal(req.actor, req.query.includePersonal);
    return readScope(deps, req.actor, (sql) => incidentReportContent(sql, req.actor.tenantId!, req.params.incidentId, req.query.version, { includePersonal }));
  });

  app.get('/api/v1/signals', {
    schema: {
      tags, summary: 'Repeated failure signatures (function, fault code, software version) with daily series, and defect assessments',
      querystring: z.object({ days: z.coerce.number().int().min(1).max(365).optional(), limit: z.coerce.number().int().min(1).max(200).default(20) }),
      response: { 200: Loose },
    },
    config: { permission: 'incidents:read' },
  }, async (req) => getSignals(deps, req.actor, req.query));

  app.post('/api/v1/defect-assessments/:assessmentId/decision', {
    schema: {
      tags, summary: 'Decide a defect assessment: recall (creates the recall obligations, keeps the version blocked) or no-recall (releases it)',
      params: z.object({ assessmentId: z.string().max(100) }), body: AssessmentDecision, response: { 200: Loose },
    },
    config: { permission: 'incidents:decide' },
  }, async (req) => decideAssessment(deps, req.actor, req.params.assessmentId, req.body));
}
