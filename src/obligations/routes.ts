import { z } from 'zod';
import type { App } from '../platform/http.ts';
import { unitOfWork, type Deps } from '../platform/usecase.ts';
import { addWorkingDays, isIsoDate, isWorkingDay } from '../regimes/cn-2025/calendar.ts';
import { AppError, fieldError, msg } from '../platform/errors.ts';
import { listSchedules, putSchedule } from './calendar-admin.ts';
import { toCsv, toIcs } from './export.ts';
import { backfillManufacturerObligations, loadCalendar } from './generate.ts';
import { ListQuery, Obligation, RecordDecision, RecordSubmission, Reopen, Summary, WaiveRequest } from './model.ts';
import { getObligation, listObligations, reminders, summary } from './queries.ts';
import { approveWaiver, recordDecision, recordSubmission, reopenObligation, requestWaiver } from './record.ts';

const Params = z.object({ obligationId: z.string().max(100) });
const tags = ['obligations'];

export async function obligationRoutes(app: App, deps: Deps) {
  app.get('/api/v1/obligations', {
    schema: { tags, summary: 'The obligation register (JSON, or CSV / iCalendar with ?format=)', querystring: ListQuery,
      response: { 200: z.union([z.object({ items: z.array(Obligation), total: z.number(), now: z.string() }), z.string()]) } },
    config: { permission: 'obligations:read' },
  }, async (req, reply) => {
    const r = await listObligations(deps, req.actor, req.query);
    if (req.query.format === 'csv') {
      return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="obligations.csv"').send(toCsv(r.items, req.query.lang));
    }
    if (req.query.format === 'ics') {
      return reply.type('text/calendar; charset=utf-8').header('content-disposition', 'attachment; filename="obligations.ics"').send(toIcs(r.items, req.query.lang, new Date(r.now)));
    }
    return r;
  });

  app.get('/api/v1/obligations/summary', {
    schema: { tags, summary: 'Dashboard counts: overdue, due soon, by addressee, by subject', response: { 200: Summary } },
    config: { permission: 'obligations:read' },
  }, async (req) => summary(deps, req.actor));

  app.get('/api/v1/obligations/reminders', {
    schema: { tags, summary: 'Due-soon and overdue reminders emitted by the scheduler (newest first)',
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }).strict(),
      response: { 200: z.object({ items: z.array(z.object({
        id: z.number(), type: z.enum(['obligation.due_soon', 'obligation.overdue']), obligationId: z.string(), rule: z.string(), addressee: z.string(),
        title: z.object({ zh: z.string(), en: z.string() }), dueAt: z.string().nullable(), provisional: z.boolean(), at: z.string(),
      })) }) } },
    config: { permission: 'obligations:read' },
  }, async (req) => ({ items: await reminders(deps, req.actor, req.query.limit) }));

  app.post('/api/v1/obligations/backfill', {
    schema: { tags, summary: 'Derive the manufacturer-level obligations of the caller\'s tenant now',
      response: { 200: z.object({ created: z.array(z.string()), updated: z.array(z.string()), withdrawn: z.array(z.string()), unchanged: z.array(z.string()) }) } },
    config: { permission: 'obligations:write' },
  }, async (req) => unitOfWork(deps, req.actor, (u) => backfillManufacturerObligations(u)));

  app.get('/api/v1/obligations/:obligationId', {
    schema: { tags, params: Params, response: { 200: Obligation } },
    config: { permission: 'obligations:read' },
  }, async (req) => getObligation(deps, req.actor, req.params.obligationId));

  app.post('/api/v1/obligations/:obligationId/submissions', {
    schema: { tags, summary: 'Record a submission (addressee channel, date, receipt or filing number, package hash)', params: Params, body: RecordSubmission, response: { 201: Obligation } },
    config: { permission: 'obligations:write' },
  }, async (req, reply) => reply.code(201).send(await unitOfWork(deps, req.actor, (u) => recordSubmission(u, req.params.obligationId, req.body))));

  app.post('/api/v1/obligations/:obligationId/decisions', {
    schema: { tags, summary: 'Record the authority\'s decision: accepted, or rejected with its reason', params: Params, body: RecordDecision, response: { 200: Obligation } },
    config: { permission: 'obligations:write' },
  }, async (req) => unitOfWork(deps, req.actor, (u) => recordDecision(u, req.params.obligationId, req.body)));

  app.post('/api/v1/obligations/:obligationId/waive', {
    schema: { tags, summary: 'Ask to waive an obligation, with a justification (a second user approves)', params: Params, body: WaiveRequest, response: { 200: Obligation } },
    config: { permission: 'obligations:write' },
  }, async (req) => unitOfWork(deps, req.actor, (u) => requestWaiver(u, req.params.obligationId, req.body)));

  app.post('/api/v1/obligations/:obligationId/waive/approve', {
    schema: { tags, summary: 'Approve a waiver (a different user from the one who asked)', params: Params, response: { 200: Obligation } },
    config: { permission: 'obligations:approve' },
  }, async (req) => unitOfWork(deps, req.actor, (u) => approveWaiver(u, req.params.obligationId)));

  app.post('/api/v1/obligations/:obligationId/reopen', {
    schema: { tags, summary: 'Reopen with the authority\'s question', params: Params, body: Reopen, response: { 200: Obligation } },
    config: { permission: 'obligations:write' },
  }, async (req) => unitOfWork(deps, req.actor, (u) => reopenObligation(u, req.params.obligationId, req.body)));

  // ---- calendar ----
  const WorkingDaysQuery = z.object({
    from: z.string().refine(isIsoDate, 'a calendar date YYYY-MM-DD').optional(),
    add: z.coerce.number().int().min(1).max(3650).optional(),
    date: z.string().refine(isIsoDate, 'a calendar date YYYY-MM-DD').optional(),
  }).strict();
  app.get('/api/v1/calendar/working-days', {
    schema: { tags: ['calendar'], summary: 'Working-day arithmetic on the official calendar (Asia/Shanghai), with provisional for years without a schedule',
      querystring: WorkingDaysQuery,
      response: { 200: z.object({ date: z.string(), provisional: z.boolean(), working: z.boolean().optional(), from: z.string().optional(), add: z.number().optional() }) } },
    // any signed-in caller (regulators and OTA back ends included): it is the regime's arithmetic, not tenant data
  }, async (req) => {
    const q = req.query;
    const cal = await deps.db.tx('operator', (sql) => loadCalendar(sql));
    if (q.from && q.add) return { ...addWorkingDays(q.from, q.add, cal) };
    if (q.date && !q.from && !q.add) return { date: q.date, ...isWorkingDay(q.date, cal) };
    throw new AppError('validation_failed', msg('obligations.fromAddOrDate'), {
      errors: [fieldError(q.from ? 'add' : 'from', msg('obligations.fromAddTogether'))],
    });
  });

  app.get('/api/v1/calendar/schedules', {
    schema: { tags: ['calendar'], summary: 'Holiday schedules in use: bundled official ones and operator-loaded years', response: { 200: z.object({ items: z.array(z.any()) }) } },
  }, async () => ({ items: await listSchedules(deps) }));

  app.put('/api/v1/calendar/schedules/:year', {
    schema: { tags: ['calendar'], summary: 'Load a year\'s official holiday schedule (operator)', params: z.object({ year: z.coerce.number().int().min(2000).max(2100) }),
      body: z.unknown(), response: { 200: z.any() } },
    config: { permission: 'calendar:admin' },
  }, async (req) => putSchedule(deps, req.actor, req.params.year, req.body));
}
