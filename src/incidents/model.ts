import { z } from 'zod';
import { ENGAGEMENT, EVENT_TYPES } from '../regimes/cn-2025/incidents.ts';

export const AWARENESS_SOURCES = ['telematics', 'customer', 'police', 'media', 'dealer', 'regulator', 'internal_review', 'testing', 'other'] as const;

const Instant = z.iso.datetime({ offset: true });
const Text = (max = 200) => z.string().trim().min(1).max(max);

/** Personal data: stored apart, readable with incidents:personal only, left out of exports by default. */
export const PersonalData = z.object({
  names: z.array(Text(200)).max(20).optional(),
  plate: Text(20).optional(),
  exactLocation: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }).optional(),
  address: Text(500).optional(),
  phone: Text(40).optional(),
  serialNumber: Text(100).optional(),
}).strict();
export type PersonalData = z.infer<typeof PersonalData>;

export const SeverityFacts = z.object({
  fatality: z.boolean().optional(),
  hospitalInjury: z.boolean().optional(),
  vulnerableRoadUser: z.boolean().optional(),
  fire: z.boolean().optional(),
  airbag: z.boolean().optional(),
  towAway: z.boolean().optional(),
  propertyDamage: z.boolean().optional(),
}).strict();

/** One event from telematics or a person: the intake contract (JSON object or one NDJSON line). */
export const IncidentEvent = z.object({
  eventId: Text(120).optional().describe('the sender\'s id; with it a re-sent event is recognised even if other fields changed'),
  type: z.enum(EVENT_TYPES),
  vin: z.string().trim().min(11).max(17),
  occurredAt: Instant,
  awareAt: Instant.optional().describe('when the manufacturer became aware (知悉); defaults to the time of receipt'),
  awarenessSource: z.enum(AWARENESS_SOURCES).default('telematics'),
  incidentRef: Text(120).optional().describe('groups several events of one incident into one case'),
  cdas: z.object({
    function: Text(80),
    engagement: z.enum(ENGAGEMENT).default('unknown'),
    secondsBeforeImpact: z.number().min(0).max(3600).nullable().optional(),
  }).strict(),
  faultCode: Text(80).optional(),
  software: z.array(z.object({ ecu: Text(40), version: Text(80), swin: Text(80).optional() }).strict()).max(50).default([]),
  location: z.object({ province: Text(40), city: Text(60).optional() }).strict().optional(),
  severity: SeverityFacts.default({}),
  personal: PersonalData.optional(),
}).strict();
export type IncidentEvent = z.infer<typeof IncidentEvent>;

export const IntakeResult = z.object({
  batchId: z.string(),
  received: z.number(),
  inserted: z.number(),
  duplicates: z.number(),
  casesOpened: z.number(),
  assessmentsOpened: z.number(),
  replayed: z.boolean(),
});
export type IntakeResult = z.infer<typeof IntakeResult>;

export const ImportResult = z.object({
  imported: z.number(),
  unchanged: z.number(),
  rejected: z.array(z.object({ line: z.number(), reason: z.string(), reportId: z.string().optional(), version: z.number().optional() })),
  cases: z.number(),
  chains: z.number(),
  chainsWithGaps: z.number(),
});
export type ImportResult = z.infer<typeof ImportResult>;

/** A new report version written by a person (first report, update, full report, result report). */
export const NewReport = z.object({
  type: z.enum(['first', 'update', 'full', 'result', 'monthly']),
  facts: z.record(z.string(), z.unknown()).default({}),
  narrative: z.string().trim().min(1).max(20_000).optional().describe('appended to the narrative; earlier text is never rewritten'),
  severity: SeverityFacts.optional().describe('new material facts; severity is re-assessed'),
  personal: PersonalData.optional(),
  basedOnVersion: z.number().int().min(0).describe('the latest version you saw; a stale value is a 409'),
}).strict();
export type NewReport = z.infer<typeof NewReport>;

export const AssessmentDecision = z.object({
  decision: z.enum(['recall', 'no-recall']),
  reason: z.string().trim().min(1).max(5000),
}).strict();
