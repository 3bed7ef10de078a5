// Authorizations are JWS (compact JWT, EdDSA over Ed25519) that an OTA back end verifies offline
// against the tenant's published JWKS. Old keys stay published after rotation, so tokens issued
// under them keep verifying until they expire.
import { createLocalJWKSet, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';

export const AUTHZ_TYP = 'icvgate-ota-authz+jwt';
export const ALG = 'EdDSA';

export type SigningKey = { kid: string; publicJwk: JWK; privateJwk: JWK };

export async function newSigningKey(kid: string): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair(ALG, { crv: 'Ed25519', extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: ALG, use: 'sig' };
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: ALG };
  return { kid, publicJwk, privateJwk };
}

export type AuthorizationClaims = {
  campaignId: string;
  campaignVersion: number;
  tenantId: string;
  class: string;
  recall: boolean;
  contentDigest: string;
  scopeDigest: string;
  filingDigest: string;
  filings: { step: string; addressee: string; reference: string }[];
  software: { ecu: string; to: string; sha256: string }[];
  window: { start: string; end: string };
};

export const issuerOf = (tenantId: string) => `icvgate:${tenantId}`;

export async function signAuthorization(key: SigningKey, jti: string, claims: AuthorizationClaims, issuedAt: Date): Promise<string> {
  const pk = await importJWK(key.privateJwk, ALG);
  return new SignJWT({ ...claims } as unknown as JWTPayload)
    .setProtectedHeader({ alg: ALG, kid: key.kid, typ: AUTHZ_TYP })
    .setIssuer(issuerOf(claims.tenantId))
    .setSubject(claims.campaignId)
    .setJti(jti)
    .setIssuedAt(Math.floor(issuedAt.getTime() / 1000))
    .setNotBefore(Math.floor(new Date(claims.window.start).getTime() / 1000))
    .setExpirationTime(Math.floor(new Date(claims.window.end).getTime() / 1000))
    .sign(pk);
}

export type VerifyResult =
  | { ok: true; kid: string; claims: AuthorizationClaims & { iss: string; sub: string; jti: string; iat: number; nbf: number; exp: number } }
  | { ok: false; code: 'expired' | 'not_yet_valid' | 'bad_signature' | 'unknown_key' | 'malformed' | 'wrong_issuer'; message: string };

/** Offline check against a JWKS document; `now` decides validity (no clock read here). */
export async function verifyAuthorization(token: string, jwks: { keys: JWK[] }, now: Date, expectIssuer?: string): Promise<VerifyResult> {
  try {
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks as any), {
      algorithms: [ALG], typ: AUTHZ_TYP, currentDate: now, issuer: expectIssuer,
    });
    return { ok: true, kid: protectedHeader.kid!, claims: payload as any };
  } catch (e: any) {
    const code = e?.code as string;
    if (code === 'ERR_JWT_EXPIRED') return { ok: false, code: 'expired', message: 'the authorization has expired (its window ended)' };
    if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && e.claim === 'nbf') return { ok: false, code: 'not_yet_valid', message: 'the authorization window has not opened yet' };
    if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && e.claim === 'iss') return { ok: false, code: 'wrong_issuer', message: `issued by another tenant (${e.payload?.iss})` };
    if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') return { ok: false, code: 'bad_signature', message: 'the signature does not match: the token was altered or signed with another key' };
    if (code === 'ERR_JWKS_NO_MATCHING_KEY') return { ok: false, code: 'unknown_key', message: 'no published key matches the token (kid)' };
    return { ok: false, code: 'malformed', message: `not a valid authorization: ${e?.message ?? e}` };
  }
}
