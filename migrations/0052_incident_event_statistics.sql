-- Bulk intake refreshes the planner statistics of incident_events after a batch of fleet size (see
-- store.refreshEventStatistics). Only the columns queries filter or sort on need them: tenant_id,
-- dedupe, case_key, severity, occurred_at. Computing them for the jsonb body and the free-text columns
-- was most of the ANALYZE's time and no plan ever used them.
ALTER TABLE incident_events
  ALTER COLUMN body SET STATISTICS 0,
  ALTER COLUMN batch_id SET STATISTICS 0,
  ALTER COLUMN event_id SET STATISTICS 0,
  ALTER COLUMN type SET STATISTICS 0,
  ALTER COLUMN vin SET STATISTICS 0,
  ALTER COLUMN vin_status SET STATISTICS 0,
  ALTER COLUMN aware_at SET STATISTICS 0,
  ALTER COLUMN cdas_function SET STATISTICS 0,
  ALTER COLUMN engagement SET STATISTICS 0,
  ALTER COLUMN seconds_before_impact SET STATISTICS 0,
  ALTER COLUMN fault_code SET STATISTICS 0,
  ALTER COLUMN signature SET STATISTICS 0,
  ALTER COLUMN province SET STATISTICS 0,
  ALTER COLUMN city SET STATISTICS 0;
