-- VIN registry: one row per tenant and VIN, with the last known software per ECU and SWIN.
CREATE TABLE vehicles (
  tenant_id text NOT NULL,
  vin text NOT NULL CHECK (length(vin) = 17),
  product_id text NOT NULL,
  production_date date NOT NULL,
  plant text,
  software jsonb NOT NULL DEFAULT '{}',      -- ecu -> last known version
  swin jsonb NOT NULL DEFAULT '{}',          -- system -> last known SWIN
  software_source text,                      -- 'vehicle' | 'server': who last reported the software
  software_at timestamptz,
  import_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, vin)
);
CREATE INDEX vehicles_product_date ON vehicles (tenant_id, product_id, production_date);

-- One row per import batch (the audit entry carries the same digest).
CREATE TABLE vehicle_imports (
  id text PRIMARY KEY,
  tenant_id text NOT NULL,
  digest text NOT NULL,
  format text NOT NULL,
  lines bigint NOT NULL,
  inserted bigint NOT NULL,
  updated bigint NOT NULL,
  unchanged bigint NOT NULL,
  skipped bigint NOT NULL,
  warnings bigint NOT NULL,
  actor jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX vehicle_imports_tenant ON vehicle_imports (tenant_id, created_at);
