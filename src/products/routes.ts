import { z } from 'zod';
import { catalogRoutes } from '../catalog/routes.ts';
import { evidenceRoutes } from '../evidence/routes.ts';
import type { App } from '../platform/http.ts';
import type { Deps } from '../platform/usecase.ts';
import { approveVersion } from './approve-version.ts';
import { createProduct } from './create-product.ts';
import { registerCsv } from './export.ts';
import { Approve, CreateProduct, ParameterSet, Product, PutDraft, UpdateProduct, VersionRef } from './model.ts';
import { updateProduct } from './update-product.ts';
import { putDraft } from './put-draft.ts';
import { completenessRegister, diffVersions, getParameterSet, getProduct, listProducts, productCompleteness } from './queries.ts';
import { submitDraft } from './submit-draft.ts';

const ProductParams = z.object({ productId: z.string().max(100) });
const VersionParams = z.object({ productId: z.string().max(100), version: VersionRef });
const Label = z.object({ zh: z.string(), en: z.string() });
const FieldErr = z.object({ path: z.string(), message: z.string() });
const CompletenessView = z.object({
  productId: z.string(), model: z.string(), workingVersion: z.union([z.number(), z.literal('draft'), z.null()]),
  ready: z.boolean(), applicable: z.number(), filled: z.number(), percent: z.number(),
  missing: z.array(z.object({ key: z.string(), label: Label, required: z.boolean() })),
  evidenceMissing: z.array(z.object({ key: z.string(), label: Label, reason: z.enum(['missing', 'expired']), expiredOn: z.string().optional() })),
  invalid: z.array(FieldErr), catalogVersion: z.string(), provenance: z.enum(['official', 'candidate']),
  rules: z.array(z.object({ rule: z.string(), source: z.string(), regime: z.string(), regimeVersion: z.string() })),
});
const ProductDetail = Product.extend({ sets: z.array(ParameterSet), draft: ParameterSet.nullable(), baseline: ParameterSet.nullable() });
const DiffView = z.object({
  productId: z.string(),
  from: z.object({ version: z.number().nullable(), catalogVersion: z.string() }),
  to: z.object({ version: z.number().nullable(), catalogVersion: z.string() }),
  mainChanged: z.boolean(),
  rules: z.array(z.object({ rule: z.string(), source: z.string(), regime: z.string(), regimeVersion: z.string() })),
  changes: z.array(z.object({
    key: z.string(), label: Label, group: z.string().nullable(), main: z.boolean(), inCatalog: z.boolean(),
    change: z.enum(['added', 'removed', 'changed']), old: z.unknown(), new: z.unknown(),
  })),
});

export async function productRoutes(app: App, deps: Deps) {
  await catalogRoutes(app, deps);
  await evidenceRoutes(app, deps);

  app.post('/api/v1/products', {
    schema: { tags: ['products'], summary: 'Create a vehicle product', body: CreateProduct, response: { 201: Product } },
    config: { permission: 'products:write' },
  }, async (req, reply) => reply.code(201).send(await createProduct(deps, req.actor, req.body)));

  app.get('/api/v1/products', {
    schema: { tags: ['products'], summary: 'Products of the tenant', response: { 200: z.object({ items: z.array(Product) }) } },
    config: { permission: 'products:read' },
  }, async (req) => ({ items: await listProducts(deps, req.actor) }));

  app.get('/api/v1/products/:productId', {
    schema: { tags: ['products'], params: ProductParams, response: { 200: ProductDetail } },
    config: { permission: 'products:read' },
  }, async (req) => getProduct(deps, req.actor, req.params.productId));

  app.patch('/api/v1/products/:productId', {
    schema: { tags: ['products'], summary: 'Change product facts (CDAS, OTA, access …); obligations are derived again', params: ProductParams, body: UpdateProduct, response: { 200: Product } },
    config: { permission: 'products:write' },
  }, async (req) => updateProduct(deps, req.actor, req.params.productId, req.body));

  app.put('/api/v1/products/:productId/parameters/draft', {
    schema: { tags: ['products'], summary: 'Replace the draft values; 422 names each bad key', params: ProductParams, body: PutDraft, response: { 200: ParameterSet } },
    config: { permission: 'products:write' },
  }, async (req) => putDraft(deps, req.actor, req.params.productId, req.body.values));

  app.post('/api/v1/products/:productId/parameters/draft/submit', {
    schema: { tags: ['products'], summary: 'Freeze the draft as the next numbered version', params: ProductParams, response: { 201: ParameterSet } },
    config: { permission: 'products:write' },
  }, async (req, reply) => reply.code(201).send(await submitDraft(deps, req.actor, req.params.productId)));

  app.post('/api/v1/products/:productId/parameters/:version/approve', {
    schema: {
      tags: ['products'], summary: "Record MIIT's approval: the version becomes the approved baseline",
      params: z.object({ productId: z.string().max(100), version: z.coerce.number().int().positive() }), body: Approve,
      response: { 200: z.object({ product: Product, version: ParameterSet }) },
    },
    config: { permission: 'products:approve' },
  }, async (req) => approveVersion(deps, req.actor, req.params.productId, req.params.version, req.body));

  app.get('/api/v1/products/:productId/parameters/diff', {
    schema: {
      tags: ['products'], summary: 'Field-level diff between two versions (numbers, draft or baseline)', params: ProductParams,
      querystring: z.object({ from: VersionRef, to: VersionRef }), response: { 200: DiffView },
    },
    config: { permission: 'products:read' },
  }, async (req) => diffVersions(deps, req.actor, req.params.productId, req.query.from, req.query.to));

  app.get('/api/v1/products/:productId/parameters/:version', {
    schema: {
      tags: ['products'], summary: 'One parameter set (a version number, draft or baseline) with its evidence', params: VersionParams,
      response: { 200: ParameterSet.extend({ evidence: z.array(z.record(z.string(), z.unknown())) }) },
    },
    config: { permission: 'products:read' },
  }, async (req) => getParameterSet(deps, req.actor, req.params.productId, req.params.version));

  app.get('/api/v1/products/:productId/completeness', {
    schema: { tags: ['products'], summary: 'Missing parameters and evidence; ready to file or not', params: ProductParams, response: { 200: CompletenessView } },
    config: { permission: 'products:read' },
  }, async (req) => productCompleteness(deps, req.actor, req.params.productId));

  app.get('/api/v1/completeness', {
    schema: {
      tags: ['products'], summary: 'Completeness register of every product of the tenant; ?format=csv exports it',
      querystring: z.object({ format: z.enum(['json', 'csv']).default('json'), lang: z.enum(['zh-CN', 'en']).default('zh-CN') }),
      response: { 200: z.any() },
    },
    config: { permission: 'products:read' },
  }, async (req, reply) => {
    const rows = await completenessRegister(deps, req.actor);
    if (req.query.format === 'csv') {
      return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="completeness-register.csv"').send(registerCsv(rows, req.query.lang));
    }
    return { items: rows.map(({ product, ...c }) => ({ ...c, product })), candidate: rows.some((r) => r.provenance === 'candidate') };
  });
}
