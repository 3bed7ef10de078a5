-- Per-vehicle results posted by OTA back ends. The natural key makes a re-sent line a no-op.
CREATE TABLE rollout_reports (
  tenant_id text NOT NULL,
  campaign_id text NOT NULL,
  vin text NOT NULL,
  at timestamptz NOT NULL,
  result text NOT NULL CHECK (result IN ('success','failure')),
  source text NOT NULL CHECK (source IN ('vehicle','server')),
  version text NOT NULL,
  ecu text NOT NULL DEFAULT '',
  authorization_id text,          -- the authorization in force at `at`, if any
  version_filed boolean NOT NULL, -- the version is a filed target (of that authorization, else of the campaign)
  in_window boolean NOT NULL,     -- `at` lies in the planned window in force
  batch_id text NOT NULL,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, campaign_id, vin, at, result, source, version, ecu)
);

-- One row per campaign and vehicle, kept current at ingestion so reconciliation is one join.
CREATE TABLE rollout_vehicle_state (
  tenant_id text NOT NULL,
  campaign_id text NOT NULL,
  vin text NOT NULL,
  reports integer NOT NULL,
  latest_at timestamptz NOT NULL,
  latest_result text NOT NULL,
  latest_version text NOT NULL,
  vehicle_success boolean NOT NULL,  -- a success the vehicle itself reported
  server_success boolean NOT NULL,   -- a success only the back end claims
  unfiled integer NOT NULL,          -- reports of versions not filed
  uncovered integer NOT NULL,        -- reports at a time no authorization covered (before clearance, after revocation)
  outside_window integer NOT NULL,
  first_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, campaign_id, vin)
);

CREATE TABLE rollout_batches (
  id text PRIMARY KEY,
  tenant_id text NOT NULL,
  campaign_id text NOT NULL,
  idempotency_key text NOT NULL,
  digest text NOT NULL,
  lines integer NOT NULL,
  inserted integer NOT NULL,
  duplicates integer NOT NULL,
  received_at timestamptz NOT NULL,
  UNIQUE (tenant_id, campaign_id, idempotency_key)
);

-- Anomalies are rare: a partial index lets reconciliation list them without scanning every report.
CREATE INDEX rollout_reports_anomalies ON rollout_reports (tenant_id, campaign_id, vin)
  WHERE NOT version_filed OR authorization_id IS NULL OR NOT in_window;
