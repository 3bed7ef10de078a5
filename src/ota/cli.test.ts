import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newSigningKey, signAuthorization } from './signing.ts';

const CLI = new URL('../cli.ts', import.meta.url).pathname;
const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { encoding: 'utf8', env: { ...process.env, ICVGATE_LOG_LEVEL: 'silent' } });

test('icvgate authz verify: valid, tampered, expired', async () => {
  const k = await newSigningKey('k1');
  const claims = { campaignId: 'cmp_1', campaignVersion: 1, tenantId: 'ten_1', class: 'A', recall: false, contentDigest: 'a'.repeat(64), scopeDigest: 'b'.repeat(64),
    filingDigest: 'a'.repeat(64), filings: [], software: [], window: { start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:00Z' } };
  const token = await signAuthorization(k, 'az_1', claims, new Date('2025-12-01T00:00:00Z'));
  const dir = mkdtempSync(join(tmpdir(), 'authz-'));
  const jwks = join(dir, 'jwks.json');
  writeFileSync(jwks, JSON.stringify({ keys: [k.publicJwk] }));
  const ok = run(['authz', 'verify', token, '--jwks', jwks, '--at', '2026-01-15T00:00:00Z']);
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout).claims.campaignId, 'cmp_1');
  const tampered = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
  const bad = run(['authz', 'verify', tampered, '--jwks', jwks, '--at', '2026-01-15T00:00:00Z']);
  assert.equal(bad.status, 1);
  assert.equal(JSON.parse(bad.stdout).valid, false);
  const late = run(['authz', 'verify', token, '--jwks', jwks, '--at', '2026-03-01T00:00:00Z']);
  assert.equal(late.status, 1);
  assert.equal(JSON.parse(late.stdout).code, 'expired');
});
