import { z } from 'zod';
import {
  CampaignRef, Classification, EvidenceRef, FunctionChange, IsoDate, IsoInstant, Manufacturer, ParameterChange, ProductRef, Scope,
  SoftwareRow, Text2,
} from './common.ts';

/** The per-activity record both authorities receive (MIIT 2022 tier 3, R156 7.1.2, GB 44496). */
export const OtaActivity = z.object({
  campaign: CampaignRef,
  products: z.array(ProductRef).min(1),
  classification: Classification,
  scope: Scope,
  prerequisiteVersions: z.array(z.object({ ecu: z.string(), versions: z.array(z.string()).min(1) }).strict()),
  software: z.array(SoftwareRow).min(1),
  functions: z.array(FunctionChange),
  parameterChanges: z.array(ParameterChange),
  otaType: z.enum(['remote', 'local']),
  requirementSource: z.enum(['defect', 'regulation', 'feature', 'user-complaint', 'performance', 'security', 'other']),
  release: z.object({ plannedStart: IsoDate, plannedEnd: IsoDate.nullable() }).strict(),
  recall: z.object({ number: z.string().nullable() }).strict().nullable(),
  affects: z.object({
    typeApprovedSystems: z.boolean(),
    mainParameters: z.boolean(),
    automatedDriving: z.boolean(),
    rationale: z.string().min(1),
  }).strict(),
  safety: z.object({
    vehicleState: z.string().min(1),
    energy: z.string().min(1),
    failureHandling: z.string().min(1),
    rollback: z.string().min(1),
  }).strict(),
  userNotice: z.object({ before: z.string().min(1), after: z.string().min(1) }).strict(),
  verification: z.array(EvidenceRef),
}).strict();

export const OtaFilingMiitContent = OtaActivity;

/**
 * SAMR 2021: the OTA safety technical assessment information sheet (汽车远程升级（OTA）安全技术评估信息表)
 * travels with the activity record; the sheet's fields are kept by their own names so they map to the form.
 */
export const OtaFilingSamrContent = OtaActivity.extend({
  infoSheet: z.object({
    producer: z.object({ name: Text2, uscc: z.string().nullable(), importer: Manufacturer.shape.importer }).strict(),
    vehicle: z.object({ models: z.array(z.string()).min(1), vehicleCount: z.number().int().nonnegative(),
      productionWindow: Scope.shape.productionWindow }).strict(),
    otaType: z.enum(['remote', 'local']),
    releaseTime: IsoDate,
    upgradePeriod: z.object({ from: IsoDate, to: IsoDate.nullable() }).strict(),
    requirementSource: OtaActivity.shape.requirementSource,
    purpose: z.string().min(1),
    failureHandling: z.string().min(1),
  }).strict(),
  /** The electronic upgrade packages, identified by hash (the files go on disc per S21-1). */
  upgradePackages: z.array(z.object({ ecu: z.string(), sha256: z.string(), size: z.number().int() }).strict()).min(1),
  /** Release may not start before this working day (S21-1: at least 5 working days after the sheet). */
  earliestRelease: z.object({ date: IsoDate, provisional: z.boolean(), rule: z.string(), source: z.string() }).strict().nullable(),
}).strict();

/** N45-7: supporting file for the MIIT product change (变更/扩展) permit an OTA needs first. */
export const ChangePermitContent = z.object({
  campaign: CampaignRef,
  products: z.array(ProductRef).min(1),
  classification: Classification,
  parameterChanges: z.array(ParameterChange).min(1),
  functions: z.array(FunctionChange),
  rationale: z.string().min(1),
  verification: z.array(EvidenceRef),
}).strict().superRefine((c, ctx) => {
  if (c.classification.class === 'A') ctx.addIssue({ code: 'custom', path: ['classification', 'class'], message: 'a class A upgrade needs no change permit' });
});

/** N45-8 / S20-2: an OTA that removes a defect is a recall, filed with SAMR. */
export const RecallFilingContent = z.object({
  campaign: CampaignRef,
  products: z.array(ProductRef).min(1),
  recall: z.object({
    number: z.string().nullable(),
    defect: z.string().min(1),
    cause: z.string().nullable(),
    risk: z.string().min(1),
    remedy: z.string().min(1),
    decidedOn: IsoDate,
    productionStopped: z.boolean(),
    productionStoppedOn: IsoDate.nullable(),
    plan: z.object({ start: IsoDate, end: IsoDate.nullable() }).strict(),
  }).strict(),
  scope: Scope,
  software: z.array(SoftwareRow).min(1),
  evidence: z.array(EvidenceRef),
}).strict();

/** M22-3: implementation report within 5 working days of completion (every 6 months while it runs). */
export const ImplementationReportContent = z.object({
  campaign: CampaignRef,
  products: z.array(ProductRef).min(1),
  /** The content digest of the activity filing this report accounts for. */
  filedContentDigest: z.string().regex(/^[0-9a-f]{64}$/),
  period: z.object({ from: IsoDate, to: IsoDate }).strict(),
  final: z.boolean(),
  completedAt: IsoInstant.nullable(),
  counts: z.object({
    targeted: z.number().int().nonnegative(),
    succeeded: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
    notReached: z.number().int().nonnegative(),
    /** Successes only the server reports; the vehicle never confirmed its version. */
    unconfirmed: z.number().int().nonnegative(),
    outsideScope: z.number().int().nonnegative(),
  }).strict(),
  deviations: z.array(z.object({ kind: z.string().min(1), count: z.number().int().nonnegative(), note: z.string() }).strict()),
}).strict().superRefine((c, ctx) => {
  const { targeted, succeeded, failed, notReached } = c.counts;
  if (succeeded + failed + notReached !== targeted) {
    ctx.addIssue({ code: 'custom', path: ['counts'], message: `succeeded + failed + notReached (${succeeded + failed + notReached}) must equal targeted (${targeted})`,
      params: { key: 'filings.countsSum', params: { sum: succeeded + failed + notReached, targeted } } });
  }
  if (c.period.from > c.period.to) ctx.addIssue({ code: 'custom', path: ['period'], message: 'period.from is after period.to' });
});
