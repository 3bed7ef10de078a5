import { z } from 'zod';

export const Vehicle = z.object({
  vin: z.string(),
  productId: z.string(),
  productionDate: z.string(),
  plant: z.string().nullable(),
  manufacturer: z.string().nullable(),
  software: z.record(z.string(), z.string()),
  swin: z.record(z.string(), z.string()),
  softwareSource: z.enum(['vehicle', 'server']).nullable(),
  softwareAt: z.string().nullable(),
  updatedAt: z.string(),
});
export type Vehicle = z.infer<typeof Vehicle>;

export const LineIssue = z.object({ line: z.number().int(), vin: z.string(), message: z.string() });
export type LineIssue = z.infer<typeof LineIssue>;

export const ImportReport = z.object({
  importId: z.string().nullable(),
  digest: z.string(),
  lines: z.number().int(),
  imported: z.number().int().describe('rows written (inserted + updated)'),
  inserted: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  skipped: z.number().int(),
  errorCount: z.number().int(),
  errors: z.array(LineIssue),
  warningCount: z.number().int(),
  warnings: z.array(LineIssue),
});
export type ImportReport = z.infer<typeof ImportReport>;

export const ImportQuery = z.object({
  skipInvalid: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
});
