import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testApp, type TestApp, type TestTenant } from '../../test/support.ts';
import { unitOfWork } from '../platform/usecase.ts';
import { syncProductObligations } from '../obligations/index.ts';
import { BACKOFF_MAX_MS, LEASE_MS, backoffMs, deliverDue, drain, fanOut } from './delivery.ts';
import { signatureHeader, verifySignature } from './signing.ts';
import { startWebhookBackground } from './background.ts';

type Received = { key: string; event: string; delivery: string; body: string; signature: string; valid: boolean };

/** A real receiver on 127.0.0.1 that can go down (connection refused) and come back on the same port. */
class Receiver {
  received: Received[] = [];
  secret = '';
  status = 200;
  private server: Server | null = null;
  port = 0;
  async up(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        const signature = String(req.headers['x-icvgate-signature'] ?? '');
        this.received.push({
          key: String(req.headers['idempotency-key']), event: String(req.headers['x-icvgate-event']), delivery: String(req.headers['x-icvgate-delivery']),
          body, signature, valid: verifySignature(this.secret, signature, body, new Date(), 10 * 365 * 86400),
        });
        res.writeHead(this.status).end();
      });
    });
    await new Promise<void>((r) => this.server!.listen(this.port, '127.0.0.1', () => r()));
    this.port = (this.server.address() as AddressInfo).port;
  }
  async down(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) { s.closeAllConnections(); await new Promise<void>((r) => s.close(() => r())); }
  }
  get url() { return `http://127.0.0.1:${this.port}/hook`; }
  uniqueKeys() { return new Set(this.received.map((r) => r.key)); }
}

let t: TestApp;
let m: TestTenant;
const rx = new Receiver();
let webhookId = '';

before(async () => {
  t = await testApp({ now: '2026-11-25T02:00:00Z' });
  m = await t.tenant();
  await rx.up();
  const r = await t.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: m.auth, payload: { url: rx.url, events: ['obligation.*'] } });
  assert.equal(r.statusCode, 201, r.body);
  rx.secret = r.json().secret;
  webhookId = r.json().id;
});
after(async () => { await rx.down(); await t.close(); });

const opts = () => ({ db: t.deps.db, clock: t.deps.clock, timeoutMs: 5_000 });
let productSeq = 0;
/** Creates obligations (and so obligation.created events) for a new product. */
async function makeEvents(): Promise<number> {
  const id = `prd_w${productSeq++}`;
  const r = await unitOfWork(t.deps, m.actor, (u) => syncProductObligations(u, { id, model: `W${productSeq}`, cdas: true, ota: false, accessApprovedOn: '2024-01-01' }));
  return r.created.length;
}
async function deliveriesLog() {
  const r = await t.app.inject({ method: 'GET', url: `/api/v1/webhooks/${webhookId}/deliveries?limit=500`, headers: m.auth });
  assert.equal(r.statusCode, 200, r.body);
  return r.json() as { items: any[]; total: number };
}

test('signature: HMAC-SHA256 over timestamp and body; tampering or a wrong secret fails', () => {
  const at = new Date('2026-11-25T02:00:00Z');
  const h = signatureHeader('s3cret', '{"a":1}', at);
  assert.match(h, /^t=\d+,v1=[0-9a-f]{64}$/);
  assert.equal(verifySignature('s3cret', h, '{"a":1}', at), true);
  assert.equal(verifySignature('s3cret', h, '{"a":2}', at), false);
  assert.equal(verifySignature('other', h, '{"a":1}', at), false);
  assert.equal(verifySignature('s3cret', h, '{"a":1}', new Date(at.getTime() + 3600_000)), false, 'too old: replay refused');
  assert.equal(verifySignature('s3cret', undefined, '{"a":1}', at), false);
});

test('backoff doubles from 30 s and is capped at one hour', () => {
  assert.deepEqual([1, 2, 3, 4, 7, 8, 20].map(backoffMs), [30_000, 60_000, 120_000, 240_000, 1_920_000, BACKOFF_MAX_MS, BACKOFF_MAX_MS]);
});

test('delivered after commit, signed, with the event idempotency key; other tenants get nothing', async () => {
  const other = await t.tenant();
  const n = await makeEvents();
  await unitOfWork(t.deps, other.actor, (u) => syncProductObligations(u, { id: 'prd_other', model: 'OTH1', cdas: true, ota: false, accessApprovedOn: '2024-01-01' }));
  await drain(opts());
  assert.equal(rx.received.length, n);
  assert.ok(rx.received.every((r) => r.valid), 'every signature verifies');
  assert.ok(rx.received.every((r) => r.event === 'obligation.created'));
  const body = JSON.parse(rx.received[0].body);
  assert.equal(body.tenantId, m.tenantId);
  assert.equal(body.id, rx.received[0].key);
  assert.equal(body.data.obligation.rule, 'N45-3');
  const log = await deliveriesLog();
  assert.equal(log.total, n);
  assert.ok(log.items.every((d) => d.status === 'delivered' && d.attempts === 1 && d.log.length === 1 && d.log[0].statusCode === 200));
});

test('endpoint down for a simulated hour: retried with backoff, nothing lost, delivered once it is up', async () => {
  rx.received = [];
  await rx.down();
  const n = await makeEvents();
  const start = t.deps.clock().getTime();
  for (let minute = 0; minute <= 60; minute += 5) {
    t.deps.clock.set(new Date(start + minute * 60_000));
    await drain(opts());
  }
  assert.equal(rx.received.length, 0);
  let log = await deliveriesLog();
  const pending = log.items.filter((d) => d.status === 'pending');
  assert.equal(pending.length, n, 'every event still pending, none given up');
  assert.ok(pending.every((d) => d.attempts >= 4 && /ECONNREFUSED|fetch failed/.test(d.lastError)), JSON.stringify(pending[0]));
  const gaps = pending[0].log.map((a: any) => Date.parse(a.at)).map((x: number, i: number, xs: number[]) => (i ? x - xs[i - 1] : 0)).slice(1);
  assert.ok(gaps.every((g: number, i: number) => i === 0 || g >= gaps[i - 1]), `backoff grows: ${gaps}`);

  await rx.up();
  t.deps.clock.set(new Date(start + 2 * 3600_000));
  await drain(opts());
  assert.equal(rx.uniqueKeys().size, n, 'every event arrived');
  assert.equal(rx.received.length, n, 'and only once each');
  log = await deliveriesLog();
  assert.ok(log.items.every((d) => d.status === 'delivered'));
});

test('endpoint answering 500 is retried; a 2xx later settles it', async () => {
  rx.received = [];
  rx.status = 500;
  const n = await makeEvents();
  await drain(opts());
  assert.equal(rx.received.length, n);
  rx.status = 204;
  t.deps.clock.advance(backoffMs(1));
  await drain(opts());
  assert.equal(rx.received.length, 2 * n);
  assert.equal(rx.uniqueKeys().size, n);
  const log = await deliveriesLog();
  const recent = log.items.filter((d) => rx.uniqueKeys().has(d.idempotencyKey));
  assert.ok(recent.every((d) => d.status === 'delivered' && d.log.map((a: any) => a.statusCode).join() === '500,204'));
  rx.status = 200;
});

test('a restart in the middle of delivery: re-sent after the lease expires, same idempotency key, settled once', async () => {
  rx.received = [];
  const n = await makeEvents();
  await fanOut(t.deps.db, t.deps.clock);
  // The process "dies" after the receiver got each request but before the result was recorded.
  const crashed = await deliverDue({ ...opts(), afterSend: () => false });
  assert.equal(crashed.abandoned, n);
  assert.equal(rx.received.length, n);
  // A new process before the lease expires finds nothing due: no duplicate storm.
  assert.equal((await deliverDue(opts())).attempted, 0);
  t.deps.clock.advance(LEASE_MS + 1);
  const resumed = await deliverDue(opts());
  assert.equal(resumed.delivered, n);
  assert.equal(rx.received.length, 2 * n, 'at least once: each sent again');
  assert.equal(rx.uniqueKeys().size, n, 'duplicates carry the same idempotency key');
  const byKey = new Map<string, Received[]>();
  for (const r of rx.received) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
  for (const [, rs] of byKey) assert.equal(rs[0].body, rs[1].body, 'the same body on every attempt');
  await drain(opts());
  assert.equal(rx.received.length, 2 * n, 'settled: nothing more is sent');
});

test('two workers at once never send the same delivery twice', async () => {
  rx.received = [];
  const n = await makeEvents();
  await Promise.all([fanOut(t.deps.db, t.deps.clock), fanOut(t.deps.db, t.deps.clock)]);
  const [a, b] = await Promise.all([deliverDue(opts()), deliverDue(opts())]);
  assert.equal(a.attempted + b.attempted, n);
  assert.equal(rx.received.length, n);
  assert.equal(rx.uniqueKeys().size, n);
  assert.equal((await deliveriesLog()).items.filter((d) => rx.uniqueKeys().has(d.idempotencyKey)).length, n, 'fan-out twice at once: one delivery per event');
});

test('after policy.webhookMaxAttempts failures a delivery is failed; the retry route queues it again', async () => {
  await t.deps.db.tx('operator', (sql) => sql.query(`UPDATE tenants SET policy = $2 WHERE id = $1`, [m.tenantId, JSON.stringify({ obligations: { webhookMaxAttempts: 2 } })]));
  try {
    rx.received = [];
    rx.status = 503;
    const n = await makeEvents();
    await drain(opts());
    t.deps.clock.advance(backoffMs(1));
    await drain(opts());
    assert.equal(rx.received.length, 2 * n);
    let log = await deliveriesLog();
    const failed = log.items.filter((d) => d.status === 'failed');
    assert.equal(failed.length, n);
    assert.equal(failed[0].nextAttemptAt, null);
    t.deps.clock.advance(BACKOFF_MAX_MS);
    await drain(opts());
    assert.equal(rx.received.length, 2 * n, 'a failed delivery is not retried by itself');
    rx.status = 200;
    const retry = await t.app.inject({ method: 'POST', url: `/api/v1/webhooks/${webhookId}/deliveries/${failed[0].id}/retry`, headers: m.auth });
    assert.equal(retry.statusCode, 200, retry.body);
    assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/webhooks/${webhookId}/deliveries/${failed[0].id}/retry`, headers: m.auth })).statusCode, 409);
    await drain(opts());
    log = await deliveriesLog();
    const again = log.items.find((d) => d.id === failed[0].id);
    assert.equal(again.status, 'delivered');
    assert.equal(again.log.length, 3, 'the earlier attempts stay in the log');
  } finally {
    rx.status = 200;
    await t.deps.db.tx('operator', (sql) => sql.query(`UPDATE tenants SET policy = '{}' WHERE id = $1`, [m.tenantId]));
  }
});

test('background worker: woken after commit, the reminder sweep runs and its events arrive', async () => {
  rx.received = [];
  const stop = startWebhookBackground(t.deps, { deliveryPollMs: 200, reminderEveryMs: 200 });
  try {
    await makeEvents(); // commits obligation.created events: onCommit wakes the worker
    // The sweep emits obligation.overdue for the N45-3 obligations (due 2025-06-01).
    for (let i = 0; i < 200 && !rx.received.some((r) => r.event === 'obligation.overdue'); i++) await new Promise((r) => setTimeout(r, 50));
  } finally {
    await stop();
  }
  assert.ok(rx.received.some((r) => r.event === 'obligation.created'));
  assert.ok(rx.received.some((r) => r.event === 'obligation.overdue'), 'the sweep\'s overdue events were delivered');
  assert.ok(rx.received.every((r) => r.valid));
});

test('webhook API: validation, listing, deactivation, 404 across tenants', async () => {
  const bad = await t.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: m.auth, payload: { url: 'ftp://x', events: ['Bad Event'] } });
  assert.equal(bad.statusCode, 422);
  assert.deepEqual(bad.json().errors.map((e: any) => e.path).sort(), ['events.0', 'url']);
  const list = await t.app.inject({ method: 'GET', url: '/api/v1/webhooks', headers: m.auth });
  assert.equal(list.json().items.length, 1);
  assert.equal(list.json().items[0].secret, undefined, 'the secret is never shown again');
  const other = await t.tenant();
  assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/webhooks/${webhookId}/deliveries`, headers: other.auth })).statusCode, 404);
  const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${webhookId}`, headers: m.auth });
  assert.equal(del.json().active, false);
  rx.received = [];
  await makeEvents();
  await drain(opts());
  assert.equal(rx.received.length, 0, 'an inactive webhook receives nothing');
});
