/** The obligations slice's public API for other slices (see docs/obligations.md). */
export {
  upsertObligations, syncProductObligations, syncCampaignObligations, syncIncidentObligations, backfillManufacturerObligations,
  syncIncidentObligationsMany, planIncidentObligationsMany, loadCalendar, obligationPolicy, type SyncResult, type Pending,
} from './generate.ts';
export { recordSubmission, recordDecision, reopenObligation, requestWaiver, approveWaiver } from './record.ts';
export { obligationsFor, campaignObligationStatus, type GateItem } from './queries.ts';
export { sweepReminders } from './reminders.ts';
export type { Obligation, Submission, Status } from './model.ts';
export type { ObligationSpec, ProductFacts, CampaignFacts, IncidentObligationFacts, IncidentDeadline } from '../regimes/cn-2025/obligations.ts';
