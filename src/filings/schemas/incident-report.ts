import { z } from 'zod';
import { EvidenceRef, IsoDate, IsoInstant, ProductRef } from './common.ts';

/** N45-5 / S20-3: an event or accident report version. Personal data stays out of the package. */
export const IncidentReportContent = z.object({
  incident: z.object({
    id: z.string().min(1),
    reportVersion: z.number().int().positive(),
    /** Report type: first report, full report, update, result of an investigation. */
    reportType: z.enum(['initial', 'full', 'update', 'investigation-result', 'monthly-summary']),
    severity: z.enum(['S1', 'S2', 'S3', 'S4']),
    severityRule: z.object({ rule: z.string(), source: z.string(), policy: z.boolean() }).strict(),
    awareness: z.object({ at: IsoInstant, source: z.string().min(1) }).strict(),
    dueAt: IsoInstant.nullable(),
  }).strict(),
  product: ProductRef.nullable(),
  vehicle: z.object({
    vin: z.string().min(1),
    vinCheck: z.enum(['valid', 'unverifiable']),
    software: z.array(z.object({ ecu: z.string(), version: z.string(), swin: z.string().nullable() }).strict()),
  }).strict().nullable(),
  event: z.object({
    occurredAt: IsoInstant,
    province: z.string().nullable(),
    city: z.string().nullable(),
    roadType: z.string().nullable(),
    weather: z.string().nullable(),
    lighting: z.string().nullable(),
    withinOdd: z.boolean().nullable(),
    kind: z.enum(['collision', 'cdas-failure', 'boundary-exit', 'deactivation', 'intrusion', 'remote-control', 'other']),
  }).strict(),
  cdas: z.object({
    function: z.string().nullable(),
    engagement: z.enum(['verified-engaged', 'alleged-engaged', 'verified-not-engaged', 'unknown']),
    secondsBeforeImpact: z.number().nullable(),
  }).strict(),
  crash: z.object({
    partner: z.string().nullable(),
    preCrashMovement: z.string().nullable(),
    speedKph: z.number().nullable(),
    highestInjury: z.string().nullable(),
    airbags: z.boolean().nullable(),
    towed: z.boolean().nullable(),
  }).strict().nullable(),
  dataAvailable: z.array(z.enum(['edr', 'telematics', 'video', 'police-report', 'other'])),
  narrative: z.array(z.object({ at: IsoInstant, text: z.string().min(1) }).strict()),
  previousVersion: z.object({ version: z.number().int().positive(), filingId: z.string().nullable() }).strict().nullable(),
  decidedOn: IsoDate.nullable(),
  evidence: z.array(EvidenceRef),
}).strict();
