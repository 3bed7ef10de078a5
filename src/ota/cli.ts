// `icvgate authz verify TOKEN --jwks FILE|URL`: checks an authorization offline against published keys.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { decodeJwt } from 'jose';
import { verifyAuthorization } from './signing.ts';

export function otaCli(program: Command) {
  program.command('authz').description('OTA authorizations').command('verify')
    .description('verify a signed OTA authorization (JWS, EdDSA) against the tenant\'s JWKS; exit code 0 when valid')
    .argument('<token>', 'the authorization (compact JWS), or @FILE to read it from a file')
    .requiredOption('--jwks <fileOrUrl>', 'the JWKS: a file saved from /api/v1/tenants/{tenantId}/jwks.json, or its URL')
    .option('--at <instant>', 'check validity at this time (ISO 8601; default now)')
    .action(async (tokenArg: string, o: { jwks: string; at?: string }) => {
      const token = (tokenArg.startsWith('@') ? readFileSync(tokenArg.slice(1), 'utf8') : tokenArg).trim();
      const jwks = /^https?:\/\//.test(o.jwks) ? await (await fetch(o.jwks)).json() : JSON.parse(readFileSync(o.jwks, 'utf8'));
      const at = o.at ? new Date(o.at) : new Date();
      if (Number.isNaN(at.getTime())) throw new Error(`--at ${o.at} is not a valid instant`);
      let issuer: string | undefined;
      try { issuer = decodeJwt(token).iss; } catch { issuer = undefined; }
      const r = await verifyAuthorization(token, jwks, at);
      console.log(JSON.stringify(r.ok ? { valid: true, kid: r.kid, issuer, claims: r.claims } : { valid: false, code: r.code, reason: r.message, issuer }, null, 2));
      process.exitCode = r.ok ? 0 : 1;
    });
}
