import type { TestApp, TestTenant } from '../support.ts';

/** One of tenant B's obligations (back-filled at creation), B's webhook, and a calendar year. */
export default async function (t: TestApp, b: TestTenant): Promise<Record<string, string>> {
  // An approved product with CDAS and OTA brings its obligations (N45-3, N45-4, M22-1 …).
  const p = await t.app.inject({ method: 'POST', url: '/api/v1/products', headers: b.auth, payload: {
    model: 'BRAVO-OBL-1', name: { zh: '布拉沃', en: 'Bravo' }, category: 'M1', cdas: true, ota: true, automationLevel: 2,
    access: { status: 'approved', approvalDate: '2024-01-10' } } });
  if (p.statusCode !== 201) throw new Error(`obligations fixture: product ${p.statusCode} ${p.body}`);
  const list = await t.app.inject({ url: '/api/v1/obligations?limit=1', headers: b.auth });
  const obligationId = list.json().items?.[0]?.id;
  if (!obligationId) throw new Error(`obligations fixture: B has no obligation: ${list.body}`);
  const hook = await t.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: b.auth, payload: { url: 'http://127.0.0.1:9/bravo-secret', events: ['*'] } });
  if (hook.statusCode !== 201) throw new Error(`obligations fixture: webhook ${hook.statusCode} ${hook.body}`);
  // The calendar is operator data (not a tenant's): A's admin lacks calendar:admin and gets 403.
  return { obligationId, webhookId: hook.json().id, deliveryId: '987654321', year: '2027' };
}
