import { test } from 'node:test';
import assert from 'node:assert/strict';
import { issuerOf, newSigningKey, signAuthorization, verifyAuthorization, type AuthorizationClaims } from './signing.ts';

const claims: AuthorizationClaims = {
  campaignId: 'cmp_1', campaignVersion: 3, tenantId: 'ten_1', class: 'B', recall: false,
  contentDigest: 'a'.repeat(64), scopeDigest: 'b'.repeat(64), filingDigest: 'c'.repeat(64),
  filings: [{ step: 'miit-filing', addressee: 'MIIT', reference: 'MIIT-OTA-2026-0001' }],
  software: [{ ecu: 'ADCU', to: '1.1.0', sha256: 'd'.repeat(64) }],
  window: { start: '2026-03-09T00:00:00+08:00', end: '2026-04-09T00:00:00+08:00' },
};
const during = new Date('2026-03-10T00:00:00Z');

test('a signed authorization verifies offline against the JWKS', async () => {
  const k = await newSigningKey('k1');
  const token = await signAuthorization(k, 'az_1', claims, new Date('2026-03-01T00:00:00Z'));
  const r = await verifyAuthorization(token, { keys: [k.publicJwk] }, during, issuerOf('ten_1'));
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(r.claims.campaignId, 'cmp_1');
  assert.equal(r.claims.filingDigest, 'c'.repeat(64));
  assert.equal(r.kid, 'k1');
  assert.equal(k.publicJwk.d, undefined, 'the public JWK carries no private part');
});

test('a tampered authorization is rejected', async () => {
  const k = await newSigningKey('k1');
  const token = await signAuthorization(k, 'az_1', claims, during);
  const [h, p, s] = token.split('.');
  const body = JSON.parse(Buffer.from(p, 'base64url').toString());
  body.scopeDigest = 'e'.repeat(64);
  const forged = [h, Buffer.from(JSON.stringify(body)).toString('base64url'), s].join('.');
  const r = await verifyAuthorization(forged, { keys: [k.publicJwk] }, during);
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.code, 'bad_signature');
});

test('an expired authorization is rejected, and one before its window', async () => {
  const k = await newSigningKey('k1');
  const token = await signAuthorization(k, 'az_1', claims, during);
  const late = await verifyAuthorization(token, { keys: [k.publicJwk] }, new Date('2026-05-01T00:00:00Z'));
  assert.equal(late.ok, false);
  if (!late.ok) assert.equal(late.code, 'expired');
  const early = await verifyAuthorization(token, { keys: [k.publicJwk] }, new Date('2026-03-01T00:00:00Z'));
  assert.equal(early.ok, false);
  if (!early.ok) assert.equal(early.code, 'not_yet_valid');
});

test('an authorization signed with another key is rejected', async () => {
  const k = await newSigningKey('k1');
  const other = await newSigningKey('k1'); // same kid, different key: a forger guessing the kid
  const token = await signAuthorization(other, 'az_1', claims, during);
  const r = await verifyAuthorization(token, { keys: [k.publicJwk] }, during);
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.code, 'bad_signature');
  const unknown = await verifyAuthorization(await signAuthorization(await newSigningKey('k9'), 'az_2', claims, during), { keys: [k.publicJwk] }, during);
  assert.equal(unknown.ok, false);
  if (!unknown.ok) assert.equal(unknown.code, 'unknown_key');
});

test('another tenant\'s issuer is rejected', async () => {
  const k = await newSigningKey('k1');
  const token = await signAuthorization(k, 'az_1', claims, during);
  const r = await verifyAuthorization(token, { keys: [k.publicJwk] }, during, issuerOf('ten_2'));
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.code, 'wrong_issuer');
});

test('rotation: a token under the old key verifies while the old key stays published', async () => {
  const k1 = await newSigningKey('k1');
  const k2 = await newSigningKey('k2');
  const old = await signAuthorization(k1, 'az_1', claims, during);
  const fresh = await signAuthorization(k2, 'az_2', claims, during);
  const jwks = { keys: [k2.publicJwk, k1.publicJwk] };
  assert.ok((await verifyAuthorization(old, jwks, during)).ok);
  assert.ok((await verifyAuthorization(fresh, jwks, during)).ok);
});

test('garbage is malformed, not a crash', async () => {
  const k = await newSigningKey('k1');
  const r = await verifyAuthorization('not.a.token', { keys: [k.publicJwk] }, during);
  assert.equal(r.ok, false);
});
