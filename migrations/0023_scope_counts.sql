-- Reconciliation's "targeted" count of a campaign scope, kept until the scope or the VIN registry changes.
-- The registry version is bumped by a statement-level trigger (one upsert per statement, never per row)
-- on any write that can change scope membership: inserts, deletes, and updates of the identity, product
-- or production date (software reports update other columns and do not bump it).
CREATE TABLE vehicle_registry_versions (
  tenant_id text PRIMARY KEY,
  version bigint NOT NULL
);

CREATE TABLE campaign_scope_counts (
  tenant_id text NOT NULL,
  campaign_id text NOT NULL REFERENCES campaigns(id),
  content_digest text NOT NULL,          -- the scope it counted (the content digest covers the scope)
  registry_version bigint NOT NULL,      -- vehicle_registry_versions.version it counted against (0: no row yet)
  targeted integer NOT NULL,
  computed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, campaign_id)
);

CREATE FUNCTION bump_vehicle_registry_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE t text := current_setting('app.tenant_id', true);
BEGIN
  IF t IS NULL OR t = '' OR t = '*' THEN
    -- An owner or operator write does not say which tenant it touched: forget every kept count.
    UPDATE vehicle_registry_versions SET version = version + 1;
    DELETE FROM campaign_scope_counts;
  ELSE
    INSERT INTO vehicle_registry_versions AS r (tenant_id, version) VALUES (t, 1)
      ON CONFLICT (tenant_id) DO UPDATE SET version = r.version + 1;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER vehicles_registry_version
  AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF tenant_id, vin, product_id, production_date ON vehicles
  FOR EACH STATEMENT EXECUTE FUNCTION bump_vehicle_registry_version();
