/**
 * The NHTSA Standing General Order 2021-01 incident report CSV (third amendment layout, data element
 * definitions of 17 Aug 2026) mapped onto our report model. Pure: one row in, one report version or
 * one rejection reason out. Redaction tokens become null with the field named in `redactions`.
 */
import type { Engagement, IncidentFacts } from '../regimes/cn-2025/incidents.ts';
import { vinStatus, type VinStatus } from './rules.ts';

export const SGO_COLUMNS = {
  reportId: 'Report ID', version: 'Report Version', entity: 'Reporting Entity', type: 'Report Type',
  reportMonth: 'Report Month', reportYear: 'Report Year', submitted: 'Report Submission Date',
  vin: 'VIN', vinDecoded: 'VIN Decoded', serial: 'Serial Number', make: 'Make', model: 'Model', modelYear: 'Model Year',
  sameVehicle: 'Same Vehicle ID', operatorType: 'Driver / Operator Type', featureVersion: 'Automation Feature Version',
  featureVersionCbi: 'Automation Feature Version CBI', system: 'Automation System Engaged?', engagement: 'Engagement Status',
  operatingEntity: 'Operating Entity', incidentDate: 'Incident Date', incidentDateUnknown: 'Incident Date - Unknown',
  incidentTime: 'Incident Time (24:00)', incidentTimeUnknown: 'Incident Time - Unknown', sameIncident: 'Same Incident ID',
  lat: 'Latitude', lon: 'Longitude', address: 'Address', city: 'City', state: 'State', zip: 'Zip Code',
  roadType: 'Roadway Type', crashWith: 'Crash With', injury: 'Highest Injury Severity Alleged',
  cpMovement: 'CP Pre-Crash Movement', svMovement: 'SV Pre-Crash Movement', airbags: 'Any Air Bags Deployed?',
  towed: 'Was Any Vehicle Towed?', belted: 'Were All Passengers Belted?', speed: 'SV Precrash Speed (MPH)',
  speedUnknown: 'SV Pre-crash Speed - Unknown', agency: 'Investigating Agency', odd: 'Within ODD?', narrative: 'Narrative',
  narrativeCbi: 'Narrative - CBI?',
} as const;
type Col = keyof typeof SGO_COLUMNS;

/** Multi-select picklists: a "Y" in the column means the value applies. */
const PICKLISTS = {
  sources: 'Source - ', roadway: 'Roadway-', weather: 'Weather - ', cpContact: 'CP Contact Area - ',
  svContact: 'SV Contact Area - ', data: 'Data Availability - ',
} as const;

const SOURCE_MAP: Record<string, string> = {
  'Complaint/Claim': 'customer', Telematics: 'telematics', 'Law Enforcement': 'police', 'Field Report': 'dealer',
  Testing: 'testing', Media: 'media', 'Internal Process Review': 'internal_review', 'NHTSA VOQ': 'regulator',
  'Other - See Narrative': 'other', 'Other Entity': 'other', 'State or Other Agency': 'regulator',
};
const ENGAGEMENT_MAP: Record<string, Engagement> = {
  'Verified Engaged': 'verified_engaged', 'Alleged Engaged': 'alleged_engaged',
  'Verified Not Engaged': 'verified_not_engaged', 'Unknown - see Narrative': 'unknown', 'Unknown, see Narrative': 'unknown',
};
const REPORT_TYPES: Record<string, 'first' | 'update' | 'monthly'> = { '5-Day': 'first', Update: 'update', Monthly: 'monthly' };
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const CBI = '[REDACTED, MAY CONTAIN CONFIDENTIAL BUSINESS INFORMATION]';
const PII = '[MAY CONTAIN PERSONALLY IDENTIFIABLE INFORMATION]';

export type SgoLayout = { index: Record<Col, number>; picklists: Record<keyof typeof PICKLISTS, { label: string; index: number }[]>; width: number };

/** Reads the header; a missing column refuses the whole file, naming it. */
export function sgoLayout(header: string[]): { ok: true; layout: SgoLayout } | { ok: false; missing: string[] } {
  const pos = new Map(header.map((h, i) => [h.trim(), i]));
  const missing = Object.values(SGO_COLUMNS).filter((c) => !pos.has(c));
  if (missing.length) return { ok: false, missing };
  const index = Object.fromEntries(Object.entries(SGO_COLUMNS).map(([k, c]) => [k, pos.get(c)!])) as Record<Col, number>;
  const picklists = Object.fromEntries(Object.entries(PICKLISTS).map(([k, prefix]) => [k,
    header.flatMap((h, i) => (h.startsWith(prefix) && !h.endsWith(' CBI') ? [{ label: h.slice(prefix.length).trim(), index: i }] : []))])) as SgoLayout['picklists'];
  return { ok: true, layout: { index, picklists, width: header.length } };
}

export type SgoReport = {
  line: number;
  reportId: string;
  version: number;
  reportType: 'first' | 'update' | 'monthly';
  incidentKey: string;
  vin: string;
  vinStatus: VinStatus;
  facts: IncidentFacts;
  content: Record<string, unknown>;
  personal: Record<string, string>;
  narrative: string | null;
};

export type SgoRow = { ok: true; report: SgoReport } | { ok: false; line: number; reason: string; reportId?: string; version?: number };

/** "JUN-2026" -> "2026-06" (the file holds months, not days, to protect privacy). */
export function sgoMonth(s: string): string | null {
  const m = /^([A-Z]{3})-(\d{4})$/.exec(s.trim().toUpperCase());
  if (!m || !MONTHS.includes(m[1])) return null;
  return `${m[2]}-${String(MONTHS.indexOf(m[1]) + 1).padStart(2, '0')}`;
}

export function mapSgoRow(layout: SgoLayout, line: number, f: string[]): SgoRow {
  const get = (c: Col) => (f[layout.index[c]] ?? '').trim();
  const reportId = get('reportId');
  const reject = (reason: string, version?: number): SgoRow => ({ ok: false, line, reason, reportId: reportId || undefined, version });
  if (f.length !== layout.width) return reject(`has ${f.length} columns, the header has ${layout.width}`);
  if (!/^\d+-\d+$/.test(reportId)) return reject(`Report ID '${reportId}' is not of the form NNN-NNN`);
  const versionText = get('version');
  const version = Number(versionText);
  if (!/^\d+$/.test(versionText) || version < 1) return reject(`Report Version '${versionText}' is not a whole number >= 1`);
  const reportType = REPORT_TYPES[get('type')];
  if (!reportType) return reject(`Report Type '${get('type')}' is not one of 5-Day, Update, Monthly`, version);
  const vin = vinStatus(get('vin') || 'unknown');
  if (!vin.ok) return reject(vin.reason, version);
  const engagement = ENGAGEMENT_MAP[get('engagement')];
  if (!engagement) return reject(`Engagement Status '${get('engagement')}' is not a value of the SGO data dictionary`, version);

  const redactions: string[] = [];
  const val = (c: Col) => {
    const v = get(c);
    if (v === CBI) { redactions.push(`${SGO_COLUMNS[c]}: confidential business information`); return null; }
    if (v === PII) { redactions.push(`${SGO_COLUMNS[c]}: personal data`); return null; }
    return v === '' ? null : v;
  };
  let month: string | null = null;
  if (get('incidentDateUnknown') !== 'Y' || get('incidentDate') !== '') {
    month = sgoMonth(get('incidentDate'));
    if (!month) return reject(`Incident Date '${get('incidentDate')}' is not MMM-YYYY and not marked unknown`, version);
  }
  let time: string | null = null;
  if (get('incidentTime') !== '') {
    const t = /^(\d{1,2}):(\d{2})$/.exec(get('incidentTime'));
    if (!t || Number(t[1]) > 23 || Number(t[2]) > 59) return reject(`Incident Time '${get('incidentTime')}' is not HH:MM (24 h)`, version);
    time = `${t[1].padStart(2, '0')}:${t[2]}`;
  } else if (get('incidentTimeUnknown') !== 'Y') return reject('Incident Time is empty and not marked unknown', version);
  let speedMph: number | null = null;
  if (get('speed') !== '') {
    speedMph = Number(get('speed'));
    if (!Number.isFinite(speedMph) || speedMph < 0 || speedMph > 250) return reject(`SV Precrash Speed (MPH) '${get('speed')}' is not a speed`, version);
  } else if (get('speedUnknown') !== 'Y') return reject('SV Precrash Speed (MPH) is empty and not marked unknown', version);
  const submitted = sgoMonth(get('submitted'));
  if (!submitted) return reject(`Report Submission Date '${get('submitted')}' is not MMM-YYYY`, version);

  const picked = (k: keyof typeof PICKLISTS) => layout.picklists[k].filter((p) => f[p.index]?.trim() === 'Y').map((p) => p.label);
  const injury = val('injury') ?? 'Unknown';
  const crashWith = val('crashWith') ?? 'Unknown';
  const airbags = val('airbags') ?? 'Unknown';
  const towed = val('towed') ?? 'Unknown';
  const facts: IncidentFacts = {
    type: 'collision', engagement, secondsBeforeImpact: null,
    fatality: injury === 'Fatality',
    hospitalInjury: /W\/ Hospitalization/.test(injury),
    vulnerableRoadUser: /^Non-\s?Motorist/.test(crashWith),
    airbag: airbags.startsWith('Yes'),
    towAway: towed.startsWith('Yes'),
    propertyDamage: injury.startsWith('Property Damage'),
  };
  const narrativeText = val('narrative');
  const personal: Record<string, string> = {};
  for (const [k, c] of [['serialNumber', 'serial'], ['latitude', 'lat'], ['longitude', 'lon'], ['address', 'address'], ['zip', 'zip']] as const) {
    const v = get(c);
    if (v === PII) redactions.push(`${SGO_COLUMNS[c]}: personal data (withheld at source)`);
    else if (v !== '' && v !== 'N/A') personal[k] = v;
  }
  const content = {
    source: { format: 'nhtsa-sgo', reportType: get('type'), submitted, reportMonth: val('reportMonth'), reportYear: val('reportYear'), sameIncidentId: val('sameIncident'), sameVehicleId: val('sameVehicle') },
    manufacturer: val('entity'),
    product: { make: val('make'), model: val('model'), modelYear: val('modelYear') },
    vin: vin.vin, vinStatus: vin.status, vinDecoded: get('vinDecoded') || null,
    operator: { type: val('operatorType'), entity: val('operatingEntity') },
    software: { automationFeatureVersion: val('featureVersion'), confidentialClaim: get('featureVersionCbi') === 'Y' },
    cdas: { function: 'Level 2 ADAS', system: val('system'), engagement, secondsBeforeImpact: null },
    awareness: { sources: [...new Set(picked('sources').map((s) => SOURCE_MAP[s] ?? 'other'))] },
    occurred: { month, time, city: val('city'), region: val('state'), roadType: val('roadType'), roadway: picked('roadway'), weather: picked('weather'), withinOdd: val('odd') },
    crash: {
      with: crashWith, highestInjury: injury, preCrashMovement: val('svMovement'), partnerPreCrashMovement: val('cpMovement'),
      contactAreas: picked('svContact'), partnerContactAreas: picked('cpContact'), airbags, towed, belted: val('belted'),
      speedMph, speedKmh: speedMph === null ? null : Math.round(speedMph * 1.609344),
    },
    dataAvailable: picked('data'),
    investigatingAgency: val('agency'),
    narrativeConfidentialClaim: get('narrativeCbi') === 'Y',
    redactions,
  };
  return {
    ok: true,
    report: {
      line, reportId, version, reportType, vin: vin.vin, vinStatus: vin.status, facts, content, personal,
      incidentKey: `sgo:${val('sameIncident') ?? reportId}`,
      narrative: narrativeText,
    },
  };
}

/** Versions of one report in order, with the versions the file lacks (earlier releases). */
export function versionChain(versions: number[]): { ordered: number[]; missing: number[] } {
  const ordered = [...new Set(versions)].sort((a, b) => a - b);
  const have = new Set(ordered);
  const missing: number[] = [];
  for (let v = 1; v < (ordered.at(-1) ?? 0); v++) if (!have.has(v)) missing.push(v);
  return { ordered, missing };
}
