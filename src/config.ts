import { resolve } from 'node:path';
import { z } from 'zod';

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  ICVGATE_DATA: z.string().default('./data'),
  ICVGATE_BOOTSTRAP_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
  ICVGATE_BLOB_DIR: z.string().optional(),
  ICVGATE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ICVGATE_BODY_LIMIT: z.coerce.number().int().positive().default(1_048_576),
  ICVGATE_UPLOAD_LIMIT: z.coerce.number().int().positive().default(200 * 1_048_576),
  ICVGATE_SESSION_HOURS: z.coerce.number().positive().default(12),
  ICVGATE_SECURE_COOKIES: z.enum(['true', 'false']).default('false'),
  ICVGATE_WEB_DIR: z.string().optional(),
  ICVGATE_SCHEDULER: z.enum(['on', 'off']).default('on'),
});

export type Config = Readonly<{
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  blobDir: string;
  bootstrapToken?: string;
  logLevel: string;
  bodyLimit: number;
  uploadLimit: number;
  sessionHours: number;
  secureCookies: boolean;
  webDir: string;
  scheduler: boolean;
}>;

/** Parses the environment once; start-up fails listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Partial<Config> = {}): Config {
  const r = schema.safeParse(env);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`invalid configuration:\n${lines}`);
  }
  const e = r.data;
  const dataDir = resolve(overrides.dataDir ?? e.ICVGATE_DATA);
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir,
    blobDir: resolve(e.ICVGATE_BLOB_DIR ?? `${dataDir}/blobs`),
    bootstrapToken: e.ICVGATE_BOOTSTRAP_TOKEN,
    logLevel: e.ICVGATE_LOG_LEVEL,
    bodyLimit: e.ICVGATE_BODY_LIMIT,
    uploadLimit: e.ICVGATE_UPLOAD_LIMIT,
    sessionHours: e.ICVGATE_SESSION_HOURS,
    secureCookies: e.ICVGATE_SECURE_COOKIES === 'true',
    webDir: resolve(e.ICVGATE_WEB_DIR ?? new URL('../web/dist', import.meta.url).pathname),
    scheduler: e.ICVGATE_SCHEDULER === 'on',
    ...overrides,
  });
}
