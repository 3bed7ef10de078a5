-- Bulk intake COPYs validated events straight into incident_events inside the intake transaction
-- (see Sql.copyRows): the tenant column is filled by this default, the transaction's tenant, never
-- by a line of the batch. The scratch-table shape of the earlier two-step path is no longer used.
ALTER TABLE incident_events ALTER COLUMN tenant_id SET DEFAULT current_setting('app.tenant_id');
DROP TABLE incident_events_stage;
-- Signal days of a bulk batch are COPYed the same way.
ALTER TABLE incident_signal_days ALTER COLUMN tenant_id SET DEFAULT current_setting('app.tenant_id');
