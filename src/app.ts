import { readFileSync } from 'node:fs';
import pino from 'pino';
import { z } from 'zod';
import { authenticate } from './access/authenticate.ts';
import { authorize } from './access/policy.ts';
import { readCookie } from './access/routes.ts';
import { loadConfig, type Config } from './config.ts';
import { openPglite, openPostgres, type Db } from './platform/db.ts';
import { createHttp, type App } from './platform/http.ts';
import { DirectoryBlobStore } from './platform/blobs.ts';
import { migrate, pendingMigrations } from './platform/migrate.ts';
import { acquireDataDirLock } from './platform/pidlock.ts';
import { systemClock, type Clock } from './platform/time.ts';
import type { Deps } from './platform/usecase.ts';
import { SLICES } from './slices.ts';

export const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

/** Opens the configured database: a PostgreSQL server by URL, else PGlite in the data directory under a pid lock. */
export async function openDatabase(config: Config): Promise<{ db: Db; release: () => void }> {
  if (config.databaseUrl) return { db: await openPostgres(config.databaseUrl), release: () => {} };
  const release = acquireDataDirLock(config.dataDir);
  try {
    return { db: await openPglite(`${config.dataDir}/pg`), release };
  } catch (e) {
    release();
    throw e;
  }
}

export async function makeDeps(db: Db, config: Config, clock: Clock = systemClock, log = pino({ level: config.logLevel })): Promise<Deps> {
  return { db, clock, config, log, blobs: new DirectoryBlobStore(config.blobDir) };
}

export async function buildApp(deps: Deps, opts: { web?: boolean } = {}): Promise<App> {
  const app = await createHttp({
    log: deps.log,
    bodyLimit: deps.config.bodyLimit,
    version: VERSION,
    authenticate: (bearer, cookie) => authenticate(deps, bearer, cookie),
    authorize,
    readCookie: (req) => readCookie(req),
    webDir: opts.web === false ? undefined : deps.config.webDir,
  });

  app.get('/healthz', { schema: { tags: ['platform'], response: { 200: z.object({ status: z.literal('ok'), version: z.string() }) } }, config: { public: true } },
    async () => ({ status: 'ok' as const, version: VERSION }));
  app.get('/readyz', {
    schema: { tags: ['platform'], response: { 200: z.object({ status: z.string(), database: z.string(), pendingMigrations: z.array(z.string()) }), 503: z.any() } },
    config: { public: true },
  }, async (_req, reply) => {
    try {
      await deps.db.query('SELECT 1');
      const pending = await pendingMigrations(deps.db);
      reply.code(pending.length ? 503 : 200).send({ status: pending.length ? 'migrations pending' : 'ready', database: deps.db.kind, pendingMigrations: pending });
    } catch (e: any) {
      reply.code(503).send({ status: 'database unreachable', database: deps.db.kind, pendingMigrations: [] });
    }
  });
  app.get('/api/v1/openapi.json', { schema: { tags: ['platform'], summary: 'This OpenAPI 3.1 document' }, config: { public: true } }, async () => app.swagger());

  for (const slice of SLICES) if (slice.routes) await app.register(async (scope) => slice.routes!(scope as App, deps));
  await app.ready();
  return app;
}

export async function startBackground(deps: Deps): Promise<() => Promise<void>> {
  const stops: (() => Promise<void>)[] = [];
  for (const slice of SLICES) if (slice.start) stops.push(await slice.start(deps));
  return async () => { for (const s of stops.reverse()) await s(); };
}

/** The whole service: database, migrations, HTTP, background work; close() shuts down in order. */
export async function startServer(overrides: Partial<Config> = {}, opts: { clock?: Clock; env?: Record<string, string | undefined>; background?: boolean } = {}) {
  const config = loadConfig(opts.env ?? process.env, overrides);
  const { db, release } = await openDatabase(config);
  try {
    await migrate(db);
    const deps = await makeDeps(db, config, opts.clock);
    const app = await buildApp(deps);
    const stopBackground = opts.background === false || !config.scheduler ? async () => {} : await startBackground(deps);
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    let closing: Promise<void> | undefined;
    const close = () => (closing ??= (async () => {
      await app.close();
      await stopBackground();
      await db.close();
      release();
    })());
    return { app, deps, config, url: `http://127.0.0.1:${port}`, close };
  } catch (e) {
    await db.close().catch(() => {});
    release();
    throw e;
  }
}
