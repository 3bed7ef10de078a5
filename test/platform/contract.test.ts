// The public contract of shared/design/api.md: every path it names is in the generated OpenAPI document.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from '../support.ts';

const CONTRACT = [
  'GET /healthz', 'GET /readyz', 'GET /api/v1/openapi.json',
  'POST /api/v1/tenants', 'GET /api/v1/tenants/{tenantId}', 'POST /api/v1/tenants/{tenantId}/users', 'POST /api/v1/tenants/{tenantId}/tokens',
  'POST /api/v1/sessions', 'DELETE /api/v1/sessions/current', 'GET /api/v1/audit', 'GET /api/v1/audit/verify',
  'GET /api/v1/catalog', 'POST /api/v1/products', 'GET /api/v1/products', 'GET /api/v1/products/{productId}',
  'PUT /api/v1/products/{productId}/parameters/draft', 'POST /api/v1/products/{productId}/parameters/draft/submit',
  'POST /api/v1/products/{productId}/parameters/{version}/approve', 'GET /api/v1/products/{productId}/parameters/diff',
  'GET /api/v1/products/{productId}/completeness', 'POST /api/v1/evidence', 'GET /api/v1/evidence/{sha256}',
  'POST /api/v1/vehicles/import', 'GET /api/v1/vehicles/{vin}', 'POST /api/v1/campaigns', 'GET /api/v1/campaigns',
  'GET /api/v1/campaigns/{campaignId}', 'PATCH /api/v1/campaigns/{campaignId}', 'POST /api/v1/campaigns/{campaignId}/classify',
  'POST /api/v1/campaigns/{campaignId}/transitions', 'GET /api/v1/campaigns/{campaignId}/authorization', 'GET /api/v1/tenants/{tenantId}/jwks.json',
  'GET /api/v1/gate/campaigns/{campaignId}/vehicles/{vin}', 'POST /api/v1/campaigns/{campaignId}/rollout-reports',
  'GET /api/v1/campaigns/{campaignId}/reconciliation', 'GET /api/v1/obligations', 'POST /api/v1/obligations/{obligationId}/submissions',
  'POST /api/v1/obligations/{obligationId}/waive', 'GET /api/v1/calendar/working-days', 'POST /api/v1/filings', 'GET /api/v1/filings/{filingId}',
  'GET /api/v1/filings/{filingId}/package.zip', 'GET /api/v1/filings/{filingId}/package.pdf', 'POST /api/v1/filings/{filingId}/submissions',
  'POST /api/v1/filings/{filingId}/decisions', 'POST /api/v1/incidents/events', 'POST /api/v1/incidents/import', 'GET /api/v1/incidents',
  'GET /api/v1/incidents/{incidentId}', 'POST /api/v1/incidents/{incidentId}/reports', 'GET /api/v1/signals', 'POST /api/v1/webhooks',
  'GET /api/v1/webhooks/{webhookId}/deliveries',
];

let t: TestApp;
before(async () => { t = await testApp(); });
after(() => t.close());

test('every path of the public contract is in the OpenAPI document with its method', async () => {
  const doc = (await t.app.inject({ url: '/api/v1/openapi.json' })).json();
  const missing = CONTRACT.filter((c) => {
    const [method, path] = c.split(' ');
    return !doc.paths[path]?.[method.toLowerCase()];
  });
  assert.deepEqual(missing, []);
});

test('the working-day example of the contract holds', async () => {
  const r = await t.app.inject({ url: '/api/v1/calendar/working-days?from=2026-02-13&add=1', headers: t.operator });
  assert.equal(r.statusCode, 200, r.body);
  assert.deepEqual({ date: r.json().date, provisional: r.json().provisional }, { date: '2026-02-14', provisional: false });
});
