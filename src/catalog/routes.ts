import { z } from 'zod';
import { AppError, msg } from '../platform/errors.ts';
import type { App } from '../platform/http.ts';
import { readScope, type Deps } from '../platform/usecase.ts';
import { catalogView, SHIPPED_CATALOG } from '../regimes/cn-2025/catalog/index.ts';
import { activeCatalog } from './active.ts';
import { importCatalog } from './import-catalog.ts';
import * as store from './store.ts';

const ImportBody = z.object({
  filename: z.string().trim().min(1).max(255).describe('the template file name (.csv or .xlsx)'),
  contentBase64: z.string().min(1).describe('the file, base64'),
  mapping: z.record(z.string(), z.unknown()).describe('columns of the template -> catalog fields; see docs/products.md'),
  tenantId: z.string().max(100).optional().describe('operators only: the tenant to install it for'),
}).strict();

export async function catalogRoutes(app: App, deps: Deps) {
  app.get('/api/v1/catalog', {
    schema: { tags: ['catalog'], summary: 'The active parameter catalog (version, provenance, parameters with zh/en labels)', response: { 200: z.any() } },
    config: { permission: 'products:read' },
  }, async (req) => {
    if (!req.actor.tenantId) return catalogView(SHIPPED_CATALOG);
    return catalogView(await readScope(deps, req.actor, (sql) => activeCatalog(sql, req.actor.tenantId!)));
  });

  app.get('/api/v1/catalog/versions', {
    schema: { tags: ['catalog'], summary: 'Imported catalog versions of the tenant (the candidate catalog is always available)', response: { 200: z.any() } },
    config: { permission: 'products:read' },
  }, async (req) => {
    if (!req.actor.tenantId) return { items: [] };
    const rows = await readScope(deps, req.actor, (sql) => store.listCatalogVersions(sql, req.actor.tenantId!));
    return { items: rows.map((r) => ({ version: r.version, provenance: r.provenance, digest: r.digest, source: r.source, createdBy: r.created_by, createdAt: r.created_at.toISOString() })) };
  });

  app.post('/api/v1/catalog/import', {
    bodyLimit: Math.ceil(deps.config.uploadLimit * 1.4),
    schema: { tags: ['catalog'], summary: 'Install a catalog version from the official template (CSV or XLSX) with a column mapping', body: ImportBody, response: { 201: z.any() } },
    config: { permission: 'tenant:admin' },
  }, async (req, reply) => {
    if (req.body.tenantId && req.actor.tenantId && req.body.tenantId !== req.actor.tenantId) throw new AppError('not_found', msg('platform.notFound', { what: msg('entity.tenant'), id: req.body.tenantId }));
    const file = Buffer.from(req.body.contentBase64, 'base64');
    const report = await importCatalog(deps, req.actor, { file, filename: req.body.filename, mapping: req.body.mapping }, { tenantId: req.body.tenantId });
    return reply.code(201).send(report);
  });
}
