-- Incidents: raw events from telematics and people, cases (one per incident), versioned reports,
-- personal data kept apart, failure signatures and defect assessments.

-- One row per accepted event. Bulk intake COPYs into a temporary table, then inserts here with
-- ON CONFLICT (tenant_id, dedupe) DO NOTHING, so a re-sent event never adds a row.
CREATE TABLE incident_events (
  tenant_id text NOT NULL,
  dedupe uuid NOT NULL,
  batch_id text NOT NULL,
  event_id text,
  type text NOT NULL,
  vin text NOT NULL,
  vin_status text NOT NULL,
  occurred_at timestamptz NOT NULL,
  aware_at timestamptz NOT NULL,
  cdas_function text NOT NULL,
  engagement text NOT NULL,
  seconds_before_impact real,
  fault_code text,
  signature text,
  severity text,
  case_key text,
  province text,
  city text,
  body jsonb NOT NULL,
  PRIMARY KEY (tenant_id, dedupe)
);
-- Events of S1-S3 cases, for the case page. S4 events (the bulk) stay out of this index on purpose.
CREATE INDEX incident_events_case ON incident_events (tenant_id, case_key, occurred_at) WHERE severity IN ('S1', 'S2', 'S3');

-- The shape of the scratch tables of bulk intake on PostgreSQL (incident_stage_<batch>, unlogged,
-- created LIKE this one and dropped after the batch): validated events are COPYed there while the
-- batch is still being read, then moved into incident_events in one statement. Holds no rows itself.
CREATE UNLOGGED TABLE incident_events_stage (
  tenant_id text NOT NULL,
  batch_id text NOT NULL,
  dedupe uuid NOT NULL,
  event_id text,
  type text NOT NULL,
  vin text NOT NULL,
  vin_status text NOT NULL,
  occurred_at timestamptz NOT NULL,
  aware_at timestamptz NOT NULL,
  cdas_function text NOT NULL,
  engagement text NOT NULL,
  seconds_before_impact real,
  fault_code text,
  signature text,
  severity text,
  case_key text,
  province text,
  city text,
  body jsonb NOT NULL
);

-- Personal data of events (names, plates, exact location): apart, read with incidents:personal only.
CREATE TABLE incident_event_personal (
  tenant_id text NOT NULL,
  dedupe uuid NOT NULL,
  data jsonb NOT NULL,
  PRIMARY KEY (tenant_id, dedupe)
);

CREATE TABLE incident_batches (
  id text PRIMARY KEY,
  tenant_id text NOT NULL,
  idempotency_key text,
  digest text NOT NULL,
  received integer NOT NULL,
  inserted integer NOT NULL,
  duplicates integer NOT NULL,
  created_at timestamptz NOT NULL
);

-- A case: one per incident (S1-S3), or one per month for the S4 summary.
CREATE TABLE incidents (
  id text PRIMARY KEY,
  tenant_id text NOT NULL,
  case_key text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('event', 'monthly-summary', 'external-report')),
  source text NOT NULL,
  type text,
  severity text CHECK (severity IN ('S1', 'S2', 'S3', 'S4')),
  reportable boolean NOT NULL,
  vin text,
  vin_status text,
  occurred_at timestamptz,
  aware_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'reported', 'closed')),
  decision jsonb NOT NULL,
  next_due_at timestamptz,
  event_count integer NOT NULL DEFAULT 0,
  summary jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (tenant_id, case_key)
);
CREATE INDEX incidents_queue ON incidents (tenant_id, next_due_at NULLS LAST, id);

-- Report versions: append-only. Each version keeps its content and the narrative it appended.
CREATE TABLE incident_reports (
  tenant_id text NOT NULL,
  incident_id text NOT NULL REFERENCES incidents(id),
  report_id text NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  type text NOT NULL,
  content jsonb NOT NULL,
  narrative text,
  digest text NOT NULL,
  source_line integer,
  created_at timestamptz NOT NULL,
  created_by jsonb NOT NULL,
  PRIMARY KEY (tenant_id, report_id, version)
);
CREATE INDEX incident_reports_incident ON incident_reports (tenant_id, incident_id, report_id, version);

CREATE TABLE incident_report_personal (
  tenant_id text NOT NULL,
  report_id text NOT NULL,
  version integer NOT NULL,
  data jsonb NOT NULL,
  PRIMARY KEY (tenant_id, report_id, version)
);

CREATE FUNCTION incident_reports_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'incident report versions are append-only (% refused)', TG_OP;
END $$;
CREATE TRIGGER incident_reports_no_change BEFORE UPDATE OR DELETE ON incident_reports
  FOR EACH ROW EXECUTE FUNCTION incident_reports_append_only();

-- Distinct vehicles per failure signature per Shanghai day: the escalation windows count these.
CREATE TABLE incident_signal_days (
  tenant_id text NOT NULL,
  signature text NOT NULL,
  day date NOT NULL,
  vin text NOT NULL,
  PRIMARY KEY (tenant_id, signature, day, vin)
);

CREATE TABLE defect_assessments (
  id text PRIMARY KEY,
  tenant_id text NOT NULL,
  signature text NOT NULL,
  cdas_function text NOT NULL,
  fault_code text NOT NULL,
  software_version text NOT NULL,
  ecu text,
  status text NOT NULL CHECK (status IN ('open', 'recall', 'no-recall')),
  trigger jsonb NOT NULL,
  decision jsonb,
  opened_at timestamptz NOT NULL,
  decided_at timestamptz,
  decided_by jsonb
);
-- At most one undecided assessment per signature.
CREATE UNIQUE INDEX defect_assessments_open ON defect_assessments (tenant_id, signature) WHERE status = 'open';

-- The parts of each failure signature seen, for the signals view and defect assessments.
CREATE TABLE incident_signatures (
  tenant_id text NOT NULL,
  signature text NOT NULL,
  cdas_function text NOT NULL,
  fault_code text NOT NULL,
  software_version text NOT NULL,
  ecu text,
  first_seen timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, signature)
);
