-- Platform: tenants, people, credentials, the audit chain, the outbox, idempotency records.
-- Every table with a tenant_id column gets forced row-level security from migrate.ts.

CREATE TABLE tenants (
  id text PRIMARY KEY,
  tenant_id text GENERATED ALWAYS AS (id) STORED,
  kind text NOT NULL CHECK (kind IN ('manufacturer', 'regulator')),
  name_zh text NOT NULL,
  name_en text NOT NULL,
  overseas boolean NOT NULL DEFAULT false,
  country text,
  uscc text,
  importer jsonb,
  regulator text CHECK (regulator IN ('MIIT', 'SAMR')),
  policy jsonb NOT NULL DEFAULT '{}',
  regime text NOT NULL DEFAULT 'cn-2025',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX tenants_uscc ON tenants (uscc) WHERE uscc IS NOT NULL;

CREATE TABLE users (
  id text PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants(id),
  email text NOT NULL,
  name text NOT NULL,
  role text NOT NULL,
  password_hash text NOT NULL,
  locale text NOT NULL DEFAULT 'zh-CN',
  created_at timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz
);
CREATE UNIQUE INDEX users_email ON users (lower(email));
CREATE INDEX users_tenant ON users (tenant_id);

CREATE TABLE api_tokens (
  id text PRIMARY KEY,
  tenant_id text REFERENCES tenants(id), -- null: an operator token
  name text NOT NULL,
  role text NOT NULL,
  scopes text[] NOT NULL DEFAULT '{}',
  token_hash text NOT NULL UNIQUE,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);

CREATE TABLE sessions (
  id text PRIMARY KEY, -- sha256 of the cookie value
  tenant_id text NOT NULL REFERENCES tenants(id),
  user_id text NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);

CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  tenant_id text NOT NULL,
  seq bigint NOT NULL,
  at timestamptz NOT NULL,
  actor jsonb NOT NULL,
  action text NOT NULL,
  subject_type text NOT NULL,
  subject_id text NOT NULL,
  before_digest text,
  after_digest text,
  data jsonb NOT NULL DEFAULT '{}',
  prev_hash text NOT NULL,
  hash text NOT NULL,
  UNIQUE (tenant_id, seq)
);
CREATE INDEX audit_subject ON audit_log (tenant_id, subject_type, subject_id);

-- The head of each tenant's chain: appends lock it, so entries are numbered without gaps, and a
-- truncated tail is caught by comparing the last entry with the head.
CREATE TABLE audit_heads (
  tenant_id text PRIMARY KEY,
  seq bigint NOT NULL,
  hash text NOT NULL
);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP;
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  tenant_id text NOT NULL,
  type text NOT NULL,
  subject_type text NOT NULL,
  subject_id text NOT NULL,
  payload jsonb NOT NULL,
  idempotency_key text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_tenant ON outbox (tenant_id, id);

CREATE TABLE idempotency_keys (
  tenant_id text NOT NULL,
  scope text NOT NULL,
  key text NOT NULL,
  request_digest text NOT NULL,
  response jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, scope, key)
);
