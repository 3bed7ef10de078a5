import { canonicalJson } from '../platform/canonical.ts';
import { uuidAt } from '../platform/key-set.ts';
import { md5 } from '../platform/md5.ts';
import { shanghaiDate } from '../platform/time.ts';
import { checkVin, isValidVin } from '../identifiers/vin.ts';
import { failure, msg } from '../platform/messages.ts';
import { assessReportability, type IncidentFacts, type IncidentPolicy, type Severity } from '../regimes/cn-2025/incidents.ts';
import type { IncidentEvent } from './model.ts';

export type VinStatus = 'valid' | 'check-digit-unverifiable' | 'unknown';

/**
 * A 17-character VIN must pass the check digit. External data (NHTSA SGO) cuts VINs to the first 11
 * characters: those keep their check digit but not the serial it covers, so they are accepted as
 * "check digit unverifiable", never called invalid.
 */
export function vinStatus(input: string): { ok: true; vin: string; status: VinStatus } | { ok: false; reason: string } {
  const vin = input.trim().toUpperCase();
  if (vin === 'UNKNOWN') return { ok: true, vin: 'UNKNOWN', status: 'unknown' };
  if (vin.length === 11) {
    const bad = /[^A-HJ-NPR-Z0-9]/.exec(vin);
    if (bad) return failure(msg('incidents.vinCharacter', { position: bad.index + 1, char: bad[0] }));
    return { ok: true, vin, status: 'check-digit-unverifiable' };
  }
  if (isValidVin(vin)) return { ok: true, vin, status: 'valid' };
  const c = checkVin(vin);
  if (!c.ok) return failure(msg('incidents.vinInvalid', { reason: c }));
  return { ok: true, vin: c.vin, status: 'valid' };
}

/** The ECU/version a failure signature names: the first software entry (the CDAS controller by convention). */
export function signatureOf(e: Pick<IncidentEvent, 'faultCode' | 'software' | 'cdas'>): { key: string; function: string; faultCode: string; softwareVersion: string; ecu: string | null } | null {
  if (!e.faultCode || e.software.length === 0) return null;
  const sw = e.software[0];
  return { key: [e.cdas.function, e.faultCode, sw.version, sw.ecu].join('|'), function: e.cdas.function, faultCode: e.faultCode, softwareVersion: sw.version, ecu: sw.ecu };
}

/**
 * Same event re-sent = same key: the MD5 digest of the sender's id when given, else of the event
 * content, XORed with the digest of the tenant id, so that the key alone is unique across tenants (it
 * is the events' primary key; migration 0053 rewrote stored keys the same way). Two tenants' keys
 * could only meet if one found content with a chosen digest (an MD5 preimage). The 16 bytes.
 */
export function dedupeDigest(e: IncidentEvent, tenantId: string): Uint8Array {
  const basis = e.eventId ? `id:${e.eventId}` : canonicalJson({ ...e, awareAt: undefined, personal: undefined });
  const key = md5(basis);
  const mask = tenantMask(tenantId);
  for (let i = 0; i < 16; i++) key[i] ^= mask[i];
  return key;
}

/** The dedupe key as a UUID. */
export const dedupeKey = (e: IncidentEvent, tenantId: string): string => uuidAt(dedupeDigest(e, tenantId), 0);

/** The tenant's digest, kept for the last tenant asked: a batch asks for the same one a million times. */
let masked: { tenantId: string; mask: Uint8Array } | null = null;
function tenantMask(tenantId: string): Uint8Array {
  if (masked === null || masked.tenantId !== tenantId) masked = { tenantId, mask: md5(tenantId) };
  return masked.mask;
}

export function factsOf(e: IncidentEvent): IncidentFacts {
  return { type: e.type, engagement: e.cdas.engagement, secondsBeforeImpact: e.cdas.secondsBeforeImpact ?? null, ...e.severity };
}

/** S1-S3 events open a case of their own; S4 events feed the monthly summary case of their month. */
export function caseKeyOf(e: IncidentEvent, severity: Severity | null, aware: Date | number): string | null {
  if (severity === null) return null;
  if (severity === 'S4') return `monthly:${shanghaiDay(typeof aware === 'number' ? aware : aware.getTime()).slice(0, 7)}`;
  if (e.incidentRef) return `ref:${e.incidentRef}`;
  // Without a reference, events of one vehicle, type and minute are one incident.
  return `event:${e.vin.toUpperCase()}|${e.type}|${new Date(e.occurredAt).toISOString().slice(0, 16)}`;
}

const DAY_MS = 86_400_000, SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const days = new Map<number, string>();
/** The Shanghai date of an instant (as shanghaiDate), remembered per day: the bulk path asks it millions of times. */
export function shanghaiDay(ms: number): string {
  const n = Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS);
  let d = days.get(n);
  if (d === undefined) {
    if (days.size > 50_000) days.clear();
    d = shanghaiDate(new Date(ms));
    days.set(n, d);
  }
  return d;
}

const SEVERITY_RANK: Record<Severity, number> = { S1: 1, S2: 2, S3: 3, S4: 4 };
export const graver = (a: Severity | null, b: Severity | null): Severity | null =>
  a === null ? b : b === null ? a : SEVERITY_RANK[a] <= SEVERITY_RANK[b] ? a : b;

export function assessEvent(e: IncidentEvent, aware: Date, p: IncidentPolicy) {
  return assessReportability(factsOf(e), aware, p);
}

/** Drops personal data from anything leaving the system unless the caller asked and may see it. */
export function redact<T extends Record<string, unknown>>(value: T, includePersonal: boolean): T & { redacted: boolean } {
  if (includePersonal) return { ...value, redacted: false };
  const { personal: _p, ...rest } = value as T & { personal?: unknown };
  return { ...(rest as T), redacted: true };
}
