-- Filing packages (one row per version), their submissions to an authority, and the authority's decisions.
-- A package never changes once built: only state and superseded_by move (trigger below).

CREATE TABLE filings (
  id text PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants(id),
  kind text NOT NULL,
  addressee text NOT NULL CHECK (addressee IN ('MIIT', 'SAMR')),
  subject_type text NOT NULL CHECK (subject_type IN ('product', 'campaign', 'incident')),
  subject_id text NOT NULL,
  version integer NOT NULL CHECK (version > 0),
  supersedes text REFERENCES filings(id),
  superseded_by text REFERENCES filings(id),
  schema_id text NOT NULL,
  document jsonb NOT NULL,           -- the canonical document (filing.json parsed)
  content_digest text NOT NULL,      -- sha256 of filing.json
  subject_digest text,               -- the campaign's own content digest at filing time (OTA gate compares)
  manifest jsonb NOT NULL,
  package_sha256 text NOT NULL,
  package_size bigint NOT NULL,
  pdf_sha256 text NOT NULL,
  state text NOT NULL DEFAULT 'built' CHECK (state IN ('built', 'submitted', 'accepted', 'rejected', 'info_requested', 'permit_granted')),
  created_by jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (tenant_id, kind, addressee, subject_id, version)
);
CREATE INDEX filings_subject ON filings (tenant_id, subject_type, subject_id);
CREATE INDEX filings_addressee ON filings (addressee, created_at DESC) WHERE state <> 'built';

CREATE FUNCTION filings_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.id, NEW.tenant_id, NEW.kind, NEW.addressee, NEW.subject_type, NEW.subject_id, NEW.version, NEW.supersedes,
      NEW.schema_id, NEW.document, NEW.content_digest, NEW.subject_digest, NEW.manifest, NEW.package_sha256,
      NEW.package_size, NEW.pdf_sha256, NEW.created_by, NEW.created_at)
     IS DISTINCT FROM
     (OLD.id, OLD.tenant_id, OLD.kind, OLD.addressee, OLD.subject_type, OLD.subject_id, OLD.version, OLD.supersedes,
      OLD.schema_id, OLD.document, OLD.content_digest, OLD.subject_digest, OLD.manifest, OLD.package_sha256,
      OLD.package_size, OLD.pdf_sha256, OLD.created_by, OLD.created_at) THEN
    RAISE EXCEPTION 'a filing package never changes (filing %): build a corrected version instead', OLD.id;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER filings_no_change BEFORE UPDATE ON filings FOR EACH ROW EXECUTE FUNCTION filings_immutable();

CREATE FUNCTION filings_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP;
END $$;
CREATE TRIGGER filings_no_delete BEFORE DELETE ON filings FOR EACH ROW EXECUTE FUNCTION filings_append_only();

CREATE TABLE filing_submissions (
  id text PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants(id),
  filing_id text NOT NULL REFERENCES filings(id),
  addressee text NOT NULL,
  channel text NOT NULL,
  submitted_on date NOT NULL,
  reference text,                    -- receipt or filing number given by the authority
  note text,
  package_sha256 text NOT NULL,
  obligation_ids jsonb NOT NULL DEFAULT '[]',
  recorded_by jsonb NOT NULL,
  recorded_at timestamptz NOT NULL
);
CREATE INDEX filing_submissions_filing ON filing_submissions (tenant_id, filing_id);
CREATE UNIQUE INDEX filing_submissions_reference ON filing_submissions (filing_id, reference) WHERE reference IS NOT NULL;
CREATE TRIGGER filing_submissions_append_only BEFORE UPDATE OR DELETE ON filing_submissions
  FOR EACH ROW EXECUTE FUNCTION filings_append_only();

CREATE TABLE filing_decisions (
  id text PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants(id),   -- the manufacturer's tenant: the decision is part of its record
  filing_id text NOT NULL REFERENCES filings(id),
  authority text NOT NULL CHECK (authority IN ('MIIT', 'SAMR')),
  regulator_tenant_id text NOT NULL REFERENCES tenants(id),
  decision text NOT NULL CHECK (decision IN ('accepted', 'rejected', 'info_requested', 'permit_granted')),
  reason text,
  reference text,
  decided_on date NOT NULL,
  decided_by jsonb NOT NULL,
  obligation_ids jsonb NOT NULL DEFAULT '[]',
  recorded_at timestamptz NOT NULL
);
CREATE INDEX filing_decisions_filing ON filing_decisions (tenant_id, filing_id);
CREATE TRIGGER filing_decisions_append_only BEFORE UPDATE OR DELETE ON filing_decisions
  FOR EACH ROW EXECUTE FUNCTION filings_append_only();
