import { z } from 'zod';

/** Building blocks shared by the package schemas. Dates are 'YYYY-MM-DD' (Asia/Shanghai), instants ISO 8601 UTC. */
export const Text2 = z.object({ zh: z.string().min(1), en: z.string().min(1) }).strict();
export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 digest as 64 lowercase hex characters');
export const IsoDate = z.iso.date({ message: 'a calendar date as YYYY-MM-DD' });
export const IsoInstant = z.iso.datetime({ message: 'an instant as ISO 8601 UTC, e.g. 2026-11-25T08:00:00.000Z' });
export const Vin = z.string().regex(/^[A-HJ-NPR-Z0-9]{17}$/, 'a 17-character VIN');

export const Manufacturer = z.object({
  tenantId: z.string().min(1),
  name: Text2,
  uscc: z.string().nullable(),
  overseas: z.boolean(),
  country: z.string().nullable(),
  /** The importer is the producer for SAMR recall duties when the manufacturer is overseas. */
  importer: z.object({ name: Text2, uscc: z.string().nullable() }).strict().nullable(),
}).strict();

export const ProductRef = z.object({
  id: z.string().min(1),
  model: z.string().min(1),
  name: Text2,
  category: z.string().min(1),
  cdas: z.boolean(),
  ota: z.boolean(),
  automationLevel: z.number().int().min(0).max(5).nullable(),
}).strict();

/** A file that travels in the package under evidence/, listed in the manifest with its hash. */
export const EvidenceRef = z.object({
  sha256: Sha256,
  filename: z.string().min(1).max(255),
  mediaType: z.string().min(1),
  size: z.number().int().nonnegative(),
  title: z.string().nullable(),
}).strict();
export type EvidenceRef = z.infer<typeof EvidenceRef>;

export const JsonValue: z.ZodType<unknown> = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.unknown()), z.record(z.string(), z.unknown())]);

export const ParameterRow = z.object({
  key: z.string().min(1),
  label: Text2,
  value: JsonValue,
  unit: z.string().nullable(),
  /** Marked in the catalog as a main technical parameter (主要技术参数). */
  main: z.boolean(),
  /** sha256 of the evidence files verifying this value. */
  evidence: z.array(Sha256),
}).strict();

export const ParameterChange = z.object({
  key: z.string().min(1),
  label: Text2,
  from: JsonValue,
  to: JsonValue,
  unit: z.string().nullable(),
  main: z.boolean(),
}).strict();

export const SoftwareRow = z.object({
  ecu: z.string().min(1),
  partNumber: z.string().min(1),
  from: z.string().min(1),
  to: z.string().min(1),
  swinFrom: z.string().nullable(),
  swinTo: z.string().nullable(),
  sha256: Sha256,
  size: z.number().int().nonnegative(),
}).strict();

export const FunctionChange = z.object({
  name: z.string().min(1),
  change: z.enum(['added', 'changed', 'enabled', 'disabled', 'removed']),
  automationLevel: z.number().int().min(0).max(5).nullable(),
}).strict();

export const Classification = z.object({
  class: z.enum(['A', 'B', 'C']),
  recall: z.boolean(),
  reasons: z.array(z.object({ rule: z.string(), source: z.string(), text: z.string() }).strict()),
  regime: z.string(),
  regimeVersion: z.string(),
}).strict();

/** Who, which vehicles: the filed scope the rollout is later reconciled against. */
export const Scope = z.object({
  vehicleCount: z.number().int().nonnegative(),
  productionWindow: z.object({ from: IsoDate.nullable(), to: IsoDate.nullable() }).strict().nullable(),
  vinRanges: z.array(z.object({ from: z.string(), to: z.string() }).strict()),
  /** Digest of the sorted VIN list when the scope is an explicit list. */
  vinListDigest: Sha256.nullable(),
}).strict();

/** Identifies the OTA campaign and fixes the content the gate will later compare. */
export const CampaignRef = z.object({
  id: z.string().min(1),
  /** The campaign's own content digest (software, scope, parameters) at filing time. */
  contentDigest: Sha256,
  purpose: z.string().min(1),
  releaseLabel: z.string().nullable(),
}).strict();
