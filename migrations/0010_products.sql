-- Products, their versioned Annex 2 parameter sets, imported catalog versions, evidence and its links.

CREATE TABLE catalog_versions (
  id text PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants(id),
  version text NOT NULL,
  provenance text NOT NULL CHECK (provenance IN ('official', 'candidate')),
  data jsonb NOT NULL,
  digest text NOT NULL,
  source jsonb NOT NULL DEFAULT '{}',
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  UNIQUE (tenant_id, version)
);

CREATE TABLE products (
  id text PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants(id),
  model text NOT NULL,
  name_zh text NOT NULL,
  name_en text NOT NULL,
  category text NOT NULL,
  manufacturer jsonb,
  cdas boolean NOT NULL,
  ota boolean NOT NULL,
  automation_level integer NOT NULL CHECK (automation_level BETWEEN 0 AND 5),
  access_status text NOT NULL CHECK (access_status IN ('applying', 'approved', 'changed')),
  announcement_batch text,
  approval_date date,
  baseline_version integer,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (tenant_id, model)
);
CREATE INDEX products_tenant ON products (tenant_id, model);

CREATE TABLE parameter_sets (
  id text PRIMARY KEY,
  tenant_id text NOT NULL,
  product_id text NOT NULL REFERENCES products(id),
  version integer,
  status text NOT NULL CHECK (status IN ('draft', 'submitted', 'approved')),
  catalog_version text NOT NULL,
  param_values jsonb NOT NULL DEFAULT '{}',
  unmapped jsonb NOT NULL DEFAULT '{}',
  digest text,
  based_on integer,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  submitted_at timestamptz,
  submitted_by text,
  approval_reference text,
  approval_date date,
  approval_batch text,
  approved_at timestamptz,
  approved_by text,
  CHECK ((status = 'draft') = (version IS NULL))
);
CREATE UNIQUE INDEX parameter_sets_one_draft ON parameter_sets (product_id) WHERE status = 'draft';
CREATE UNIQUE INDEX parameter_sets_version ON parameter_sets (product_id, version) WHERE version IS NOT NULL;
CREATE INDEX parameter_sets_tenant ON parameter_sets (tenant_id, product_id);

CREATE TABLE evidence (
  id text PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants(id),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size bigint NOT NULL,
  content_type text NOT NULL,
  filename text,
  title text NOT NULL,
  lab text NOT NULL,
  report_no text NOT NULL,
  issued_on date NOT NULL,
  valid_until date,
  uploaded_by text NOT NULL,
  created_at timestamptz NOT NULL,
  UNIQUE (tenant_id, sha256)
);

CREATE TABLE evidence_links (
  tenant_id text NOT NULL,
  parameter_set_id text NOT NULL REFERENCES parameter_sets(id),
  key text NOT NULL,
  evidence_id text NOT NULL REFERENCES evidence(id),
  created_at timestamptz NOT NULL,
  created_by text NOT NULL,
  PRIMARY KEY (parameter_set_id, key, evidence_id)
);
CREATE INDEX evidence_links_tenant ON evidence_links (tenant_id, evidence_id);
