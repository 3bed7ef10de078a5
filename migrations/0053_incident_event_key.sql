-- Events are keyed by their dedupe digest alone, made unique per tenant: the primary key on
-- (tenant_id, dedupe) repeated a text tenant id in every index entry, three times the size of the
-- digest, and bulk intake inserts a million entries per batch (see docs/incidents.md, Scale). The
-- key becomes the former digest XOR md5(tenant id), exactly what rules.dedupeDigest now computes, so
-- a re-sent event still meets its stored row. Row-level security keeps each tenant to its own rows.
SELECT set_config('app.tenant_id', '*', true);

CREATE FUNCTION pg_temp.tenant_key(tenant text, digest uuid) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
  SELECT (lpad(to_hex((('x' || substr(d, 1, 16))::bit(64) # ('x' || substr(m, 1, 16))::bit(64))::bigint), 16, '0')
       || lpad(to_hex((('x' || substr(d, 17, 16))::bit(64) # ('x' || substr(m, 17, 16))::bit(64))::bigint), 16, '0'))::uuid
  FROM (SELECT replace(digest::text, '-', '') AS d, md5(tenant) AS m) AS x
$$;

ALTER TABLE incident_events DROP CONSTRAINT incident_events_pkey;
UPDATE incident_events SET dedupe = pg_temp.tenant_key(tenant_id, dedupe);
ALTER TABLE incident_events ADD PRIMARY KEY (dedupe);

ALTER TABLE incident_event_personal DROP CONSTRAINT incident_event_personal_pkey;
UPDATE incident_event_personal SET dedupe = pg_temp.tenant_key(tenant_id, dedupe);
ALTER TABLE incident_event_personal ADD PRIMARY KEY (dedupe);

DROP FUNCTION pg_temp.tenant_key(text, uuid);
SELECT set_config('app.tenant_id', '', true);
