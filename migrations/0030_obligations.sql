-- The obligation register, operator-loaded holiday schedules, webhooks and their delivery log.

CREATE TABLE obligations (
  id text PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants(id),
  key text NOT NULL, -- natural key: rule[#part]:subjectType:subjectId:addressee
  rule text NOT NULL,
  part text,
  source text NOT NULL,
  regime text NOT NULL,
  regime_version text NOT NULL,
  subject_type text NOT NULL CHECK (subject_type IN ('product', 'campaign', 'incident', 'manufacturer')),
  subject_id text NOT NULL,
  addressee text NOT NULL CHECK (addressee IN ('MIIT', 'SAMR', 'internal')),
  acting_party text NOT NULL DEFAULT 'manufacturer',
  title jsonb NOT NULL,
  documents jsonb NOT NULL DEFAULT '[]',
  due_at timestamptz,
  due_date date,
  due_provisional boolean NOT NULL DEFAULT false,
  due_basis text NOT NULL CHECK (due_basis IN ('law', 'policy')),
  due_condition text NOT NULL,
  due_explain text NOT NULL,
  gate boolean NOT NULL DEFAULT false,
  fulfilled_by text NOT NULL CHECK (fulfilled_by IN ('submission', 'acceptance')),
  after_keys jsonb NOT NULL DEFAULT '[]',
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'submitted', 'accepted', 'rejected', 'waived', 'withdrawn')),
  status_reason text, -- rejection reason, waiver justification, reopening question, withdrawal reason
  waiver_request jsonb, -- {by: {id, name}, at, justification} while a waiver awaits a second user
  decision_reference text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (tenant_id, key)
);
CREATE INDEX obligations_due ON obligations (tenant_id, status, due_at);
CREATE INDEX obligations_subject ON obligations (tenant_id, subject_type, subject_id);
CREATE INDEX obligations_open_due ON obligations (due_at) WHERE status IN ('open', 'rejected');

CREATE TABLE obligation_submissions (
  id text PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants(id),
  obligation_id text NOT NULL REFERENCES obligations(id),
  addressee text NOT NULL,
  channel text NOT NULL,
  submitted_at timestamptz NOT NULL,
  reference text, -- receipt or filing number
  package_sha256 text,
  filing_id text,
  note text,
  recorded_by jsonb NOT NULL,
  recorded_at timestamptz NOT NULL
);
CREATE INDEX obligation_submissions_obligation ON obligation_submissions (tenant_id, obligation_id, submitted_at);

-- Holiday schedules loaded by an operator (a new year without a release); not tenant data.
CREATE TABLE calendar_schedules (
  year integer PRIMARY KEY,
  source text NOT NULL,
  issued date NOT NULL,
  off_days jsonb NOT NULL,
  working_weekends jsonb NOT NULL,
  loaded_by jsonb NOT NULL,
  loaded_at timestamptz NOT NULL
);

CREATE TABLE webhooks (
  id text PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants(id),
  url text NOT NULL,
  secret text NOT NULL,
  events jsonb NOT NULL DEFAULT '["*"]',
  description text,
  active boolean NOT NULL DEFAULT true,
  created_by jsonb NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX webhooks_tenant ON webhooks (tenant_id) WHERE active;

-- One row per outbox event once it has been fanned out to the tenant's webhooks.
CREATE TABLE outbox_fanout (
  outbox_id bigint PRIMARY KEY,
  tenant_id text NOT NULL,
  done_at timestamptz NOT NULL
);

CREATE TABLE webhook_deliveries (
  id text PRIMARY KEY,
  tenant_id text NOT NULL,
  webhook_id text NOT NULL REFERENCES webhooks(id),
  outbox_id bigint NOT NULL,
  event_type text NOT NULL,
  idempotency_key text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  lease_until timestamptz,
  last_status integer,
  last_error text,
  delivered_at timestamptz,
  created_at timestamptz NOT NULL,
  UNIQUE (webhook_id, outbox_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (tenant_id, webhook_id, created_at);

CREATE TABLE webhook_attempts (
  id bigserial PRIMARY KEY,
  tenant_id text NOT NULL,
  delivery_id text NOT NULL REFERENCES webhook_deliveries(id),
  attempt integer NOT NULL,
  at timestamptz NOT NULL,
  status_code integer,
  error text,
  duration_ms integer NOT NULL
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (tenant_id, delivery_id, attempt);
