-- OTA upgrade activities (升级活动), their required steps as recorded, signing keys and authorizations.
CREATE TABLE campaigns (
  id text PRIMARY KEY,
  tenant_id text NOT NULL,
  state text NOT NULL CHECK (state IN ('draft','classified','awaiting_prerequisites','cleared','rolling_out','completed','halted','cancelled')),
  revision integer NOT NULL DEFAULT 1,          -- +1 on every content or scope change
  content jsonb NOT NULL,                       -- the campaign without the VIN list (that is campaign_scope_vins)
  product_ids text[] NOT NULL,
  scope_vin_count integer NOT NULL DEFAULT 0,
  payload_digest text NOT NULL,                 -- software, hashes, SWIN, functions, parameters, recall, window
  scope_digest text NOT NULL,                   -- VIN list, production window, products, prerequisite versions
  content_digest text NOT NULL,                 -- both: what a filing carries and clearance compares
  classification jsonb,                         -- the rule pack's result, with reasons and versions
  computed_class text CHECK (computed_class IN ('A','B','C')),
  class text CHECK (class IN ('A','B','C')),    -- effective: computed or an approved downgrade
  recall boolean NOT NULL DEFAULT false,
  override jsonb,                               -- {to, justification, requestedBy, requestedAt, approvedBy, approvedAt}
  steps jsonb NOT NULL DEFAULT '[]',            -- required steps with due dates, from the rule pack
  cleared_at timestamptz,
  started_at timestamptz,
  completed_at timestamptz,
  created_by jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX campaigns_tenant ON campaigns (tenant_id, created_at DESC);
CREATE INDEX campaigns_products ON campaigns USING gin (product_ids);

CREATE TABLE campaign_scope_vins (
  tenant_id text NOT NULL,
  campaign_id text NOT NULL REFERENCES campaigns(id),
  vin text NOT NULL,
  PRIMARY KEY (tenant_id, campaign_id, vin)
);

-- The latest record of each required step (history in the audit log).
CREATE TABLE campaign_steps (
  tenant_id text NOT NULL,
  campaign_id text NOT NULL REFERENCES campaigns(id),
  step_id text NOT NULL,
  reference text NOT NULL,
  filed_digest text,
  decision_date date,
  evidence jsonb NOT NULL DEFAULT '[]',
  note text,
  recorded_by jsonb NOT NULL,
  recorded_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, campaign_id, step_id)
);

CREATE TABLE ota_signing_keys (
  tenant_id text NOT NULL,
  kid text NOT NULL,
  public_jwk jsonb NOT NULL,
  private_jwk jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('active','retired')),
  created_at timestamptz NOT NULL,
  retired_at timestamptz,
  PRIMARY KEY (tenant_id, kid)
);
CREATE UNIQUE INDEX ota_signing_keys_one_active ON ota_signing_keys (tenant_id) WHERE status = 'active';

CREATE TABLE ota_authorizations (
  id text PRIMARY KEY,
  tenant_id text NOT NULL,
  campaign_id text NOT NULL REFERENCES campaigns(id),
  revision integer NOT NULL,
  kid text NOT NULL,
  token text NOT NULL,
  claims jsonb NOT NULL,
  issued_at timestamptz NOT NULL,
  valid_from timestamptz NOT NULL,
  valid_to timestamptz NOT NULL,
  revoked_at timestamptz,
  revoked_reason text
);
CREATE INDEX ota_authorizations_campaign ON ota_authorizations (tenant_id, campaign_id, issued_at);
CREATE UNIQUE INDEX ota_authorizations_one_active ON ota_authorizations (tenant_id, campaign_id) WHERE revoked_at IS NULL;
