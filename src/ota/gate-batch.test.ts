// The per-VIN gate batches concurrent checks of a tenant into one query: the answers must be exactly
// those of one-by-one checks, over several campaigns, tenants and VINs (refusals, other tenants'
// campaigns, unknown ids and bad VINs included), and a halt or a change must refuse the very next check.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp, type TestTenant } from '../../test/support.ts';
import { gateBatchStats } from './store.ts';
import { call, campaignBody, fileManufacturerOta, makeVin, productWithBaseline, recordAllSteps } from './test-fixtures.ts';

type Fleet = { tenant: TestTenant; production: string; listed: string; draft: string; vins: string[] };
let t: TestApp, fleets: Fleet[];

async function clearedCampaign(f: { tenant: TestTenant }, body: Record<string, unknown>): Promise<string> {
  const c = await call(t, f.tenant, 'POST', '/api/v1/campaigns', body, 201);
  await call(t, f.tenant, 'POST', `/api/v1/campaigns/${c.id}/classify`);
  await call(t, f.tenant, 'POST', `/api/v1/campaigns/${c.id}/transitions`, { to: 'awaiting_prerequisites' });
  await recordAllSteps(t, f.tenant, c.id);
  await call(t, f.tenant, 'POST', `/api/v1/campaigns/${c.id}/transitions`, { to: 'cleared' });
  return c.id;
}

/** A tenant with vehicles (various software, one produced too early, one not registered) and three campaigns. */
async function fleet(wmi: string, model: string): Promise<Fleet> {
  const tenant = await t.tenant();
  const product = await productWithBaseline(t, tenant, { model });
  await fileManufacturerOta(t, tenant);
  const vins = [1, 2, 3, 4, 5, 6].map((i) => makeVin(wmi, i));
  const rows = [
    { vin: vins[0], productionDate: '2025-03-01', software: { ADCU: '2026.40' } },
    { vin: vins[1], productionDate: '2025-04-01', software: { ADCU: '2026.40' } },
    { vin: vins[2], productionDate: '2025-05-01', software: { ADCU: '2026.39' } },
    { vin: vins[3], productionDate: '2025-06-01' },
    { vin: vins[4], productionDate: '2023-01-01', software: { ADCU: '2026.40' } },
  ]; // vins[5] is not in the registry
  const ndjson = rows.map((r) => JSON.stringify({ product: model, ...r })).join('\n');
  const imp = await t.app.inject({ method: 'POST', url: '/api/v1/vehicles/import', headers: { ...tenant.auth, 'content-type': 'application/x-ndjson' }, payload: ndjson });
  assert.equal(imp.statusCode, 200, imp.body);
  const f = { tenant } as Fleet;
  f.production = await clearedCampaign(f, campaignBody([product.id], {
    scope: { productionDate: { from: '2024-01-01', to: '2026-06-30' }, prerequisites: [{ ecu: 'ADCU', min: '2026.40', max: '2026.40' }] },
  }));
  f.listed = await clearedCampaign(f, campaignBody([product.id], { scope: { vins: [vins[0], vins[2], vins[5]] } }));
  f.draft = (await call(t, tenant, 'POST', '/api/v1/campaigns', campaignBody([product.id]), 201)).id;
  f.vins = vins;
  return f;
}

before(async () => {
  t = await testApp({ now: '2026-11-25T02:00:00Z' });
  fleets = [await fleet('LRW', 'GBT7000BEVA'), await fleet('LFV', 'GBT7100BEVB')];
  t.deps.clock.set('2026-12-08T02:00:00Z'); // inside the planned window
  for (const f of fleets) await call(t, f.tenant, 'POST', `/api/v1/campaigns/${f.production}/transitions`, { to: 'rolling_out' });
});
after(() => t.close());

type Ask = { who: TestTenant; campaignId: string; vin: string };
const ask = async (k: Ask) => {
  const r = await t.app.inject({ method: 'GET', url: `/api/v1/gate/campaigns/${encodeURIComponent(k.campaignId)}/vehicles/${k.vin}`, headers: k.who.auth });
  return { status: r.statusCode, body: r.json() };
};

/** Every tenant asks about every campaign (its own, the other's, an unknown one) and every VIN (both fleets, a bad one). */
function everyQuestion(): Ask[] {
  const campaigns = [...fleets.flatMap((f) => [f.production, f.listed, f.draft]), 'cmp_does_not_exist', 'cmp_\u0000nul', "x'$3;--\"{,}\\"];
  const vins = [...fleets.flatMap((f) => f.vins), 'NOT-A-VIN'];
  return fleets.flatMap((f) => campaigns.flatMap((campaignId) => vins.map((vin) => ({ who: f.tenant, campaignId, vin }))));
}

test('concurrent checks answer exactly as one-by-one checks, over campaigns, tenants and VINs', async () => {
  const questions = everyQuestion();
  const oneByOne: Awaited<ReturnType<typeof ask>>[] = [];
  for (const q of questions) oneByOne.push(await ask(q));
  // The one-by-one answers cover every outcome, so the comparison below means something.
  const codes = new Set(oneByOne.map((a) => a.body.code));
  for (const c of ['allowed', 'campaign_not_cleared', 'vehicle_not_in_scope', 'prerequisite_version', 'prerequisite_unknown', 'not_found', 'validation_failed']) {
    assert.ok(codes.has(c), `no question answered ${c}: ${[...codes].join(', ')}`);
  }
  assert.ok(oneByOne.filter((a) => a.body.allow === true).length >= 4);
  // Ids no campaign can have (a NUL, SQL and array-literal characters) are not found, never a 500.
  const real = new Set(fleets.flatMap((f) => [f.production, f.listed, f.draft]));
  for (const [i, q] of questions.entries()) if (!real.has(q.campaignId) && q.vin !== 'NOT-A-VIN') assert.equal(oneByOne[i].status, 404, JSON.stringify(q));

  for (const order of [questions, [...questions].reverse(), questions.filter((_, i) => i % 2).concat(questions.filter((_, i) => !(i % 2)))]) {
    for (const f of fleets) await ask({ who: f.tenant, campaignId: f.production, vin: f.vins[0] }); // tokens in the lookup cache
    const before = { ...gateBatchStats(t.deps.db) };
    const together = await Promise.all(order.map(ask));
    const after = gateBatchStats(t.deps.db);
    const expected = order.map((q) => oneByOne[questions.indexOf(q)]);
    assert.deepEqual(together, expected);
    const checked = order.filter((q) => q.vin !== 'NOT-A-VIN' && !q.campaignId.includes('\u0000')).length;
    assert.equal(after.keys - before.keys, checked, 'every well-formed check went through the batcher');
    assert.ok(after.batches - before.batches < checked, `concurrent checks were batched (${after.batches - before.batches} batches for ${checked} checks)`);
  }
});

test('a halted campaign refuses the very next check, and a change after clearance too', async () => {
  const [f, g] = fleets;
  const burst = () => Promise.all([f.vins[0], f.vins[1]].map((vin) => ask({ who: f.tenant, campaignId: f.production, vin })));
  assert.deepEqual((await burst()).map((a) => a.body.code), ['allowed', 'allowed']);
  await call(t, f.tenant, 'POST', `/api/v1/campaigns/${f.production}/transitions`, { to: 'halted' });
  const next = await ask({ who: f.tenant, campaignId: f.production, vin: f.vins[0] });
  assert.deepEqual([next.status, next.body.allow, next.body.code], [200, false, 'campaign_not_cleared']);
  assert.deepEqual((await burst()).map((a) => a.body.code), ['campaign_not_cleared', 'campaign_not_cleared']);
  // The other tenant's campaign, asked in the same turn, is not affected.
  const other = await ask({ who: g.tenant, campaignId: g.production, vin: g.vins[0] });
  assert.equal(other.body.code, 'allowed');

  const listed = await ask({ who: f.tenant, campaignId: f.listed, vin: f.vins[0] });
  assert.equal(listed.body.code, 'allowed');
  await call(t, f.tenant, 'PATCH', `/api/v1/campaigns/${f.listed}`, { window: { start: '2026-12-07T00:00:00+08:00', end: '2027-02-28T00:00:00+08:00' } });
  const changed = await ask({ who: f.tenant, campaignId: f.listed, vin: f.vins[0] });
  assert.deepEqual([changed.body.allow, changed.body.code], [false, 'campaign_not_cleared']);
});
