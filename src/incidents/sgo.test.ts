import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { describe, it } from 'node:test';
import { assessReportability } from '../regimes/cn-2025/incidents.ts';
import { parseCsv, parseCsvText } from './csv.ts';
import { mapSgoRow, sgoLayout, sgoMonth, versionChain, type SgoLayout } from './sgo.ts';

const groupBy = <T>(xs: T[], f: (x: T) => string) => {
  const out: Record<string, T[]> = {};
  for (const x of xs) (out[f(x)] ??= []).push(x);
  return out;
};

export const SGO_FILE = new URL('./testdata/SGO-2021-01_Incident_Reports_ADAS.csv', import.meta.url);

describe('RFC 4180 parser', () => {
  const cases: [string, string, { line: number; fields: string[]; error?: string }[]][] = [
    ['plain', 'a,b\n1,2\n', [{ line: 1, fields: ['a', 'b'] }, { line: 2, fields: ['1', '2'] }]],
    ['CRLF and no final newline', 'a,b\r\n1,2', [{ line: 1, fields: ['a', 'b'] }, { line: 2, fields: ['1', '2'] }]],
    ['quoted comma, doubled quote', '"x,y","say ""hi"""\n', [{ line: 1, fields: ['x,y', 'say "hi"'] }]],
    ['line break inside quotes; next record line counts it', '"a\nb",c\nd,e\n', [{ line: 1, fields: ['a\nb', 'c'] }, { line: 3, fields: ['d', 'e'] }]],
    ['empty fields and empty quoted', ',"",\n', [{ line: 1, fields: ['', '', ''] }]],
    ['blank lines skipped', 'a\n\n\nb\n', [{ line: 1, fields: ['a'] }, { line: 4, fields: ['b'] }]],
    ['BOM dropped', '\ufeffa,b\n', [{ line: 1, fields: ['a', 'b'] }]],
    ['stray quote reported', 'ab"c,d\n', [{ line: 1, fields: ['ab"c', 'd'], error: 'stray quote inside an unquoted field (column 1)' }]],
    ['unclosed quote reported', 'a,"bc\n', [{ line: 1, fields: ['a', 'bc\n'], error: 'a quoted field is not closed before the end of the file' }]],
  ];
  for (const [name, text, expected] of cases) {
    it(name, () => assert.deepEqual(parseCsvText(text), expected));
    it(`${name} (one character per chunk)`, async () => {
      const out = [];
      for await (const r of parseCsv([...text])) out.push(r);
      assert.deepEqual(out, expected);
    });
  }
});

async function readSgo() {
  const records = [];
  for await (const r of parseCsv(createReadStream(SGO_FILE, { highWaterMark: 4096 }))) records.push(r);
  return records;
}

describe('the NHTSA SGO file, row by row', () => {
  it('maps every one of the 2,024 rows; all are accepted, with 11-character VINs unverifiable', async () => {
    const [header, ...rows] = await readSgo();
    assert.equal(header.fields.length, 116);
    assert.equal(rows.length, 2024);
    const l = sgoLayout(header.fields);
    assert.ok(l.ok);
    const mapped = rows.map((r) => mapSgoRow(l.layout, r.line, r.fields));
    const rejected = mapped.filter((m) => !m.ok);
    assert.deepEqual(rejected, []);
    const reports = mapped.flatMap((m) => (m.ok ? [m.report] : []));
    assert.equal(new Set(reports.map((r) => r.reportId)).size, 1915);
    assert.ok(reports.every((r) => r.vinStatus === 'check-digit-unverifiable' && r.vin.length === 11));
    const byType = groupBy(reports, (r) => r.reportType);
    assert.deepEqual([byType.first?.length, byType.update?.length, byType.monthly?.length], [1875, 145, 4]);
    // Every row maps to a reportable collision or a collision with CDAS verifiably not engaged.
    const severities = groupBy(reports, (r) => String(assessReportability(r.facts, new Date('2026-08-01T00:00:00Z')).severity));
    assert.equal(severities.null?.length, 13); // the 13 'Verified Not Engaged' rows
    assert.ok((severities.S1?.length ?? 0) > 100 && (severities.S2?.length ?? 0) > 1000);
    // Redaction tokens never leak into content.
    assert.ok(reports.every((r) => !JSON.stringify(r.content).includes('MAY CONTAIN')));
  });

  it('rebuilds version chains per Report ID, naming versions released earlier and absent here', async () => {
    const [header, ...rows] = await readSgo();
    const l = sgoLayout(header.fields);
    assert.ok(l.ok);
    const versions = new Map<string, number[]>();
    for (const r of rows) {
      const m = mapSgoRow(l.layout, r.line, r.fields);
      if (m.ok) versions.set(m.report.reportId, [...(versions.get(m.report.reportId) ?? []), m.report.version]);
    }
    assert.deepEqual(versionChain(versions.get('10039-11989')!), { ordered: [1, 2, 3, 4, 5], missing: [] });
    const gaps = [...versions.values()].filter((v) => versionChain(v).missing.length > 0);
    assert.equal(gaps.length, 36);
  });
});

describe('SGO rows that must be rejected, with the reason', () => {
  const header = parseCsvText(
    'Report ID,Report Version,Reporting Entity,Report Type,Report Month,Report Year,Report Submission Date,VIN,VIN Decoded,Serial Number,Make,Model,Model Year,Same Vehicle ID,Driver / Operator Type,Automation Feature Version,Automation Feature Version CBI,Automation System Engaged?,Engagement Status,Operating Entity,Incident Date,Incident Date - Unknown,Incident Time (24:00),Incident Time - Unknown,Same Incident ID,Latitude,Longitude,Address,City,State,Zip Code,Roadway Type,Crash With,Highest Injury Severity Alleged,CP Pre-Crash Movement,SV Pre-Crash Movement,Any Air Bags Deployed?,Was Any Vehicle Towed?,Were All Passengers Belted?,SV Precrash Speed (MPH),SV Pre-crash Speed - Unknown,Investigating Agency,Within ODD?,Narrative,Narrative - CBI?',
  )[0].fields;
  const l = sgoLayout(header);
  assert.ok(l.ok);
  const layout = l.layout as SgoLayout;
  const good: Record<string, string> = {
    'Report ID': '13781-1', 'Report Version': '1', 'Report Type': '5-Day', 'Report Submission Date': 'JUN-2026', VIN: '5YJ3E1EA1SF',
    'Engagement Status': 'Verified Engaged', 'Incident Date': 'MAY-2026', 'Incident Time (24:00)': '9:05', 'SV Precrash Speed (MPH)': '42',
    'Highest Injury Severity Alleged': 'Fatality', 'Same Incident ID': 'abc',
  };
  const row = (over: Record<string, string>) => header.map((h) => ({ ...good, ...over })[h] ?? '');
  it('a good row maps, time padded, speed in km/h, fatality -> S1 facts', () => {
    const m = mapSgoRow(layout, 2, row({}));
    assert.ok(m.ok);
    assert.equal((m.report.content.occurred as any).time, '09:05');
    assert.equal((m.report.content.crash as any).speedKmh, 68);
    assert.equal(m.report.facts.fatality, true);
    assert.equal(m.report.incidentKey, 'sgo:abc');
  });
  const cases: [string, Record<string, string>, RegExp][] = [
    ['bad report id', { 'Report ID': 'X1' }, /Report ID 'X1'/],
    ['version 0', { 'Report Version': '0' }, /Report Version '0'/],
    ['version text', { 'Report Version': 'two' }, /Report Version 'two'/],
    ['unknown report type', { 'Report Type': 'Weekly' }, /Report Type 'Weekly'/],
    ['VIN with O', { VIN: '5YJ3E1EO1SF' }, /character 8 \('O'\)/],
    ['VIN of 12 characters', { VIN: '5YJ3E1EA1SF1' }, /VIN must be 17 characters/],
    ['17-character VIN with a wrong check digit', { VIN: '5YJ3E1EA1SF000001' }, /check digit/],
    ['engagement outside the dictionary', { 'Engagement Status': 'Maybe' }, /Engagement Status 'Maybe'/],
    ['incident date garbled', { 'Incident Date': '2026-05' }, /Incident Date '2026-05'/],
    ['incident date empty, not marked unknown', { 'Incident Date': '' }, /Incident Date ''/],
    ['incident time 25:00', { 'Incident Time (24:00)': '25:00' }, /Incident Time '25:00'/],
    ['incident time empty, not marked unknown', { 'Incident Time (24:00)': '' }, /Incident Time is empty/],
    ['speed not a number', { 'SV Precrash Speed (MPH)': 'fast' }, /Speed \(MPH\) 'fast'/],
    ['submission date missing', { 'Report Submission Date': '' }, /Submission Date ''/],
  ];
  for (const [name, over, reason] of cases) {
    it(name, () => {
      const m = mapSgoRow(layout, 7, row(over));
      assert.equal(m.ok, false);
      if (!m.ok) { assert.match(m.reason, reason); assert.equal(m.line, 7); }
    });
  }
  it('short row', () => {
    const m = mapSgoRow(layout, 3, ['13781-1', '1']);
    assert.ok(!m.ok && /has 2 columns, the header has 45/.test(m.reason));
  });
  it('unknown date and time are accepted when marked unknown', () => {
    const m = mapSgoRow(layout, 2, row({ 'Incident Date': '', 'Incident Date - Unknown': 'Y', 'Incident Time (24:00)': '', 'Incident Time - Unknown': 'Y' }));
    assert.ok(m.ok && (m.report.content.occurred as any).month === null);
  });
  it('a header without the VIN column is refused naming it', () => {
    const r = sgoLayout(header.filter((h) => h !== 'VIN'));
    assert.deepEqual(r, { ok: false, missing: ['VIN'] });
  });
  it('months', () => {
    assert.equal(sgoMonth('JAN-2026'), '2026-01');
    assert.equal(sgoMonth('dec-2025'), '2025-12');
    assert.equal(sgoMonth('XYZ-2025'), null);
  });
});
