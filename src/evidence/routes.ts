import type { Readable } from 'node:stream';
import { z } from 'zod';
import { AppError, fieldError, msg } from '../platform/errors.ts';
import type { App } from '../platform/http.ts';
import type { Deps } from '../platform/usecase.ts';
import { LinkEvidence, VersionRef } from '../products/model.ts';
import { Evidence } from './model.ts';
import { linkEvidence } from './link-evidence.ts';
import { boundaryOf, parseMultipart } from './multipart.ts';
import { downloadEvidence, listEvidence, uploadEvidence } from './upload-evidence.ts';

const FILE_TYPES = ['image/png', 'image/jpeg', 'application/zip', 'application/ofd'];
const HEADERS: Record<string, string> = {
  'x-evidence-title': 'title', 'x-evidence-lab': 'lab', 'x-evidence-report-no': 'reportNo', 'x-evidence-issued-on': 'issuedOn',
  'x-evidence-valid-until': 'validUntil', 'x-evidence-filename': 'filename', 'x-evidence-product': 'productId',
  'x-evidence-version': 'version', 'x-evidence-keys': 'keys',
};
const decode = (v: string) => { try { return decodeURIComponent(v); } catch { return v; } };
const splitKeys = (v: unknown) => typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v;

const UploadResult = z.object({ evidence: Evidence, created: z.boolean(), linked: z.array(z.string()) });

export async function evidenceRoutes(app: App, deps: Deps) {
  // Report files arrive as raw streams (the platform already streams PDF and octet-stream); a form
  // upload is read whole, within the upload limit.
  const missing = FILE_TYPES.filter((type) => !app.hasContentTypeParser(type)); // the platform may stream some already
  if (missing.length) app.addContentTypeParser(missing, (_req, payload, done) => done(null, payload));
  if (!app.hasContentTypeParser('multipart/form-data')) {
    app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: deps.config.uploadLimit }, (_req, body, done) => done(null, body));
  }

  app.post('/api/v1/evidence', {
    bodyLimit: deps.config.uploadLimit,
    schema: {
      tags: ['evidence'],
      summary: 'Upload a verification report: the raw file with X-Evidence-* headers (percent-encoded UTF-8), or multipart/form-data',
      description: 'Headers: X-Evidence-Title, X-Evidence-Lab, X-Evidence-Report-No, X-Evidence-Issued-On (YYYY-MM-DD), X-Evidence-Valid-Until, '
        + 'X-Evidence-Filename, optional X-Evidence-Product + X-Evidence-Keys (comma separated) + X-Evidence-Version (number or draft) to link, '
        + 'optional X-Content-SHA256 to have the hash checked. Multipart: the same names as form fields (title, lab, reportNo, issuedOn, validUntil, productId, version, keys) and a `file` part.',
      response: { 201: UploadResult, 200: UploadResult },
    },
    config: { permission: 'evidence:write' },
  }, async (req, reply) => {
    const ctype = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    let meta: Record<string, unknown>;
    let body: Readable | Buffer;
    if (ctype === 'multipart/form-data') {
      if (!Buffer.isBuffer(req.body)) throw new AppError('unsupported_media_type', msg('evidence.multipartNotRead'));
      const parts = parseMultipart(req.body, boundaryOf(req.headers['content-type']));
      const file = parts.find((p) => p.name === 'file');
      if (!file) throw new AppError('validation_failed', msg('evidence.noFilePart'), { errors: [fieldError('file', msg('catalog.required'))] });
      meta = {};
      for (const p of parts) {
        if (p.name === 'file') continue;
        const v = p.data.toString('utf8');
        meta[p.name] = p.name === 'keys' && typeof meta.keys === 'string' ? `${meta.keys},${v}` : v; // keys may repeat
      }
      meta.contentType = file.contentType ?? 'application/octet-stream';
      meta.filename ??= file.filename;
      body = file.data;
    } else {
      if (!req.body || typeof (req.body as Readable).pipe !== 'function') {
        throw new AppError('unsupported_media_type', msg('evidence.sendReportAs', { types: FILE_TYPES.join(', ') }));
      }
      meta = { contentType: ctype };
      for (const [h, field] of Object.entries(HEADERS)) {
        const v = req.headers[h];
        if (typeof v === 'string' && v !== '') meta[field] = decode(v);
      }
      body = req.body as Readable;
    }
    if (meta.keys !== undefined) meta.keys = splitKeys(meta.keys);
    for (const k of Object.keys(meta)) if (meta[k] === '') delete meta[k];
    const expect = req.headers['x-content-sha256'];
    const r = await uploadEvidence(deps, req.actor, body, meta, { expectSha256: typeof expect === 'string' ? expect.toLowerCase() : undefined });
    return reply.code(r.created ? 201 : 200).send(r);
  });

  app.get('/api/v1/evidence', {
    schema: { tags: ['evidence'], summary: 'Evidence of the tenant', response: { 200: z.object({ items: z.array(Evidence) }) } },
    config: { permission: 'evidence:read' },
  }, async (req) => ({ items: await listEvidence(deps, req.actor) }));

  app.get('/api/v1/evidence/:sha256', {
    schema: { tags: ['evidence'], summary: 'Download a report; its hash is checked before and while it is sent', params: z.object({ sha256: z.string().max(64) }) },
    config: { permission: 'evidence:read' },
  }, async (req, reply) => {
    const { evidence, stream } = await downloadEvidence(deps, req.actor, req.params.sha256.toLowerCase());
    const name = evidence.filename ?? `${evidence.reportNo}`;
    return reply
      .type(evidence.contentType)
      .header('content-length', evidence.size)
      .header('etag', `"${evidence.sha256}"`)
      .header('x-content-sha256', evidence.sha256)
      .header('content-disposition', `attachment; filename="${name.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`)
      .send(stream);
  });

  app.post('/api/v1/products/:productId/parameters/:version/evidence', {
    schema: {
      tags: ['evidence'], summary: 'Link an uploaded report to parameter keys of a version (or the draft)',
      params: z.object({ productId: z.string().max(100), version: VersionRef }), body: LinkEvidence,
      response: { 200: z.object({ evidence: Evidence, linked: z.array(z.string()) }) },
    },
    config: { permission: 'evidence:write' },
  }, async (req) => linkEvidence(deps, req.actor, req.params.productId, req.params.version, req.body));
}
