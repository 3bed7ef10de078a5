-- Signal days hold the set of vehicles per (signature, Shanghai day) in one row, not one row per vehicle:
-- a million telematics events made 300,000 rows of four text columns and a four-column key, written
-- with every batch; as sets they are 2,400 rows (see docs/incidents.md, Scale). The escalation windows
-- and the signals view count the same distinct vehicles (unnest), so no answer changes.
CREATE TABLE incident_signal_day_sets (
  tenant_id text NOT NULL DEFAULT current_setting('app.tenant_id'),
  signature text NOT NULL,
  day date NOT NULL,
  -- Distinct VINs, sorted (a VIN never holds a comma: 17 or 11 letters and digits, or UNKNOWN).
  vins text[] NOT NULL CHECK (cardinality(vins) > 0),
  PRIMARY KEY (tenant_id, signature, day)
);

SELECT set_config('app.tenant_id', '*', true);
INSERT INTO incident_signal_day_sets (tenant_id, signature, day, vins)
  SELECT tenant_id, signature, day, array_agg(vin ORDER BY vin) FROM incident_signal_days GROUP BY tenant_id, signature, day;
SELECT set_config('app.tenant_id', '', true);

DROP TABLE incident_signal_days;
ALTER TABLE incident_signal_day_sets RENAME TO incident_signal_days;
ALTER INDEX incident_signal_day_sets_pkey RENAME TO incident_signal_days_pkey;
