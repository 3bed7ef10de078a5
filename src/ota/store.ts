// The only SQL of the OTA slice: campaigns, their scope VINs, step records, signing keys,
// authorizations, rollout reports and the set-based reconciliation.
import type { JWK } from 'jose';
import { batcher, type Batcher } from '../platform/batcher.ts';
import type { Db, Sql } from '../platform/db.ts';

export type CampaignRow = {
  id: string; tenant_id: string; state: string; revision: number; content: any; product_ids: string[]; scope_vin_count: number;
  payload_digest: string; scope_digest: string; content_digest: string; classification: any; computed_class: string | null; class: string | null;
  recall: boolean; override: any; steps: any[]; cleared_at: Date | null; started_at: Date | null; completed_at: Date | null;
  created_by: any; created_at: Date; updated_at: Date;
};

export async function insertCampaign(sql: Sql, tenantId: string, c: {
  id: string; content: unknown; productIds: string[]; vinCount: number; payloadDigest: string; scopeDigest: string; contentDigest: string;
  recall: boolean; createdBy: unknown; at: Date;
}): Promise<CampaignRow> {
  return sql.one<CampaignRow>(
    `INSERT INTO campaigns (id, tenant_id, state, content, product_ids, scope_vin_count, payload_digest, scope_digest, content_digest, recall, created_by, created_at, updated_at)
     VALUES ($1,$2,'draft',$3,$4,$5,$6,$7,$8,$9,$10,$11,$11) RETURNING *`,
    [c.id, tenantId, JSON.stringify(c.content), c.productIds, c.vinCount, c.payloadDigest, c.scopeDigest, c.contentDigest, c.recall, JSON.stringify(c.createdBy), c.at]);
}

export async function getCampaign(sql: Sql, tenantId: string, id: string, forUpdate = false): Promise<CampaignRow | undefined> {
  return sql.maybeOne<CampaignRow>(`SELECT * FROM campaigns WHERE tenant_id = $1 AND id = $2${forUpdate ? ' FOR UPDATE' : ''}`, [tenantId, id]);
}

export async function listCampaigns(sql: Sql, tenantId: string, q: { state?: string; product?: string; limit: number; offset: number }): Promise<{ rows: CampaignRow[]; total: number }> {
  const where = ['tenant_id = $1'];
  const params: unknown[] = [tenantId];
  if (q.state) { params.push(q.state); where.push(`state = $${params.length}`); }
  if (q.product) { params.push([q.product]); where.push(`product_ids @> $${params.length}`); }
  const total = (await sql.one<{ n: number }>(`SELECT count(*)::int AS n FROM campaigns WHERE ${where.join(' AND ')}`, params)).n;
  params.push(q.limit, q.offset);
  const rows = await sql.query<CampaignRow>(`SELECT * FROM campaigns WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id LIMIT $${params.length - 1} OFFSET $${params.length}`, params);
  return { rows, total };
}

/** A conditional update: only from one of `from`; undefined when the campaign moved meanwhile. */
export async function updateCampaign(sql: Sql, tenantId: string, id: string, from: string[], set: Partial<{
  state: string; revision: number; content: unknown; productIds: string[]; vinCount: number; payloadDigest: string; scopeDigest: string; contentDigest: string;
  classification: unknown; computedClass: string | null; class: string | null; recall: boolean; override: unknown; steps: unknown;
  clearedAt: Date | null; startedAt: Date | null; completedAt: Date | null;
}>, at: Date): Promise<CampaignRow | undefined> {
  const cols: Record<string, [string, (v: any) => unknown]> = {
    state: ['state', (v) => v], revision: ['revision', (v) => v], content: ['content', (v) => JSON.stringify(v)], productIds: ['product_ids', (v) => v],
    vinCount: ['scope_vin_count', (v) => v], payloadDigest: ['payload_digest', (v) => v], scopeDigest: ['scope_digest', (v) => v], contentDigest: ['content_digest', (v) => v],
    classification: ['classification', (v) => (v === null ? null : JSON.stringify(v))], computedClass: ['computed_class', (v) => v], class: ['class', (v) => v],
    recall: ['recall', (v) => v], override: ['override', (v) => (v === null ? null : JSON.stringify(v))], steps: ['steps', (v) => JSON.stringify(v)],
    clearedAt: ['cleared_at', (v) => v], startedAt: ['started_at', (v) => v], completedAt: ['completed_at', (v) => v],
  };
  const params: unknown[] = [tenantId, id, from, at];
  const sets = ['updated_at = $4'];
  for (const [k, v] of Object.entries(set)) {
    if (v === undefined) continue;
    const [col, enc] = cols[k];
    params.push(enc(v));
    sets.push(`${col} = $${params.length}`);
  }
  return sql.maybeOne<CampaignRow>(`UPDATE campaigns SET ${sets.join(', ')} WHERE tenant_id = $1 AND id = $2 AND state = ANY($3) RETURNING *`, params);
}

export async function replaceScopeVins(sql: Sql, tenantId: string, campaignId: string, vins: string[]): Promise<void> {
  await sql.query('DELETE FROM campaign_scope_vins WHERE tenant_id = $1 AND campaign_id = $2', [tenantId, campaignId]);
  for (let i = 0; i < vins.length; i += 10_000) {
    await sql.query(`INSERT INTO campaign_scope_vins (tenant_id, campaign_id, vin) SELECT $1, $2, v FROM unnest($3::text[]) AS v ON CONFLICT DO NOTHING`,
      [tenantId, campaignId, vins.slice(i, i + 10_000)]);
  }
}

export async function scopeVins(sql: Sql, tenantId: string, campaignId: string): Promise<string[]> {
  return (await sql.query<{ vin: string }>('SELECT vin FROM campaign_scope_vins WHERE tenant_id = $1 AND campaign_id = $2 ORDER BY vin', [tenantId, campaignId])).map((r) => r.vin);
}

/** Campaigns of these products whose planned window starts within the period (frequency view). */
export async function campaignsOfProducts(sql: Sql, tenantId: string): Promise<{ id: string; product_ids: string[]; state: string; start: string | null; created_at: Date }[]> {
  return sql.query(`SELECT id, product_ids, state, content->'window'->>'start' AS start, created_at FROM campaigns WHERE tenant_id = $1 AND state <> 'cancelled'`, [tenantId]);
}

// ---- step records -------------------------------------------------------------------------------

export type StepRow = { step_id: string; reference: string; filed_digest: string | null; decision_date: string | null; evidence: string[]; note: string | null; recorded_by: any; recorded_at: Date };

export async function upsertStep(sql: Sql, tenantId: string, campaignId: string, s: { stepId: string; reference: string; filedDigest: string | null; decisionDate: string | null; evidence: string[]; note: string | null; by: unknown; at: Date }): Promise<void> {
  await sql.query(
    `INSERT INTO campaign_steps (tenant_id, campaign_id, step_id, reference, filed_digest, decision_date, evidence, note, recorded_by, recorded_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)
     ON CONFLICT (tenant_id, campaign_id, step_id) DO UPDATE SET reference = EXCLUDED.reference, filed_digest = EXCLUDED.filed_digest,
       decision_date = EXCLUDED.decision_date, evidence = EXCLUDED.evidence, note = EXCLUDED.note, recorded_by = EXCLUDED.recorded_by, recorded_at = EXCLUDED.recorded_at`,
    [tenantId, campaignId, s.stepId, s.reference, s.filedDigest, s.decisionDate, JSON.stringify(s.evidence), s.note, JSON.stringify(s.by), s.at]);
}

export async function stepsOf(sql: Sql, tenantId: string, campaignId: string): Promise<StepRow[]> {
  return sql.query<StepRow>('SELECT * FROM campaign_steps WHERE tenant_id = $1 AND campaign_id = $2 ORDER BY step_id', [tenantId, campaignId]);
}

// ---- signing keys and authorizations ------------------------------------------------------------

export type KeyRow = { kid: string; public_jwk: JWK; private_jwk: JWK; status: 'active' | 'retired'; created_at: Date; retired_at: Date | null };

export async function activeKey(sql: Sql, tenantId: string): Promise<KeyRow | undefined> {
  return sql.maybeOne<KeyRow>(`SELECT * FROM ota_signing_keys WHERE tenant_id = $1 AND status = 'active'`, [tenantId]);
}

export async function publishedKeys(sql: Sql, tenantId: string): Promise<KeyRow[]> {
  return sql.query<KeyRow>(`SELECT * FROM ota_signing_keys WHERE tenant_id = $1 ORDER BY created_at DESC, kid`, [tenantId]);
}

export async function insertKey(sql: Sql, tenantId: string, k: { kid: string; publicJwk: JWK; privateJwk: JWK; at: Date }): Promise<void> {
  await sql.query(`UPDATE ota_signing_keys SET status = 'retired', retired_at = $2 WHERE tenant_id = $1 AND status = 'active'`, [tenantId, k.at]);
  await sql.query(`INSERT INTO ota_signing_keys (tenant_id, kid, public_jwk, private_jwk, status, created_at) VALUES ($1,$2,$3,$4,'active',$5)`,
    [tenantId, k.kid, JSON.stringify(k.publicJwk), JSON.stringify(k.privateJwk), k.at]);
}

export type AuthzRow = { id: string; campaign_id: string; revision: number; kid: string; token: string; claims: any; issued_at: Date; valid_from: Date; valid_to: Date; revoked_at: Date | null; revoked_reason: string | null };

export async function insertAuthorization(sql: Sql, tenantId: string, a: { id: string; campaignId: string; revision: number; kid: string; token: string; claims: unknown; issuedAt: Date; validFrom: Date; validTo: Date }): Promise<void> {
  await sql.query(
    `INSERT INTO ota_authorizations (id, tenant_id, campaign_id, revision, kid, token, claims, issued_at, valid_from, valid_to) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
    [a.id, tenantId, a.campaignId, a.revision, a.kid, a.token, JSON.stringify(a.claims), a.issuedAt, a.validFrom, a.validTo]);
}

export async function authorizationsOf(sql: Sql, tenantId: string, campaignId: string): Promise<AuthzRow[]> {
  return sql.query<AuthzRow>('SELECT * FROM ota_authorizations WHERE tenant_id = $1 AND campaign_id = $2 ORDER BY issued_at', [tenantId, campaignId]);
}

export async function revokeAuthorization(sql: Sql, tenantId: string, campaignId: string, reason: string, at: Date): Promise<AuthzRow | undefined> {
  return sql.maybeOne<AuthzRow>(
    `UPDATE ota_authorizations SET revoked_at = $3, revoked_reason = $4 WHERE tenant_id = $1 AND campaign_id = $2 AND revoked_at IS NULL RETURNING *`,
    [tenantId, campaignId, at, reason]);
}

// ---- the per-vehicle gate -----------------------------------------------------------------------

export type GateFacts = {
  state: string; window: { start: string; end: string } | null; scope: any; product_ids: string[]; scope_vin_count: number; authorization_active: boolean;
  product_id: string | null; production_date: string | null; software: Record<string, string> | null; listed: boolean;
};
export type GateKey = { campaignId: string; vin: string };

/**
 * The facts of many (campaign, VIN) checks of one tenant in ONE statement, prepared once per
 * connection. Each campaign is read once per batch, and only what the rule needs: its state, the
 * window and the scope (the VIN list is not in `content`; whether the VIN is listed comes from
 * campaign_scope_vins), products and whether an authorization is in force. The vehicle and the listing
 * are LIMIT 1 lateral lookups, so each is one primary-key probe whatever the planner thinks of the
 * table sizes (a generic plan otherwise scanned the tenant's whole registry per batch). The answer is
 * one row of two JSON arrays (the campaigns found; per key in order, the vehicle facts), so the driver
 * parses one JSON text per batch instead of ten typed fields per check.
 */
const GATE_BATCH_SQL = `WITH k AS (
         SELECT * FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS k(campaign_id, vin, i)),
       c AS MATERIALIZED (
         SELECT c.id, c.state, c.content->'window' AS window, c.content->'scope' AS scope, c.product_ids, c.scope_vin_count,
                EXISTS (SELECT 1 FROM ota_authorizations a WHERE a.tenant_id = c.tenant_id AND a.campaign_id = c.id AND a.revoked_at IS NULL) AS authorization_active
           FROM campaigns c
          WHERE c.tenant_id = $1 AND c.id IN (SELECT DISTINCT campaign_id FROM k))
     SELECT (SELECT coalesce(json_agg(json_build_array(c.id, c.state, c.window, c.scope, c.product_ids, c.scope_vin_count, c.authorization_active)), '[]') FROM c) AS campaigns,
            (SELECT json_agg(json_build_array(v.product_id, v.production_date, v.software, s.vin IS NOT NULL) ORDER BY k.i)
               FROM k
               LEFT JOIN c ON c.id = k.campaign_id
               LEFT JOIN LATERAL (SELECT v.product_id, v.production_date::text AS production_date, v.software FROM vehicles v
                                   WHERE v.tenant_id = $1 AND v.vin = k.vin LIMIT 1) v ON c.id IS NOT NULL
               LEFT JOIN LATERAL (SELECT s.vin FROM campaign_scope_vins s
                                   WHERE s.tenant_id = $1 AND s.campaign_id = c.id AND s.vin = k.vin LIMIT 1) s ON c.scope_vin_count > 0) AS vehicles`;

type CampaignFacts = [id: string, state: string, window: GateFacts['window'], scope: any, productIds: string[], scopeVinCount: number, authorizationActive: boolean];
type VehicleFacts = [productId: string | null, productionDate: string | null, software: Record<string, string> | null, listed: boolean];

/** Facts for each key in order; undefined where the tenant has no such campaign. */
export async function gateFactsMany(sql: Sql, tenantId: string, keys: GateKey[]): Promise<(GateFacts | undefined)[]> {
  const [r] = await sql.query<{ campaigns: CampaignFacts[]; vehicles: VehicleFacts[] }>(
    GATE_BATCH_SQL, [tenantId, keys.map((k) => k.campaignId), keys.map((k) => k.vin)], 'ota_gate_facts_batch');
  if (r.vehicles?.length !== keys.length) throw new Error(`gate facts: ${keys.length} keys answered ${r.vehicles?.length ?? 0}`);
  const campaigns = new Map(r.campaigns.map((c) => [c[0], c]));
  return keys.map((k, i) => {
    const c = campaigns.get(k.campaignId);
    if (!c) return undefined;
    const v = r.vehicles[i];
    return {
      state: c[1], window: c[2], scope: c[3], product_ids: c[4], scope_vin_count: c[5], authorization_active: c[6],
      product_id: v[0], production_date: v[1], software: v[2], listed: v[3],
    };
  });
}

// One batch of a tenant in flight at a time: checks arriving meanwhile wait for its answer and go
// together, so under load the batches grow instead of the round trips (each costs both processes a
// wake-up, the largest cost of a check).
const GATE_IN_FLIGHT = 1;
const gateBatchers = new WeakMap<Db, Batcher<GateKey, GateFacts | undefined>>();

/**
 * The gate check is the hot path of OTA back ends. Checks of one tenant arriving in the same turn
 * of the event loop go to the database together (one batch per tenant scope, so row-level security
 * applies to each batch as to a single check), as a scoped read outside a transaction (the tenant
 * scope is cached per connection, see Db.read): one round trip per batch on PostgreSQL. Nothing is
 * cached between batches: a halt or a revocation is seen by the next batch.
 */
export function gateFactsBatched(db: Db, tenantId: string, campaignId: string, vin: string): Promise<GateFacts | undefined> {
  let b = gateBatchers.get(db);
  if (!b) gateBatchers.set(db, (b = batcher<GateKey, GateFacts | undefined>((tenant, keys) => db.read({ tenantId: tenant }, (sql) => gateFactsMany(sql, tenant, keys)), { maxInFlight: GATE_IN_FLIGHT })));
  return b.load(tenantId, { campaignId, vin });
}

/** Batches and keys the gate has sent to this database so far (benches report the mean batch size). */
export const gateBatchStats = (db: Db) => gateBatchers.get(db)?.stats ?? { batches: 0, keys: 0 };

// ---- rollout reports ----------------------------------------------------------------------------

export type ReportInput = { vin: string; at: Date; result: string; source: string; version: string; ecu: string };

/**
 * Inserts reports (a re-sent line is a no-op by the natural key), flags each against the
 * authorization in force at its time, and folds the new ones into the per-vehicle state.
 */
export async function insertReports(sql: Sql, tenantId: string, campaignId: string, batchId: string, at: Date, rows: ReportInput[]): Promise<number> {
  const r = await sql.one<{ inserted: number }>(
    `WITH input AS (
       SELECT * FROM unnest($3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::text[]) AS t(vin, at, result, source, version, ecu)),
     flagged AS (
       SELECT i.*, a.id AS authorization_id,
              EXISTS (SELECT 1 FROM jsonb_array_elements(coalesce(a.claims->'software', c.content->'software')) sw
                       WHERE sw->>'to' = i.version AND (i.ecu = '' OR sw->>'ecu' = i.ecu)) AS version_filed,
              coalesce(i.at >= (coalesce(a.claims, c.content)->'window'->>'start')::timestamptz
                   AND i.at < (coalesce(a.claims, c.content)->'window'->>'end')::timestamptz, false) AS in_window
         FROM input i
         JOIN campaigns c ON c.tenant_id = $1 AND c.id = $2
         LEFT JOIN LATERAL (SELECT x.id, x.claims FROM ota_authorizations x
                             WHERE x.tenant_id = $1 AND x.campaign_id = $2 AND x.issued_at <= i.at AND (x.revoked_at IS NULL OR i.at < x.revoked_at)
                             ORDER BY x.issued_at DESC LIMIT 1) a ON true),
     ins AS (
       INSERT INTO rollout_reports (tenant_id, campaign_id, vin, at, result, source, version, ecu, authorization_id, version_filed, in_window, batch_id, received_at)
       SELECT $1, $2, vin, at, result, source, version, ecu, authorization_id, version_filed, in_window, $9, $10 FROM flagged
       ON CONFLICT DO NOTHING
       RETURNING vin, at, result, source, version, authorization_id, version_filed, in_window),
     agg AS (
       SELECT vin, count(*)::int AS reports, max(at) AS latest_at,
              (array_agg(result ORDER BY at DESC, source = 'vehicle' DESC))[1] AS latest_result,
              (array_agg(version ORDER BY at DESC, source = 'vehicle' DESC))[1] AS latest_version,
              bool_or(result = 'success' AND source = 'vehicle') AS vehicle_success,
              bool_or(result = 'success' AND source = 'server') AS server_success,
              count(*) FILTER (WHERE NOT version_filed)::int AS unfiled,
              count(*) FILTER (WHERE authorization_id IS NULL)::int AS uncovered,
              count(*) FILTER (WHERE NOT in_window)::int AS outside_window,
              min(at) AS first_at
         FROM ins GROUP BY vin),
     up AS (
       INSERT INTO rollout_vehicle_state AS s (tenant_id, campaign_id, vin, reports, latest_at, latest_result, latest_version, vehicle_success, server_success, unfiled, uncovered, outside_window, first_at)
       SELECT $1, $2, vin, reports, latest_at, latest_result, latest_version, vehicle_success, server_success, unfiled, uncovered, outside_window, first_at FROM agg
       ON CONFLICT (tenant_id, campaign_id, vin) DO UPDATE SET
         reports = s.reports + EXCLUDED.reports,
         latest_result = CASE WHEN EXCLUDED.latest_at >= s.latest_at THEN EXCLUDED.latest_result ELSE s.latest_result END,
         latest_version = CASE WHEN EXCLUDED.latest_at >= s.latest_at THEN EXCLUDED.latest_version ELSE s.latest_version END,
         latest_at = greatest(s.latest_at, EXCLUDED.latest_at),
         vehicle_success = s.vehicle_success OR EXCLUDED.vehicle_success,
         server_success = s.server_success OR EXCLUDED.server_success,
         unfiled = s.unfiled + EXCLUDED.unfiled, uncovered = s.uncovered + EXCLUDED.uncovered, outside_window = s.outside_window + EXCLUDED.outside_window,
         first_at = least(s.first_at, EXCLUDED.first_at)
       RETURNING 1)
     SELECT (SELECT count(*) FROM ins)::int AS inserted, (SELECT count(*) FROM up)::int AS vehicles`,
    [tenantId, campaignId, rows.map((x) => x.vin), rows.map((x) => x.at), rows.map((x) => x.result), rows.map((x) => x.source),
      rows.map((x) => x.version), rows.map((x) => x.ecu), batchId, at]);
  return r.inserted;
}

export async function insertBatch(sql: Sql, tenantId: string, b: { id: string; campaignId: string; key: string; digest: string; lines: number; inserted: number; duplicates: number; at: Date }): Promise<void> {
  await sql.query(
    `INSERT INTO rollout_batches (id, tenant_id, campaign_id, idempotency_key, digest, lines, inserted, duplicates, received_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`,
    [b.id, tenantId, b.campaignId, b.key, b.digest, b.lines, b.inserted, b.duplicates, b.at]);
}

/** `digest` (the campaign's content digest, which covers the scope) lets reconciliation keep the scope's count. */
export type ScopeSql = { hasVinList: boolean; products: string[]; from: string | null; to: string | null; digest?: string };

function scopeCte(s: ScopeSql): string {
  // Same definition as rules.ts inScope: a VIN list when present (registry facts checked when known), else the registry.
  return s.hasVinList
    ? `SELECT l.vin FROM campaign_scope_vins l LEFT JOIN vehicles v ON v.tenant_id = $1 AND v.vin = l.vin
        WHERE l.tenant_id = $1 AND l.campaign_id = $2 AND (v.vin IS NULL OR v.product_id = ANY($3::text[]))
          AND ($4::date IS NULL OR v.production_date BETWEEN $4::date AND $5::date)`
    : `SELECT v.vin FROM vehicles v WHERE v.tenant_id = $1 AND v.product_id = ANY($3::text[])
          AND ($4::date IS NULL OR v.production_date BETWEEN $4::date AND $5::date)`;
}

/** The same membership as scopeCte for one VIN, as a correlated scalar subquery: probed per row by index, never a hash of the whole scope. */
function scopeMember(s: ScopeSql, vin: string): string {
  return s.hasVinList
    ? `(SELECT 1 FROM campaign_scope_vins l LEFT JOIN vehicles v ON v.tenant_id = $1 AND v.vin = l.vin
         WHERE l.tenant_id = $1 AND l.campaign_id = $2 AND l.vin = ${vin} AND (v.vin IS NULL OR v.product_id = ANY($3::text[]))
           AND ($4::date IS NULL OR v.production_date BETWEEN $4::date AND $5::date) LIMIT 1)`
    : `(SELECT 1 FROM vehicles v WHERE v.tenant_id = $1 AND v.vin = ${vin} AND v.product_id = ANY($3::text[])
           AND ($4::date IS NULL OR v.production_date BETWEEN $4::date AND $5::date) AND $2::text IS NOT NULL)`;
}

export type ReconRow = {
  targeted: number; reported: number; not_reached: number; succeeded: number; failed: number; outside_scope: number;
  server_only: number; unfiled_reports: number; uncovered_reports: number; outside_window_reports: number;
  outside_sample: string[] | null; server_only_sample: string[] | null;
};

/**
 * Two set-based statements: the per-vehicle state LEFT JOIN the filed scope (every count but the
 * targeted one; a left join runs as a parallel hash join on PostgreSQL 15, a full join does not),
 * then the size of the scope. Not reached = targeted - reached.
 */
export async function reconcile(sql: Sql, tenantId: string, campaignId: string, scope: ScopeSql): Promise<ReconRow> {
  const params = [tenantId, campaignId, scope.products, scope.from, scope.to];
  const r = await sql.one<Omit<ReconRow, 'targeted' | 'not_reached'> & { reached: number }>(
    `WITH s AS (${scopeCte(scope)})
     SELECT count(*)::int AS reported, count(s.vin)::int AS reached,
            count(*) FILTER (WHERE s.vin IS NOT NULL AND r.latest_result = 'success')::int AS succeeded,
            count(*) FILTER (WHERE s.vin IS NOT NULL AND r.latest_result = 'failure')::int AS failed,
            count(*) FILTER (WHERE s.vin IS NULL)::int AS outside_scope,
            count(*) FILTER (WHERE r.server_success AND NOT r.vehicle_success)::int AS server_only,
            coalesce(sum(r.unfiled), 0)::int AS unfiled_reports, coalesce(sum(r.uncovered), 0)::int AS uncovered_reports,
            coalesce(sum(r.outside_window), 0)::int AS outside_window_reports,
            min(r.vin) FILTER (WHERE s.vin IS NULL) AS outside_first,
            min(r.vin) FILTER (WHERE r.server_success AND NOT r.vehicle_success) AS server_only_first
       FROM rollout_vehicle_state r LEFT JOIN s ON s.vin = r.vin
      WHERE r.tenant_id = $1 AND r.campaign_id = $2`, params) as any;
  const targeted = await targetedCount(sql, tenantId, campaignId, scope);
  // Samples (min() keeps the pass parallel; ordered array_agg would not on PostgreSQL 15): from the first
  // VIN on, within a bounded stretch of the state in VIN order, so a sample never costs a second full pass.
  const sample = async (first: string | null, cond: string, withScope: boolean) => {
    if (first === null) return [];
    const bound = (await sql.maybeOne<{ vin: string }>(
      `SELECT vin FROM rollout_vehicle_state WHERE tenant_id = $1 AND campaign_id = $2 AND vin >= $3 ORDER BY vin OFFSET 50000 LIMIT 1`,
      [tenantId, campaignId, first]))?.vin ?? '\u{10FFFF}';
    const [lo, hi] = withScope ? ['$6', '$7'] : ['$3', '$4'];
    const rows = await sql.query<{ vin: string }>(
      `SELECT r.vin FROM rollout_vehicle_state r WHERE r.tenant_id = $1 AND r.campaign_id = $2 AND r.vin >= ${lo} AND r.vin < ${hi} AND ${cond}
        ORDER BY r.vin LIMIT 20`, withScope ? [...params, first, bound] : [tenantId, campaignId, first, bound]);
    return rows.map((x) => x.vin);
  };
  const outside_sample = await sample(r.outside_first, `${scopeMember(scope, 'r.vin')} IS NULL`, true);
  const server_only_sample = await sample(r.server_only_first, 'r.server_success AND NOT r.vehicle_success', false);
  return { ...r, targeted, not_reached: targeted - r.reached, outside_sample, server_only_sample };
}

/**
 * How many vehicles the scope targets. Counting a registry-wide scope is a full pass over it, so the count
 * is kept per campaign with the content digest and registry version it was taken at (the trigger in
 * 0023_scope_counts.sql bumps the version on every membership-changing write). Version and count are read
 * in one statement, one snapshot: a write committed meanwhile leaves a newer version, so the kept count
 * can only be recomputed needlessly, never served stale.
 */
async function targetedCount(sql: Sql, tenantId: string, campaignId: string, scope: ScopeSql): Promise<number> {
  const params = [tenantId, campaignId, scope.products, scope.from, scope.to];
  const version = `coalesce((SELECT version FROM vehicle_registry_versions WHERE tenant_id = $1), 0)`;
  if (!scope.digest) return (await sql.one<{ n: number }>(`SELECT count(*)::int AS n FROM (${scopeCte(scope)}) s WHERE $2::text IS NOT NULL`, params)).n;
  const kept = await sql.maybeOne<{ n: number }>(
    `SELECT targeted AS n FROM campaign_scope_counts WHERE tenant_id = $1 AND campaign_id = $2 AND content_digest = $3 AND registry_version = ${version}`,
    [tenantId, campaignId, scope.digest]);
  if (kept) return kept.n;
  const r = await sql.one<{ n: number; v: string }>(
    `SELECT (SELECT count(*)::int FROM (${scopeCte(scope)}) s WHERE $2::text IS NOT NULL) AS n, ${version}::text AS v`, params);
  await sql.query(
    `INSERT INTO campaign_scope_counts (tenant_id, campaign_id, content_digest, registry_version, targeted, computed_at) VALUES ($1, $2, $3, $4::bigint, $5, now())
     ON CONFLICT (tenant_id, campaign_id) DO UPDATE SET content_digest = EXCLUDED.content_digest, registry_version = EXCLUDED.registry_version,
       targeted = EXCLUDED.targeted, computed_at = EXCLUDED.computed_at`, [tenantId, campaignId, scope.digest, r.v, r.n]);
  return r.n;
}

/** The hand-written baseline the bench compares with: scope vehicles never reported (anti-join). */
export async function notReachedAntiJoin(sql: Sql, tenantId: string, campaignId: string, scope: ScopeSql): Promise<number> {
  return (await sql.one<{ n: number }>(
    `SELECT count(*)::int AS n FROM (${scopeCte(scope)}) s
      WHERE NOT EXISTS (SELECT 1 FROM rollout_reports r WHERE r.tenant_id = $1 AND r.campaign_id = $2 AND r.vin = s.vin)`,
    [tenantId, campaignId, scope.products, scope.from, scope.to])).n;
}

export type AnomalyRow = { vin: string; at: Date; version: string; ecu: string; result: string; source: string; authorization_id: string | null; version_filed: boolean; in_window: boolean };

/** Reports that were not filed, not covered by an authorization, or outside the window (partial index). */
export async function anomalies(sql: Sql, tenantId: string, campaignId: string, limit: number): Promise<AnomalyRow[]> {
  return sql.query<AnomalyRow>(
    `SELECT vin, at, version, ecu, result, source, authorization_id, version_filed, in_window FROM rollout_reports
      WHERE tenant_id = $1 AND campaign_id = $2 AND (NOT version_filed OR authorization_id IS NULL OR NOT in_window)
      ORDER BY at, vin LIMIT $3`, [tenantId, campaignId, limit]);
}

export async function unfiledVersions(sql: Sql, tenantId: string, campaignId: string): Promise<{ version: string; ecu: string; reports: number }[]> {
  return sql.query(
    `SELECT version, ecu, count(*)::int AS reports FROM rollout_reports
      WHERE tenant_id = $1 AND campaign_id = $2 AND (NOT version_filed OR authorization_id IS NULL OR NOT in_window) AND NOT version_filed
      GROUP BY version, ecu ORDER BY reports DESC, version`, [tenantId, campaignId]);
}

/** The tenant's policy document (platform table): the OTA slice reads `policy.ota`. */
export async function tenantPolicy(sql: Sql, tenantId: string): Promise<Record<string, unknown>> {
  return (await sql.maybeOne<{ policy: Record<string, unknown> }>('SELECT policy FROM tenants WHERE id = $1', [tenantId]))?.policy ?? {};
}
