import { z } from 'zod';
import type { Actor } from '../platform/audit.ts';
import { rowToEntry, verifyAudit } from '../platform/audit.ts';
import { AppError, fieldError, msg } from '../platform/errors.ts';
import type { App } from '../platform/http.ts';
import { readScope, unitOfWork, type Deps } from '../platform/usecase.ts';
import { SESSION_COOKIE } from './authenticate.ts';
import { createTenant } from './create-tenant.ts';
import { createUser } from './create-user.ts';
import { CreateTenant, CreateToken, CreateUser, Login, Me, Tenant, TokenCreated, TokenListing, User } from './model.ts';
import { login, logout, me } from './sessions.ts';
import * as store from './store.ts';
import { createToken, revokeToken } from './tokens.ts';

export function readCookie(req: { headers: { cookie?: string } }, name = SESSION_COOKIE): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** Another tenant's id answers 404 like an unknown one: existence is not leaked. */
export function sameTenant(actor: Actor, tenantId: string) {
  if (actor.tenantId && actor.tenantId !== tenantId) throw new AppError('not_found', msg('platform.notFound', { what: msg('entity.tenant'), id: tenantId }));
}

const TenantParams = z.object({ tenantId: z.string().max(100) });
const PolicyValue = z.union([z.number(), z.string().max(200), z.boolean()]);

/** Merges a policy change: nested namespaces merge key by key; null removes. */
export function mergePolicy(current: Record<string, unknown>, change: Record<string, unknown>): Record<string, unknown> {
  const next: Record<string, unknown> = { ...current };
  for (const [k, v] of Object.entries(change)) {
    if (v === null) delete next[k];
    else if (typeof v === 'object') {
      const ns: Record<string, unknown> = { ...((next[k] && typeof next[k] === 'object') ? next[k] as Record<string, unknown> : {}) };
      for (const [kk, vv] of Object.entries(v as Record<string, unknown>)) if (vv === null) delete ns[kk]; else ns[kk] = vv;
      next[k] = ns;
    } else next[k] = v;
  }
  return next;
}
const AuditEntry = z.object({
  seq: z.number(), at: z.string(), actor: z.object({ type: z.string(), id: z.string(), name: z.string() }), action: z.string(),
  subjectType: z.string(), subjectId: z.string(), beforeDigest: z.string().nullable(), afterDigest: z.string().nullable(),
  data: z.record(z.string(), z.unknown()), prevHash: z.string(), hash: z.string(), tenantId: z.string(),
});

export async function accessRoutes(app: App, deps: Deps) {
  const cookieFlags = () => `Path=/; HttpOnly; SameSite=Strict${deps.config.secureCookies ? '; Secure' : ''}`;

  app.post('/api/v1/tenants', {
    schema: { tags: ['platform'], summary: 'Create a manufacturer or regulator tenant (operator)', body: CreateTenant, response: { 201: Tenant } },
    config: { permission: 'tenants:create' },
  }, async (req, reply) => reply.code(201).send(await createTenant(deps, req.actor, req.body)));

  app.get('/api/v1/tenants', {
    schema: { tags: ['platform'], summary: 'Tenants visible to the caller', response: { 200: z.object({ items: z.array(Tenant) }) } },
    config: { permission: 'tenant:read' },
  }, async (req) => ({
    items: await readScope(deps, req.actor, async (sql) => req.actor.tenantId
      ? [await store.getTenant(sql, req.actor.tenantId)].filter((t): t is Tenant => !!t)
      : store.listTenants(sql)),
  }));

  app.get('/api/v1/tenants/:tenantId', {
    schema: { tags: ['platform'], params: TenantParams, response: { 200: Tenant } },
    config: { permission: 'tenant:read' },
  }, async (req) => {
    sameTenant(req.actor, req.params.tenantId);
    const t = await readScope(deps, req.actor, (sql) => store.getTenant(sql, req.params.tenantId), req.params.tenantId);
    if (!t) throw new AppError('not_found', msg('platform.notFound', { what: msg('entity.tenant'), id: req.params.tenantId }));
    return t;
  });

  app.put('/api/v1/tenants/:tenantId/policy', {
    schema: {
      tags: ['platform'], summary: 'Set tenant policy values (numbers no rule gives); merged into the current policy',
      params: TenantParams,
      body: z.record(z.string().max(100), z.union([PolicyValue, z.null(), z.record(z.string().max(100), z.union([PolicyValue, z.null()]))]))
        .describe('top-level keys are namespaces (obligations, incidents, ota) holding values; null removes a key'),
      response: { 200: Tenant },
    },
    config: { permission: 'tenant:admin' },
  }, async (req) => {
    sameTenant(req.actor, req.params.tenantId);
    return unitOfWork(deps, req.actor, async (u) => {
      const before = await store.getTenant(u.sql, req.params.tenantId);
      if (!before) throw new AppError('not_found', msg('platform.notFound', { what: msg('entity.tenant'), id: req.params.tenantId }));
      const next = mergePolicy(before.policy, req.body);
      const after = (await store.updateTenantPolicy(u.sql, before.id, next))!;
      await u.audit({ action: 'tenant.policy_changed', subjectType: 'tenant', subjectId: before.id, before: before.policy, after: after.policy, data: { changes: req.body } });
      return after;
    }, { tenantId: req.params.tenantId });
  });

  app.post('/api/v1/tenants/:tenantId/users', {
    schema: { tags: ['platform'], params: TenantParams, body: CreateUser, response: { 201: User } },
    config: { permission: 'tenant:admin' },
  }, async (req, reply) => {
    sameTenant(req.actor, req.params.tenantId);
    reply.code(201).send(await createUser(deps, req.actor, req.params.tenantId, req.body));
  });

  app.get('/api/v1/tenants/:tenantId/users', {
    schema: { tags: ['platform'], params: TenantParams, response: { 200: z.object({ items: z.array(User) }) } },
    config: { permission: 'tenant:read' },
  }, async (req) => {
    sameTenant(req.actor, req.params.tenantId);
    return { items: await readScope(deps, req.actor, (sql) => store.listUsers(sql, req.params.tenantId), req.params.tenantId) };
  });

  app.post('/api/v1/tenants/:tenantId/tokens', {
    schema: { tags: ['platform'], summary: 'Create an API token; the secret is shown once', params: TenantParams, body: CreateToken, response: { 201: TokenCreated } },
    config: { permission: 'tenant:admin' },
  }, async (req, reply) => {
    sameTenant(req.actor, req.params.tenantId);
    reply.code(201).send(await createToken(deps, req.actor, req.params.tenantId, req.body));
  });

  app.get('/api/v1/tenants/:tenantId/tokens', {
    schema: { tags: ['platform'], summary: 'API tokens of the tenant (never their secrets)', params: TenantParams, response: { 200: z.object({ items: z.array(TokenListing) }) } },
    config: { permission: 'tenant:admin' },
  }, async (req) => {
    sameTenant(req.actor, req.params.tenantId);
    return { items: await readScope(deps, req.actor, (sql) => store.listTokens(sql, req.params.tenantId), req.params.tenantId) };
  });

  app.delete('/api/v1/tenants/:tenantId/tokens/:tokenId', {
    schema: {
      tags: ['platform'], summary: 'Revoke an API token (at once on this instance; within 5 s on others)',
      params: TenantParams.extend({ tokenId: z.string().max(100) }), response: { 200: TokenListing },
    },
    config: { permission: 'tenant:admin' },
  }, async (req) => {
    sameTenant(req.actor, req.params.tenantId);
    return revokeToken(deps, req.actor, req.params.tenantId, req.params.tokenId);
  });

  app.post('/api/v1/sessions', {
    schema: { tags: ['platform'], summary: 'Web login: sets an httpOnly session cookie', body: Login, response: { 201: Me } },
    config: { public: true },
  }, async (req, reply) => {
    const s = await login(deps, req.body.email, req.body.password);
    reply.header('set-cookie', `${SESSION_COOKIE}=${encodeURIComponent(s.secret)}; ${cookieFlags()}; Expires=${s.expiresAt.toUTCString()}`);
    reply.code(201).send(s.me);
  });

  app.delete('/api/v1/sessions/current', {
    schema: { tags: ['platform'], response: { 204: z.null() } },
  }, async (req, reply) => {
    const secret = readCookie(req);
    if (secret && req.actor.type === 'user') await logout(deps, req.actor, secret);
    reply.header('set-cookie', `${SESSION_COOKIE}=; ${cookieFlags()}; Max-Age=0`);
    reply.code(204).send(null);
  });

  app.get('/api/v1/me', { schema: { tags: ['platform'], response: { 200: Me } } }, async (req) => me(deps, req.actor));

  const AuditQuery = z.strictObject({
    subject: z.string().max(200).optional().describe('subject id'),
    subjectType: z.string().max(100).optional(),
    actor: z.string().max(200).optional(),
    after: z.coerce.number().int().min(0).optional().describe('entries with a sequence number above this'),
    before: z.coerce.number().int().min(1).optional().describe('entries with a sequence number below this (paging back)'),
    limit: z.coerce.number().int().min(1).max(1000).default(50),
    tenantId: z.string().max(100).optional().describe('operator only'),
  });
  const tenantOf = (actor: Actor, q?: string) => {
    const t = actor.tenantId ?? q;
    if (!t) throw new AppError('validation_failed', msg('access.auditTenantRequired'), { errors: [fieldError('query.tenantId', msg('access.requiredForOperators'))] });
    return t;
  };

  app.get('/api/v1/audit', {
    schema: { tags: ['platform'], querystring: AuditQuery, response: { 200: z.object({ items: z.array(AuditEntry), total: z.number() }) } },
    config: { permission: 'audit:read' },
  }, async (req) => {
    const tenantId = tenantOf(req.actor, req.query.tenantId);
    const { rows, total } = await readScope(deps, req.actor, (sql) => store.listAudit(sql, tenantId, {
      subjectId: req.query.subject, subjectType: req.query.subjectType, actor: req.query.actor, after: req.query.after, before: req.query.before, limit: req.query.limit,
    }), tenantId);
    return { items: rows.map((r: any) => rowToEntry(r)), total };
  });

  app.get('/api/v1/audit/verify', {
    schema: {
      tags: ['platform'], querystring: z.strictObject({ tenantId: z.string().max(100).optional() }),
      response: { 200: z.object({ ok: z.boolean(), entries: z.number(), tenants: z.number().optional(), firstBroken: z.record(z.string(), z.unknown()).optional() }) },
    },
    config: { permission: 'audit:read' },
  }, async (req) => {
    const tenantId = req.actor.tenantId ?? req.query.tenantId;
    return readScope(deps, req.actor, (sql) => verifyAudit(sql, tenantId), tenantId);
  });
}
