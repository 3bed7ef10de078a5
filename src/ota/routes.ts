import type { Readable } from 'node:stream';
import { z } from 'zod';
import { AppError, msg } from '../platform/errors.ts';
import type { App } from '../platform/http.ts';
import { requestLocale } from '../platform/messages.ts';
import type { Deps } from '../platform/usecase.ts';
import { classifyCampaignUseCase } from './classify-campaign.ts';
import { createCampaign } from './create-campaign.ts';
import { upgradeFrequency } from './frequency.ts';
import { checkGate } from './gate-check.ts';
import { jwks, rotateSigningKey } from './keys.ts';
import { CampaignContent, CampaignPatch, CampaignState, OverrideRequest, StepRecord, Transition } from './model.ts';
import { approveOverride, requestOverride } from './override.ts';
import { getAuthorization, getCampaign, listCampaigns } from './queries.ts';
import { reconciliation } from './reconciliation.ts';
import { recordStep } from './record-step.ts';
import { postRolloutReports } from './rollout.ts';
import { transitionCampaign } from './transition-campaign.ts';
import { updateCampaign } from './update-campaign.ts';

const Id = z.object({ campaignId: z.string().max(100) });
const tags = ['campaigns'];

export async function otaRoutes(app: App, deps: Deps) {
  app.post('/api/v1/campaigns', { schema: { tags, body: CampaignContent }, config: { permission: 'campaigns:write' } },
    async (req, reply) => reply.code(201).send(await createCampaign(deps, req.actor, req.body)));

  app.get('/api/v1/campaigns', {
    schema: { tags, querystring: z.object({ state: CampaignState.optional(), product: z.string().optional(), limit: z.coerce.number().int().min(1).max(500).default(50), offset: z.coerce.number().int().min(0).default(0) }) },
    config: { permission: 'campaigns:read' },
  }, async (req) => listCampaigns(deps, req.actor, req.query));

  app.get('/api/v1/campaigns/:campaignId', { schema: { tags, params: Id }, config: { permission: 'campaigns:read' } },
    async (req) => getCampaign(deps, req.actor, req.params.campaignId));

  app.patch('/api/v1/campaigns/:campaignId', { schema: { tags, params: Id, body: CampaignPatch }, config: { permission: 'campaigns:write' } },
    async (req) => updateCampaign(deps, req.actor, req.params.campaignId, req.body));

  app.post('/api/v1/campaigns/:campaignId/classify', {
    schema: { tags, params: Id, description: 'Classify A/B/C (+R) against each product\'s approved baseline; answers the class, recall flag, every reason (rule, source, parameter old -> new, function, level), regime and its version.' },
    config: { permission: 'campaigns:write' },
  }, async (req) => {
    const c = await classifyCampaignUseCase(deps, req.actor, req.params.campaignId);
    return { class: c.class, computedClass: c.computedClass, recall: c.recall, reasons: c.classification.reasons, regime: c.classification.regime,
      regimeVersion: c.classification.regimeVersion, catalogVersion: c.classification.catalogVersion, perProduct: c.classification.perProduct, steps: c.steps, campaign: c };
  });

  app.post('/api/v1/campaigns/:campaignId/transitions', {
    schema: { tags, params: Id, body: Transition, description: 'Move the campaign; 409 {code: gate_refused, missing: [...]} when the gate refuses.' },
    config: { permission: 'campaigns:write' },
  }, async (req) => transitionCampaign(deps, req.actor, req.params.campaignId, req.body.to));

  app.post('/api/v1/campaigns/:campaignId/class-override', { schema: { tags, params: Id, body: OverrideRequest }, config: { permission: 'campaigns:write' } },
    async (req) => requestOverride(deps, req.actor, req.params.campaignId, req.body));
  app.post('/api/v1/campaigns/:campaignId/class-override/approve', { schema: { tags, params: Id }, config: { permission: 'campaigns:approve' } },
    async (req) => approveOverride(deps, req.actor, req.params.campaignId));

  app.post('/api/v1/campaigns/:campaignId/steps/:stepId', {
    schema: { tags, params: Id.extend({ stepId: z.string().max(60) }), body: StepRecord, description: 'Record a required step done outside a package built here: receipt or permit reference and the content digest filed (default: the digest now).' },
    config: { permission: 'campaigns:write' },
  }, async (req) => recordStep(deps, req.actor, req.params.campaignId, req.params.stepId, req.body));

  app.get('/api/v1/campaigns/:campaignId/authorization', { schema: { tags, params: Id }, config: { permission: 'campaigns:read' } },
    async (req) => getAuthorization(deps, req.actor, req.params.campaignId));

  app.get('/api/v1/tenants/:tenantId/jwks.json', { schema: { tags, params: z.object({ tenantId: z.string().max(100) }) }, config: { public: true } },
    async (req, reply) => {
      const doc = await deps.db.tx({ tenantId: req.params.tenantId }, (sql) => jwks(sql, req.params.tenantId));
      reply.header('cache-control', 'public, max-age=300').type('application/jwk-set+json');
      return doc;
    });

  app.post('/api/v1/ota/signing-keys/rotate', { schema: { tags }, config: { permission: 'tenant:admin' } },
    async (req) => rotateSigningKey(deps, req.actor));

  app.get('/api/v1/gate/campaigns/:campaignId/vehicles/:vin', {
    schema: { tags: ['gate'], params: Id.extend({ vin: z.string().max(40) }), description: 'May this vehicle install this campaign now: {allow, code, reason, campaignId, vin, at}; code is stable, reason follows Accept-Language (en by default, zh-CN).' },
    config: { permission: 'gate:check' },
  }, async (req) => checkGate(deps, req.actor, req.params.campaignId, req.params.vin, requestLocale(req.headers['accept-language'])));

  app.post('/api/v1/campaigns/:campaignId/rollout-reports', {
    schema: { tags, params: Id, description: 'application/x-ndjson: one {vin, version, ecu?, at, result: success|failure, source: vehicle|server} per line; Idempotency-Key header required.' },
    config: { permission: 'rollout:write' },
  }, async (req) => {
    const ct = (req.headers['content-type'] ?? '').split(';')[0].trim();
    if (ct !== 'application/x-ndjson') throw new AppError('unsupported_media_type', msg('ota.sendNdjson', { type: ct || '(none)' }));
    return postRolloutReports(deps, req.actor, req.params.campaignId, req.headers['idempotency-key'] as string | undefined, req.body as Readable);
  });

  app.get('/api/v1/campaigns/:campaignId/reconciliation', { schema: { tags, params: Id }, config: { permission: 'campaigns:read' } },
    async (req) => reconciliation(deps, req.actor, req.params.campaignId));

  app.get('/api/v1/ota/frequency', { schema: { tags }, config: { permission: 'campaigns:read' } },
    async (req) => upgradeFrequency(deps, req.actor));
}
