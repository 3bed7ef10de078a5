import { z } from 'zod';

export const CAMPAIGN_STATES = ['draft', 'classified', 'awaiting_prerequisites', 'cleared', 'rolling_out', 'completed', 'halted', 'cancelled'] as const;
export const CampaignState = z.enum(CAMPAIGN_STATES);
export type CampaignState = z.infer<typeof CampaignState>;

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex characters');
const Text = z.object({ zh: z.string().trim().min(1), en: z.string().trim().min(1) });
const Instant = z.iso.datetime({ offset: true });
const IsoDate = z.iso.date();
const Version = z.string().trim().min(1).max(100);

export const SoftwareChange = z.object({
  ecu: z.string().trim().min(1).max(100),
  partNumber: z.string().trim().min(1).max(100),
  from: Version,
  to: Version,
  sha256: Sha256,
  size: z.number().int().positive(),
}).strict();
export type SoftwareChange = z.infer<typeof SoftwareChange>;

export const SwinChange = z.object({ system: z.string().trim().min(1).max(100), from: z.string().trim().min(1).max(100), to: z.string().trim().min(1).max(100) }).strict();

export const FunctionChange = z.object({
  name: z.string().trim().min(1).max(200),
  change: z.enum(['added', 'enabled', 'changed', 'disabled']),
  automationLevel: z.number().int().min(0).max(5),
}).strict();

export const PrerequisiteVersion = z.object({ ecu: z.string().trim().min(1), min: Version.optional(), max: Version.optional() }).strict();

export const Scope = z.object({
  vins: z.array(z.string()).max(200_000).optional(),
  productionDate: z.object({ from: IsoDate, to: IsoDate }).strict().optional(),
  /** Products in scope; defaults to the campaign's products. */
  products: z.array(z.string().min(1)).optional(),
  prerequisites: z.array(PrerequisiteVersion).optional(),
}).strict();
export type Scope = z.infer<typeof Scope>;

export const CampaignContent = z.object({
  products: z.array(z.string().min(1)).min(1),
  purpose: z.string().trim().min(1).max(4000),
  requirementSource: z.enum(['defect', 'regulation', 'feature', 'user-complaint', 'other']).optional(),
  otaType: z.enum(['remote', 'local']).default('remote'),
  recall: z.boolean().default(false),
  recallNumber: z.string().regex(/^S\d{4}[A-Z]\d{4}[IV]$/, 'SAMR recall code like S2025M0149I').optional(),
  software: z.array(SoftwareChange).min(1),
  swin: z.array(SwinChange).default([]),
  functions: z.array(FunctionChange).default([]),
  parameters: z.record(z.string(), z.unknown()).default({}),
  window: z.object({ start: Instant, end: Instant }).strict().optional(),
  scope: Scope.default({}),
  notices: z.object({ before: Text.optional(), after: Text.optional() }).strict().default({}),
  evidence: z.array(z.object({ sha256: Sha256, title: z.string().trim().min(1).max(300) }).strict()).default([]),
  safety: z.string().trim().max(4000).optional(),
}).strict();
export type CampaignContent = z.infer<typeof CampaignContent>;
export type CampaignInput = z.input<typeof CampaignContent>;

// A patch sets only the fields it names: the content's defaults must not fill the others in.
const patchShape = Object.fromEntries(Object.entries(CampaignContent.shape).map(([k, v]) =>
  [k, (v instanceof z.ZodDefault ? (v.unwrap() as z.ZodType) : (v as z.ZodType)).optional()]));
export const CampaignPatch = z.object(patchShape).strict() as unknown as z.ZodType<Partial<CampaignContent>>;
export type CampaignPatch = z.infer<typeof CampaignPatch>;

export const Transition = z.object({ to: CampaignState }).strict();

export const StepRecord = z.object({
  reference: z.string().trim().min(1).max(200),
  /** The filing digest the regulator received; defaults to the campaign's current digest. */
  filedDigest: Sha256.optional(),
  decisionDate: IsoDate.optional(),
  evidence: z.array(Sha256).default([]),
  note: z.string().max(2000).optional(),
}).strict();
export type StepRecord = z.infer<typeof StepRecord>;

export const OverrideRequest = z.object({ to: z.enum(['A', 'B', 'C']), justification: z.string().trim().min(1).max(4000) }).strict();

export const RolloutReport = z.object({
  vin: z.string(),
  campaign: z.string().optional(),
  version: Version,
  ecu: z.string().optional(),
  at: Instant,
  result: z.enum(['success', 'failure']),
  /** 'vehicle': the vehicle itself reported its version; 'server': only the OTA back end claims it. */
  source: z.enum(['vehicle', 'server']),
}).strict();
export type RolloutReport = z.infer<typeof RolloutReport>;
