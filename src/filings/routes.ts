import type { Readable } from 'node:stream';
import { z } from 'zod';
import { AppError, msg } from '../platform/errors.ts';
import type { App } from '../platform/http.ts';
import type { Deps } from '../platform/usecase.ts';
import { createFiling } from './create-filing.ts';
import { FILING_KINDS, KINDS } from './kinds.ts';
import { CreateFiling, Filing, FilingList, ListQuery, PackageCheckResult, RecordDecision, RecordSubmission } from './model.ts';
import { checkUploadedPackage, filingPackage, getFiling, listFilings } from './queries.ts';
import { recordFilingSubmission } from './record-submission.ts';
import { addressedPackage, getAddressed, listAddressed, recordRegulatorDecision } from './regulator.ts';
import { CONTENT_SCHEMAS } from './schemas/index.ts';
import { readZip } from './zip.ts';

const Params = z.object({ filingId: z.string().max(200) });
const ZIP_LIMIT = 512 * 1024 * 1024;

async function readBody(body: unknown, limit: number): Promise<Buffer> {
  if (Buffer.isBuffer(body)) return body;
  if (!body || typeof (body as Readable).on !== 'function') throw new AppError('bad_request', msg('filings.sendZip'));
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of body as Readable) {
    size += (c as Buffer).length;
    if (size > limit) throw new AppError('payload_too_large', msg('filings.packageTooLarge', { limit }));
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

const fileName = (f: { kind: string; id: string; version: number }, ext: string) => `${f.kind}-${f.id}-v${f.version}.${ext}`;

export async function filingRoutes(app: App, deps: Deps) {
  if (!app.hasContentTypeParser('application/zip')) app.addContentTypeParser('application/zip', (_req, payload, done) => done(null, payload));

  app.post('/api/v1/filings', {
    schema: { tags: ['filings'], summary: 'Build a package version {kind, subject} from stored state; the same content again returns the existing version (200)',
      body: CreateFiling, response: { 201: Filing, 200: Filing } },
    config: { permission: 'filings:write' },
  }, async (req, reply) => {
    const { filing, created } = await createFiling(deps, req.actor, req.body);
    return reply.code(created ? 201 : 200).send(filing);
  });

  app.get('/api/v1/filings', {
    schema: { tags: ['filings'], summary: 'Packages of the tenant', querystring: ListQuery, response: { 200: FilingList } },
    config: { permission: 'filings:read' },
  }, async (req) => listFilings(deps, req.actor, req.query));

  app.get('/api/v1/filings/schemas/:kind', {
    schema: { tags: ['filings'], summary: 'JSON Schema of a kind\'s content (also shipped in each package as schema.json)',
      params: z.object({ kind: z.enum(FILING_KINDS) }) },
    config: { public: true },
  }, async (req) => ({ $id: KINDS[req.params.kind].schemaId, ...z.toJSONSchema(CONTENT_SCHEMAS[req.params.kind], { io: 'input', unrepresentable: 'any' }) }));

  app.get('/api/v1/filings/:filingId', {
    schema: { tags: ['filings'], params: Params, response: { 200: Filing } },
    config: { permission: 'filings:read' },
  }, async (req) => getFiling(deps, req.actor, req.params.filingId));

  app.get('/api/v1/filings/:filingId/package.zip', {
    schema: { tags: ['filings'], summary: 'The package (filing.json, filing.pdf, schema.json, evidence, manifest.json); rebuilt and checked against the recorded hash', params: Params },
    config: { permission: 'filings:read' },
  }, async (req, reply) => {
    const { filing, pkg } = await filingPackage(deps, req.actor, req.params.filingId);
    return reply.type('application/zip').header('content-disposition', `attachment; filename="${fileName(filing, 'zip')}"`)
      .header('x-package-sha256', pkg.sha256).send(pkg.zip);
  });

  app.get('/api/v1/filings/:filingId/package.pdf', {
    schema: { tags: ['filings'], summary: 'The bilingual PDF of the package', params: Params },
    config: { permission: 'filings:read' },
  }, async (req, reply) => {
    const { filing, pkg } = await filingPackage(deps, req.actor, req.params.filingId);
    return reply.type('application/pdf').header('content-disposition', `inline; filename="${fileName(filing, 'pdf')}"`).send(pkg.pdf);
  });

  app.get('/api/v1/filings/:filingId/filing.json', {
    schema: { tags: ['filings'], summary: 'The canonical JSON of the package (byte-identical to filing.json in the zip)', params: Params },
    config: { permission: 'filings:read' },
  }, async (req, reply) => {
    const { pkg } = await filingPackage(deps, req.actor, req.params.filingId);
    return reply.type('application/json; charset=utf-8').send(readZip(pkg.zip).get('filing.json'));
  });

  app.post('/api/v1/filings/:filingId/submissions', {
    schema: { tags: ['filings'], summary: 'Record that the package went to its addressee (channel, date, receipt or filing number)',
      params: Params, body: RecordSubmission, response: { 201: Filing, 200: Filing } },
    config: { permission: 'filings:write' },
  }, async (req, reply) => {
    const { filing, created } = await recordFilingSubmission(deps, req.actor, req.params.filingId, req.body);
    return reply.code(created ? 201 : 200).send(filing);
  });

  app.post('/api/v1/filings/:filingId/decisions', {
    schema: { tags: ['filings', 'regulator'], summary: 'The addressed authority records its decision (accepted, rejected, info_requested, permit_granted)',
      params: Params, body: RecordDecision, response: { 201: Filing } },
    config: { permission: 'regulator:decide' },
  }, async (req, reply) => reply.code(201).send(await recordRegulatorDecision(deps, req.actor, req.params.filingId, req.body)));

  app.post('/api/v1/filings/package-check', {
    bodyLimit: ZIP_LIMIT,
    schema: { tags: ['filings', 'regulator'], summary: 'Check a package zip against its own manifest (body: the zip, application/zip)', response: { 200: PackageCheckResult } },
    config: { public: true },
  }, async (req) => checkUploadedPackage(await readBody(req.body, ZIP_LIMIT)));

  // ---- regulator view: only packages submitted to the caller's authority ----
  const RegulatorQuery = z.object({
    kind: z.enum(FILING_KINDS).optional(), state: ListQuery.shape.state, manufacturer: z.string().max(200).optional(),
    limit: ListQuery.shape.limit, offset: ListQuery.shape.offset,
  });
  app.get('/api/v1/regulator/filings', {
    schema: { tags: ['regulator'], summary: 'Packages submitted to my authority', querystring: RegulatorQuery,
      response: { 200: FilingList.extend({ authority: z.string() }) } },
    config: { permission: 'regulator:read' },
  }, async (req) => listAddressed(deps, req.actor, req.query));

  app.get('/api/v1/regulator/filings/:filingId', {
    schema: { tags: ['regulator'], params: Params, response: { 200: Filing } },
    config: { permission: 'regulator:read' },
  }, async (req) => getAddressed(deps, req.actor, req.params.filingId));

  app.get('/api/v1/regulator/filings/:filingId/package.zip', {
    schema: { tags: ['regulator'], params: Params },
    config: { permission: 'regulator:read' },
  }, async (req, reply) => {
    const { filing, pkg } = await addressedPackage(deps, req.actor, req.params.filingId);
    return reply.type('application/zip').header('content-disposition', `attachment; filename="${fileName(filing, 'zip')}"`)
      .header('x-package-sha256', pkg.sha256).send(pkg.zip);
  });

  app.get('/api/v1/regulator/filings/:filingId/package.pdf', {
    schema: { tags: ['regulator'], params: Params },
    config: { permission: 'regulator:read' },
  }, async (req, reply) => {
    const { filing, pkg } = await addressedPackage(deps, req.actor, req.params.filingId);
    return reply.type('application/pdf').header('content-disposition', `inline; filename="${fileName(filing, 'pdf')}"`).send(pkg.pdf);
  });

  app.post('/api/v1/regulator/filings/:filingId/package-check', {
    bodyLimit: ZIP_LIMIT,
    schema: { tags: ['regulator'], summary: 'Check a received package zip against its manifest and against the recorded package hash', params: Params,
      response: { 200: PackageCheckResult } },
    config: { permission: 'regulator:read' },
  }, async (req) => {
    const f = await getAddressed(deps, req.actor, req.params.filingId);
    return checkUploadedPackage(await readBody(req.body, ZIP_LIMIT), f);
  });
}
