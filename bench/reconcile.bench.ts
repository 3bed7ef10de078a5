// Reconciliation of 2,000,000 rollout reports against a 2,000,000-vehicle filed scope, against a
// hand-written SQL anti-join (scope vehicles never reported) on the same data, same run, same database.
// The reports go in through the real ingestion store path (flags and per-vehicle state).
import { createCampaign } from '../src/ota/create-campaign.ts';
import { reconcileIn } from '../src/ota/reconciliation.ts';
import * as otaStore from '../src/ota/store.ts';
import { scopeSqlOf } from '../src/ota/reconciliation.ts';
import type { BenchContext, BenchResult } from './lib/run-one.ts';
import { benchDatabase, benchProduct, benchTenant, benchVin, productionDate } from './ota-fixtures.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export default async function run(ctx: BenchContext): Promise<BenchResult[]> {
  const n = Math.round(2_000_000 * ctx.scale);
  const b = await benchDatabase(ctx, 'reconcile');
  try {
    const { tenantId, actor } = await benchTenant(b.db);
    const product = await benchProduct(b.deps, actor);
    // The registry: n vehicles produced over 1,000 days (set-based, as the import would leave them).
    await b.db.tx('owner', (sql) => sql.query(
      `INSERT INTO vehicles (tenant_id, vin, product_id, production_date, plant, created_at, updated_at)
       SELECT $1, 'V' || lpad(i::text, 16, '0'), $2, date '2022-01-01' + (i % 1000), 'C', now(), now() FROM generate_series(0, $3 - 1) AS i`,
      [tenantId, product.id, n]));
    await b.db.exec('ANALYZE vehicles');
    b.deps.clock = () => new Date('2026-12-20T00:00:00Z');
    const c = await createCampaign(b.deps, actor, {
      products: [product.id], purpose: 'bench', otaType: 'remote', recall: false, swin: [], functions: [], parameters: {}, notices: {}, evidence: [],
      software: [{ ecu: 'ADCU', partNumber: 'P1', from: '1.0', to: '2.0', sha256: 'a'.repeat(64), size: 1 }],
      window: { start: '2026-12-01T00:00:00Z', end: '2027-01-31T00:00:00Z' },
      scope: { productionDate: { from: '2022-01-01', to: '2024-12-31' } },
    } as any);
    // Cleared: an authorization in force from before the window (as transitionCampaign issues it; signing is not what is measured here).
    await b.db.tx({ tenantId }, (sql) => otaStore.insertAuthorization(sql, tenantId, { id: 'az_bench', campaignId: c.id, revision: 1, kid: 'bench', token: 'bench',
      claims: { software: [{ ecu: 'ADCU', to: '2.0', sha256: 'a'.repeat(64) }], window: { start: '2026-12-01T00:00:00Z', end: '2027-01-31T00:00:00Z' } },
      issuedAt: new Date('2026-11-30T00:00:00Z'), validFrom: new Date('2026-12-01T00:00:00Z'), validTo: new Date('2027-01-31T00:00:00Z') }));
    // Reports: 95% of the scope reached (2% failed, 5% only server-claimed), 5% of the batch outside the scope, a few unfiled versions.
    const reached = Math.round(n * 0.95), outside = n - reached;
    const t0 = performance.now();
    const chunk = 20_000;
    for (let start = 0; start < n; start += chunk) {
      const rows: otaStore.ReportInput[] = [];
      for (let i = start; i < Math.min(n, start + chunk); i++) {
        const inScope = i < reached;
        const vin = inScope ? 'V' + String(i).padStart(16, '0') : 'X' + String(i).padStart(16, '0');
        rows.push({ vin, at: new Date(Date.UTC(2026, 11, 2) + (i % 86_400) * 1000), result: i % 50 === 0 ? 'failure' : 'success',
          source: i % 20 === 0 ? 'server' : 'vehicle', version: i % 100_000 === 7 ? '1.9' : '2.0', ecu: 'ADCU' });
      }
      await b.db.tx({ tenantId }, (sql) => otaStore.insertReports(sql, tenantId, c.id, 'bench', new Date(), rows));
    }
    const ingestSeconds = (performance.now() - t0) / 1000;
    await b.db.exec('ANALYZE rollout_reports; ANALYZE rollout_vehicle_state');
    ctx.log(`${n.toLocaleString('en')} vehicles, ${n.toLocaleString('en')} reports ingested in ${ingestSeconds.toFixed(1)} s (${b.db.kind})`);

    const row = (await b.db.tx({ tenantId }, (sql) => otaStore.getCampaign(sql, tenantId, c.id)))!;
    const ours: number[] = [], base: number[] = [];
    let result: Awaited<ReturnType<typeof reconcileIn>> | undefined, notReached = 0;
    for (let k = 0; k < 3; k++) {
      let t = performance.now();
      notReached = await b.db.tx({ tenantId }, (sql) => otaStore.notReachedAntiJoin(sql, tenantId, c.id, scopeSqlOf(row)));
      base.push((performance.now() - t) / 1000);
      t = performance.now();
      result = await b.db.tx({ tenantId }, (sql) => reconcileIn(sql, tenantId, row));
      ours.push((performance.now() - t) / 1000);
    }
    if (result!.counts.notReached !== notReached) throw new Error(`reconciliation says ${result!.counts.notReached} not reached, the anti-join ${notReached}`);
    if (result!.counts.outsideScope !== outside) throw new Error(`outside scope ${result!.counts.outsideScope}, expected ${outside}`);
    const o = median(ours), bl = median(base);
    return [{
      name: `reconcile${b.db.kind === 'pglite' ? '-pglite' : ''}`,
      value: o, unit: 's',
      baseline: { name: 'hand-written SQL anti-join (scope vehicles never reported)', value: bl, unit: 's' },
      ratio: o / bl, target: '<= 1.5 (time / baseline time)',
      note: `${n.toLocaleString('en')} reports vs ${n.toLocaleString('en')}-vehicle scope; median of 3`,
      extra: { runs: { ours, baseline: base }, counts: result!.counts, ingestSeconds, ingestRowsPerSecond: n / ingestSeconds, database: b.db.kind },
    }];
  } finally {
    await b.close();
  }
}
