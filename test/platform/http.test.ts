import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from '../support.ts';

let t: TestApp;
before(async () => { t = await testApp(); });
after(() => t.close());

test('health and readiness answer without credentials', async () => {
  assert.equal((await t.app.inject({ url: '/healthz' })).json().status, 'ok');
  const ready = await t.app.inject({ url: '/readyz' });
  assert.equal(ready.statusCode, 200);
  assert.deepEqual(ready.json().pendingMigrations, []);
});

test('the OpenAPI document is 3.1 and lists the platform paths', async () => {
  const doc = (await t.app.inject({ url: '/api/v1/openapi.json' })).json();
  assert.equal(doc.openapi, '3.1.0');
  for (const p of ['/api/v1/tenants', '/api/v1/tenants/{tenantId}', '/api/v1/tenants/{tenantId}/users', '/api/v1/tenants/{tenantId}/tokens',
    '/api/v1/sessions', '/api/v1/sessions/current', '/api/v1/audit', '/api/v1/audit/verify', '/healthz', '/readyz']) {
    assert.ok(doc.paths[p], `missing ${p}`);
  }
  assert.equal((await t.app.inject({ url: '/api/docs' })).statusCode < 400, true);
});

test('no credentials: 401 problem+json', async () => {
  const r = await t.app.inject({ url: '/api/v1/me' });
  assert.equal(r.statusCode, 401);
  assert.match(r.headers['content-type'] as string, /application\/problem\+json/);
  assert.equal(r.json().code, 'unauthenticated');
  assert.equal((await t.app.inject({ url: '/api/v1/me', headers: { authorization: 'Bearer nope' } })).statusCode, 401);
});

test('bad input names each field and writes nothing', async () => {
  const before = (await t.app.inject({ url: '/api/v1/tenants', headers: t.operator })).json().items.length;
  const r = await t.app.inject({ method: 'POST', url: '/api/v1/tenants', headers: t.operator, payload: { kind: 'manufacturer', name: { zh: '', en: 'X' }, uscc: '91310000MA1FL4B24H' } });
  assert.equal(r.statusCode, 422);
  assert.deepEqual(r.json().errors.map((e: any) => e.path), ['name.zh']);
  const r2 = await t.app.inject({ method: 'POST', url: '/api/v1/tenants', headers: t.operator, payload: { kind: 'manufacturer', name: { zh: '某', en: 'X' }, uscc: '91310000MA1FL4B24H' } });
  assert.equal(r2.statusCode, 422);
  assert.equal(r2.json().errors[0].path, 'uscc');
  assert.match(r2.json().errors[0].message, /check character/);
  const r3 = await t.app.inject({ method: 'POST', url: '/api/v1/tenants', headers: t.operator, payload: { kind: 'manufacturer', name: { zh: '某', en: 'X' }, overseas: true } });
  assert.equal(r3.json().errors[0].path, 'country');
  const bad = await t.app.inject({ method: 'POST', url: '/api/v1/tenants', headers: { ...t.operator, 'content-type': 'application/json' }, payload: '{not json' });
  assert.equal(bad.statusCode, 400);
  assert.equal((await t.app.inject({ url: '/api/v1/tenants', headers: t.operator })).json().items.length, before);
});

test('a body over the limit is refused with 413', async () => {
  const r = await t.app.inject({ method: 'POST', url: '/api/v1/tenants', headers: { ...t.operator, 'content-type': 'application/json' }, payload: JSON.stringify({ kind: 'manufacturer', pad: 'x'.repeat(1_100_000) }) });
  assert.equal(r.statusCode, 413);
  assert.equal(r.json().code, 'payload_too_large');
});

test('roles: an auditor reads but cannot create users or tokens', async () => {
  const a = await t.tenant();
  const auditor = await t.token(a.tenantId, 'auditor');
  assert.equal((await t.app.inject({ url: `/api/v1/tenants/${a.tenantId}`, headers: auditor.auth })).statusCode, 200);
  const r = await t.app.inject({ method: 'POST', url: `/api/v1/tenants/${a.tenantId}/tokens`, headers: auditor.auth, payload: { name: 'x', role: 'admin' } });
  assert.equal(r.statusCode, 403);
  assert.equal(r.json().code, 'forbidden');
});

test('web login sets an httpOnly cookie, /me answers, logout ends the session', async () => {
  const a = await t.tenant();
  const u = await t.app.inject({ method: 'POST', url: `/api/v1/tenants/${a.tenantId}/users`, headers: a.auth, payload: { email: 'li.na@example.com', name: '李娜', role: 'compliance', password: 'a long enough password' } });
  assert.equal(u.statusCode, 201);
  assert.equal(u.json().passwordHash, undefined);
  const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email: 'li.na@example.com', password: 'wrong password!!' } });
  assert.equal(wrong.statusCode, 401);
  const s = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email: 'LI.NA@example.com', password: 'a long enough password' } });
  assert.equal(s.statusCode, 201);
  const cookie = String(s.headers['set-cookie']);
  assert.match(cookie, /HttpOnly/);
  const jar = { cookie: cookie.split(';')[0] };
  const me = (await t.app.inject({ url: '/api/v1/me', headers: jar })).json();
  assert.equal(me.user.name, '李娜');
  assert.equal(me.tenant.id, a.tenantId);
  assert.ok(me.permissions.includes('products:write'));
  assert.equal((await t.app.inject({ method: 'DELETE', url: '/api/v1/sessions/current', headers: jar })).statusCode, 204);
  assert.equal((await t.app.inject({ url: '/api/v1/me', headers: jar })).statusCode, 401);
  const dup = await t.app.inject({ method: 'POST', url: `/api/v1/tenants/${a.tenantId}/users`, headers: a.auth, payload: { email: 'li.na@example.com', name: 'x', role: 'admin', password: 'a long enough password' } });
  assert.equal(dup.statusCode, 409);
});

test('tokens are stored hashed and shown once', async () => {
  const a = await t.tenant();
  const rows = await t.deps.db.tx('operator', (sql) => sql.query('SELECT token_hash FROM api_tokens WHERE tenant_id = $1', [a.tenantId]));
  assert.equal(rows.length, 1);
  assert.notEqual(rows[0].token_hash, a.token);
  assert.match(rows[0].token_hash, /^[0-9a-f]{64}$/);
});

test('row-level security: a tenant scope sees no other tenant\'s rows even without a WHERE', async () => {
  const a = await t.tenant();
  const b = await t.tenant();
  const seen = await t.deps.db.tx({ tenantId: a.tenantId }, (sql) => sql.query('SELECT DISTINCT tenant_id FROM audit_log'));
  assert.deepEqual(seen.map((r) => r.tenant_id), [a.tenantId]);
  await assert.rejects(t.deps.db.tx({ tenantId: a.tenantId }, (sql) =>
    sql.query(`INSERT INTO users (id, tenant_id, email, name, role, password_hash) VALUES ('u1', $1, 'x@y.z', 'x', 'admin', 'x')`, [b.tenantId])), /row-level security/);
});

test('tenant policy: namespaces merge key by key, null removes, bad values are named', async () => {
  const a = await t.tenant();
  const put = (body: unknown) => t.app.inject({ method: 'PUT', url: `/api/v1/tenants/${a.tenantId}/policy`, headers: a.auth, payload: body as any });
  let r = await put({ obligations: { dueSoonDays: 5, sandboxWorkingDays: 8 } });
  assert.equal(r.statusCode, 200);
  r = await put({ obligations: { dueSoonDays: null }, incidents: { s1FirstReportHours: 12 } });
  assert.deepEqual(r.json().policy, { obligations: { sandboxWorkingDays: 8 }, incidents: { s1FirstReportHours: 12 } });
  r = await put({ obligations: { nested: { deeper: 1 } } });
  assert.equal(r.statusCode, 422);
  assert.match(r.json().errors[0].path, /^obligations/);
  const audit = (await t.app.inject({ url: `/api/v1/audit?subjectType=tenant&limit=5`, headers: a.auth })).json();
  assert.equal(audit.items.filter((e: any) => e.action === 'tenant.policy_changed').length, 2);
  assert.equal((await t.app.inject({ url: `/api/v1/audit?subjectId=x`, headers: a.auth })).statusCode, 422);
});

test('a second tenant with the same unified social credit code is a 409 naming the field', async () => {
  const body = { kind: 'manufacturer', name: { zh: '重复', en: 'Dup' }, uscc: '91310000MA1FL4B24G' };
  const first = await t.app.inject({ method: 'POST', url: '/api/v1/tenants', headers: t.operator, payload: body });
  assert.equal(first.statusCode, 201);
  const again = await t.app.inject({ method: 'POST', url: '/api/v1/tenants', headers: t.operator, payload: body });
  assert.equal(again.statusCode, 409);
  assert.equal(again.json().errors[0].path, 'uscc');
});

test('session-scoped reads: switching tenants on one connection never carries a scope over', async () => {
  const a = await t.tenant();
  const b = await t.tenant();
  const tenantsSeen = (scope: { tenantId: string }) => t.deps.db.read(scope, (sql) => sql.query('SELECT DISTINCT tenant_id FROM audit_log ORDER BY 1'));
  for (let i = 0; i < 3; i++) {
    assert.deepEqual((await tenantsSeen({ tenantId: a.tenantId })).map((r) => r.tenant_id), [a.tenantId]);
    assert.deepEqual((await tenantsSeen({ tenantId: b.tenantId })).map((r) => r.tenant_id), [b.tenantId]);
    const owner = await t.deps.db.query<{ u: string; n: number }>('SELECT current_user AS u, count(DISTINCT tenant_id)::int AS n FROM audit_log');
    assert.notEqual(owner[0].u, 'icvgate_app');
    assert.ok(owner[0].n >= 2);
    const inTx = await t.deps.db.tx({ tenantId: a.tenantId }, (sql) => sql.query('SELECT DISTINCT tenant_id FROM audit_log'));
    assert.deepEqual(inTx.map((r) => r.tenant_id), [a.tenantId]);
    const ownerTx = await t.deps.db.tx('owner', (sql) => sql.one<{ u: string }>('SELECT current_user AS u'));
    assert.notEqual(ownerTx.u, 'icvgate_app');
  }
});

test('API tokens: listed without secrets, revoked at once, revocation audited and idempotent', async () => {
  const a = await t.tenant();
  const backend = await t.token(a.tenantId, 'release_manager');
  assert.equal((await t.app.inject({ url: '/api/v1/me', headers: backend.auth })).statusCode, 200);
  const list = await t.app.inject({ url: `/api/v1/tenants/${a.tenantId}/tokens`, headers: a.auth });
  assert.equal(list.statusCode, 200);
  assert.equal(list.json().items.length, 2);
  assert.ok(!list.body.includes(backend.token), 'no secret in the listing');
  const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/tenants/${a.tenantId}/tokens/${backend.actor.id}`, headers: a.auth });
  assert.equal(del.statusCode, 200, del.body);
  assert.ok(del.json().revokedAt);
  assert.equal((await t.app.inject({ url: '/api/v1/me', headers: backend.auth })).statusCode, 401);
  const again = await t.app.inject({ method: 'DELETE', url: `/api/v1/tenants/${a.tenantId}/tokens/${backend.actor.id}`, headers: a.auth });
  assert.equal(again.json().revokedAt, del.json().revokedAt);
  const audit = (await t.app.inject({ url: '/api/v1/audit?subjectType=api_token&limit=20', headers: a.auth })).json();
  assert.equal(audit.items.filter((e: any) => e.action === 'token.revoked').length, 1);
  assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/v1/tenants/${a.tenantId}/tokens/tok_unknown`, headers: a.auth })).statusCode, 404);
});
