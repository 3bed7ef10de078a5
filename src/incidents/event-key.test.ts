// The events' key: a digest per tenant, the same for a re-sent event, and what migration 0053 made
// of the keys stored before it (so a re-send after the upgrade still meets its stored row).
import assert from 'node:assert/strict';
import { hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { testApp, type TestApp } from '../../test/support.ts';
import { MIGRATIONS_DIR } from '../platform/migrate.ts';
import { intakeEvents } from './intake-events.ts';
import { IncidentEvent } from './model.ts';
import { dedupeKey } from './rules.ts';
import { withVinCheck } from './test-vins.ts';
import { canonicalJson } from '../platform/canonical.ts';

let t: TestApp;
before(async () => { t = await testApp({ now: '2026-06-10T02:00:00Z' }); });
after(() => t.close());

const VIN = withVinCheck('LSVAU2180N2300001');
const event = (extra: object = {}) => IncidentEvent.parse({ type: 'lockout', vin: VIN, occurredAt: '2026-06-01T08:00:00+08:00', cdas: { function: 'LCC' }, ...extra });
const uuid = (h: string) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
/** The key before migration 0053: the digest of the event alone. */
const keyBefore0053 = (e: IncidentEvent) => uuid(hash('md5', e.eventId ? `id:${e.eventId}` : canonicalJson({ ...e, awareAt: undefined, personal: undefined }), 'hex'));

describe('event keys', () => {
  it('are the same for the same event and tenant, and differ between tenants', () => {
    const cases: [string, IncidentEvent, string, IncidentEvent, string, boolean][] = [
      ['same id, same tenant', event({ eventId: 'a' }), 'ten_1', event({ eventId: 'a', faultCode: 'other content' }), 'ten_1', true],
      ['same id, other tenant', event({ eventId: 'a' }), 'ten_1', event({ eventId: 'a' }), 'ten_2', false],
      ['no id, same content, other awareness and personal data', event(), 'ten_1', event({ awareAt: '2026-06-02T00:00:00Z', personal: { plate: 'x' } }), 'ten_1', true],
      ['no id, other content', event(), 'ten_1', event({ faultCode: 'F' }), 'ten_1', false],
      ['no id, same content, other tenant', event(), 'ten_1', event(), 'ten_2', false],
    ];
    for (const [name, a, ta, b, tb, same] of cases) assert.equal(dedupeKey(a, ta) === dedupeKey(b, tb), same, name);
    assert.match(dedupeKey(event(), 'ten_1'), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('migration 0053 turns a stored key into the key intake computes now, for events and their personal data', async () => {
    const tenant = await t.tenant();
    const events = [event({ faultCode: 'F-9' }), ...Array.from({ length: 11 }, (_, i) => event({ eventId: `m-${i}` }))];
    // Both halves of the key (two signed 64-bit words in the migration's SQL) with either top bit.
    const tops = new Set(events.flatMap((e) => { const k = dedupeKey(e, tenant.tenantId).replace(/-/g, ''); return [`a${k[0] >= '8'}`, `b${k[16] >= '8'}`]; }));
    assert.equal(tops.size, 4);
    const sql0053 = readFileSync(join(MIGRATIONS_DIR, '0053_incident_event_key.sql'), 'utf8');
    const rolledBack = new Error('rolled back on purpose');
    await assert.rejects(t.deps.db.tx('owner', async (sql) => {
      for (const [i, e] of events.entries()) {
        await sql.query(`INSERT INTO incident_events (tenant_id, dedupe, batch_id, type, vin, vin_status, occurred_at, aware_at, cdas_function, engagement, body)
          VALUES ($1, $2, 'evb_m', $3, $4, 'valid', $5, $5, 'LCC', 'unknown', '{}')`, [tenant.tenantId, keyBefore0053(e), e.type, e.vin, e.occurredAt]);
        if (i === 0) await sql.query(`INSERT INTO incident_event_personal (tenant_id, dedupe, data) VALUES ($1, $2, '{}')`, [tenant.tenantId, keyBefore0053(e)]);
      }
      // The migration again on this migrated database: it rewrites every stored key the same way.
      await sql.exec(sql0053);
      const stored = await sql.query<{ dedupe: string }>('SELECT dedupe::text FROM incident_events WHERE tenant_id = $1', [tenant.tenantId]);
      assert.deepEqual(new Set(stored.map((r) => r.dedupe)), new Set(events.map((e) => dedupeKey(e, tenant.tenantId))));
      const personal = await sql.query<{ dedupe: string }>('SELECT dedupe::text FROM incident_event_personal WHERE tenant_id = $1', [tenant.tenantId]);
      assert.deepEqual(personal.map((r) => r.dedupe), [dedupeKey(events[0], tenant.tenantId)]);
      throw rolledBack;
    }), (e) => e === rolledBack);
  });

  it('a stored event re-sent is a duplicate whatever the path', async () => {
    const tenant = await t.tenant();
    const line = JSON.stringify({ type: 'lockout', vin: VIN, occurredAt: '2026-06-01T08:00:00+08:00', cdas: { function: 'LCC' }, eventId: 'k-1' });
    const first = await intakeEvents(t.deps, tenant.actor, { body: [Buffer.from(line)], ndjson: true });
    const again = await intakeEvents(t.deps, tenant.actor, { body: { type: 'lockout', vin: VIN, occurredAt: '2026-06-01T08:00:00+08:00', cdas: { function: 'LCC' }, eventId: 'k-1' }, ndjson: false });
    assert.deepEqual([first.inserted, again.inserted, again.duplicates], [1, 0, 1]);
    const rows = await t.deps.db.tx('owner', (sql) => sql.query<{ dedupe: string }>('SELECT dedupe::text FROM incident_events WHERE tenant_id = $1', [tenant.tenantId]));
    assert.deepEqual(rows.map((r) => r.dedupe), [dedupeKey(event({ eventId: 'k-1' }), tenant.tenantId)]);
  });
});
