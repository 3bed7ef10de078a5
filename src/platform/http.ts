import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type RawReplyDefaultExpression, type RawRequestDefaultExpression, type RawServerDefault } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError, jsonSchemaTransform, serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { safeParse, type $ZodType } from 'zod/v4/core';
import type { Logger } from 'pino';
import fastifyStatic from '@fastify/static';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Permission } from '../access/policy.ts';
import type { Actor } from './audit.ts';
import type { Locale } from '../i18n/index.ts';
import { AppError, ERROR_STATUS, summarizeText, type FieldError } from './errors.ts';
import { msg, renderMessage, requestLocale, withoutInput, zodIssueMessage, type Msg, type ZodIssueLike } from './messages.ts';

export type RouteInfo = { method: string; url: string; config: { permission?: Permission; public?: boolean } };

declare module 'fastify' {
  interface FastifyInstance { routeList: RouteInfo[] }
  interface FastifyRequest { actor: Actor }
  interface FastifyContextConfig { permission?: Permission; public?: boolean }
}

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

export type Problem = {
  type: string; title: string; status: number; code: string; detail: string; errors?: FieldError[]; [k: string]: unknown;
};

/** Reason phrases of the statuses the API answers with: `errors:http.<status>` (en: the RFC 9110 phrase). */
const TITLED = new Set([400, 401, 403, 404, 409, 413, 415, 422, 429, 500, 503]);

/**
 * Extra members never override the standard ones (a detail named `status` must not change the HTTP status).
 * `title` and a Msg `detail` are given in `locale` (default en); `code` never changes with the language.
 */
export function problem(status: number, code: string, detail: string | Msg, extra: Record<string, unknown> = {}, locale: Locale = 'en'): Problem {
  const title = TITLED.has(status) ? renderMessage(locale, msg(`http.${status}`)) : locale === 'zh-CN' ? '错误' : 'Error';
  return { ...extra, type: `urn:icvgate:problem:${code}`, title, status, code, detail: typeof detail === 'string' ? detail : renderMessage(locale, detail) };
}

function zodIssuesToErrors(err: FastifyError & { validation?: any[]; validationContext?: string }, locale: Locale): FieldError[] {
  const ctx = err.validationContext && err.validationContext !== 'body' ? `${err.validationContext === 'querystring' ? 'query' : err.validationContext}.` : '';
  return (err.validation ?? []).map((v: any) => {
    const path = String(v.instancePath ?? '').replace(/^\//, '').split('/').filter(Boolean).join('.');
    const issue = v.params?.issue as ZodIssueLike | undefined;
    return { path: (ctx + path).replace(/\.$/, ''), message: issue ? zodIssueMessage(locale, issue) : (v.message ?? 'invalid') };
  });
}

const ZodValidationMark = Symbol.for('ZodFastifySchemaValidationError');

/** A problem's text depends on Accept-Language: say so to caches. */
function varyOnLanguage(reply: { getHeader(name: string): unknown; header(name: string, value: string): unknown }) {
  const v = reply.getHeader('vary');
  const list = Array.isArray(v) ? v.join(', ') : v ? String(v) : '';
  if (!/\baccept-language\b/i.test(list)) reply.header('vary', list ? `${list}, Accept-Language` : 'Accept-Language');
}

/**
 * The zod validator of fastify-type-provider-zod, but parsing with `reportInput` and keeping each
 * issue whole, so the error handler can give zod's message in the request's language (per request:
 * no global zod locale is switched).
 */
export const validatorCompiler = ({ schema }: { schema: unknown }) => (data: unknown) => {
  const result = safeParse(schema as $ZodType, data, { reportInput: true });
  if (!result.error) return { value: result.data };
  return {
    error: result.error.issues.map(withoutInput).map((issue) => ({
      [ZodValidationMark]: true,
      keyword: issue.code,
      instancePath: `/${issue.path.join('/')}`,
      schemaPath: `#/${issue.path.join('/')}/${issue.code}`,
      message: issue.message,
      params: { issue },
    })),
  } as any;
};

export type Authenticator = (bearer: string | undefined, cookie: string | undefined) => Promise<Actor | null>;
export type Authorizer = (actor: Actor, permission: Permission) => void;

export async function createHttp(opts: {
  log: Logger; bodyLimit: number; authenticate: Authenticator; authorize: Authorizer; version: string; readCookie: (req: any) => string | undefined;
  /** Built web UI to serve at / with a single-page-app fallback (absent: API only). */
  webDir?: string;
}): Promise<App> {
  const app = Fastify({
    loggerInstance: opts.log as unknown as FastifyBaseLogger,
    bodyLimit: opts.bodyLimit,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    routerOptions: { maxParamLength: 500 },
    ajv: undefined,
  }).withTypeProvider<ZodTypeProvider>();
  // Every route with its config, for the cross-tenant test and tooling.
  const routes: RouteInfo[] = [];
  app.decorate('routeList', routes);
  app.addHook('onRoute', (r) => {
    for (const m of [r.method].flat()) if (m !== 'HEAD') routes.push({ method: m, url: r.url, config: (r.config ?? {}) as RouteInfo['config'] });
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // Bulk bodies (CSV, NDJSON, files) reach their handlers as streams; each route enforces its limits.
  app.addContentTypeParser(['text/csv', 'application/x-ndjson', 'application/octet-stream', 'application/pdf'], (_req, payload, done) => done(null, payload));

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'icvgate API', version: opts.version, description: 'Governance of ICV parameters, OTA releases, obligations, incidents and filings under the 2025 MIIT/SAMR notice.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'icvgate_session' } } },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  app.decorateRequest('actor', null as unknown as Actor);
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
    const config = req.routeOptions.config;
    if (config?.public || !req.routeOptions.url?.startsWith('/api/') || req.routeOptions.url.startsWith('/api/docs')) return;
    const header = req.headers.authorization;
    const bearer = header?.toLowerCase().startsWith('bearer ') ? header.slice(7).trim() : undefined;
    const actor = await opts.authenticate(bearer, bearer ? undefined : opts.readCookie(req));
    if (!actor) throw new AppError('unauthenticated', msg('platform.unauthenticated'));
    req.actor = actor;
    if (config?.permission) opts.authorize(actor, config.permission);
  });

  app.setErrorHandler((err: FastifyError & { validation?: any[] }, req, reply) => {
    const locale = requestLocale(req.headers['accept-language']);
    let p: Problem;
    if (err instanceof AppError) {
      const l = err.localized(locale);
      p = problem(err.status, err.code, l.detail, { ...(l.errors ? { errors: l.errors } : {}), ...(l.details ?? {}) }, locale);
    } else if (hasZodFastifySchemaValidationErrors(err) || err.validation) {
      const errors = zodIssuesToErrors(err, locale);
      p = problem(422, 'validation_failed', summarizeText(renderMessage(locale, msg('platform.requestInvalid')), errors, (e) => e.message, locale), { errors }, locale);
    } else if ((err as any).code === '23505') {
      // A unique index caught what a use case's own check missed (a race): a conflict, not a crash.
      p = problem(409, 'conflict', msg('platform.uniqueConflict', { constraint: (err as any).constraint ?? 'unique index' }), {}, locale);
    } else if ((err as any).code === '22P05' || (err as any).code === '22021') {
      // PostgreSQL stores no NUL character (U+0000) in text or jsonb: the input is refused, as a slice's own check would.
      const errors = [{ path: '', message: renderMessage(locale, msg('platform.nulCharacter')) }];
      p = problem(422, 'validation_failed', errors[0].message, { errors }, locale);
    } else if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      p = problem(413, 'payload_too_large', msg('platform.bodyTooLarge', { limit: opts.bodyLimit }), {}, locale);
    } else if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      p = problem(415, 'unsupported_media_type', msg('platform.mediaTypeNotAccepted', { type: req.headers['content-type'] ?? '(none)' }), {}, locale);
    } else if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (err.statusCode === 400 && err instanceof SyntaxError)) {
      p = problem(400, 'bad_request', msg('platform.invalidJson', { reason: err.message }), {}, locale);
    } else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      p = problem(err.statusCode, 'bad_request', msg('platform.badRequest', { reason: err.message }), {}, locale);
    } else {
      req.log.error({ err, responseError: isResponseSerializationError(err) }, 'unhandled error');
      p = problem(500, 'internal', msg('platform.internal'), { requestId: req.id }, locale);
    }
    varyOnLanguage(reply);
    reply.code(p.status).type('application/problem+json').send(p);
  });

  const web = opts.webDir && existsSync(join(opts.webDir, 'index.html')) ? opts.webDir : undefined;
  if (web) {
    // Vite names assets by content hash: cache them for good; index.html is always revalidated.
    await app.register(fastifyStatic, {
      root: web, prefix: '/', index: ['index.html'], wildcard: true, cacheControl: false,
      setHeaders: (reply: any, path: string) => reply.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'),
    });
  }

  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0];
    if (web && req.method === 'GET' && !path.startsWith('/api/') && !/\.\w+$/.test(path)) {
      return reply.type('text/html').sendFile('index.html');
    }
    varyOnLanguage(reply);
    reply.code(404).type('application/problem+json').send(problem(404, 'not_found', msg('platform.noRoute', { method: req.method, path }), {}, requestLocale(req.headers['accept-language'])));
  });

  return app;
}

export { ERROR_STATUS };
