// Streaming parsers for the VIN registry import: lines are numbered as in the file (a CSV header is
// line 1), validated one by one, and never held in memory all at once.
import { checkVin } from '../identifiers/vin.ts';
import { msg, withMsg, withMsgOf, type Msg } from '../platform/messages.ts';
import { isIsoDate } from '../regimes/cn-2025/calendar.ts';

export type RawLine = { line: number; text: string };

/** Splits a byte stream into lines (LF or CRLF) with their 1-based numbers; a BOM on line 1 is dropped. */
export async function* lines(source: AsyncIterable<Buffer | string>, onBytes?: (n: number) => void): AsyncGenerator<RawLine> {
  for await (const batch of lineBatches(source, onBytes)) yield* batch;
}

/** The same, one array per chunk read: a bulk path then pays one await per chunk instead of per line. */
export async function* lineBatches(source: AsyncIterable<Buffer | string>, onBytes?: (n: number) => void): AsyncGenerator<RawLine[]> {
  let rest = '';
  let n = 0;
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of source) {
    onBytes?.(typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length);
    rest += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let start = 0;
    const batch: RawLine[] = [];
    for (;;) {
      const nl = rest.indexOf('\n', start);
      if (nl < 0) break;
      let text = rest.slice(start, nl);
      if (text.endsWith('\r')) text = text.slice(0, -1);
      n++;
      if (n === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      batch.push({ line: n, text });
      start = nl + 1;
    }
    rest = rest.slice(start);
    if (batch.length) yield batch;
  }
  rest += decoder.decode();
  if (rest.length > 0) {
    n++;
    let text = rest.endsWith('\r') ? rest.slice(0, -1) : rest;
    if (n === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    yield [{ line: n, text }];
  }
}

/** One CSV record (RFC 4180 quoting, no embedded newlines). */
export function splitCsv(text: string): string[] {
  if (!text.includes('"')) return text.split(',').map((s) => s.trim());
  const out: string[] = [];
  let cur = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cur += '"'; i++; }
      else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { out.push(cur.trim()); cur = ''; }
    else cur += c;
  }
  out.push(cur.trim());
  return out;
}

export type VehicleRow = {
  line: number;
  vin: string;
  product: string; // as written: a product id or a model code
  productionDate: string;
  plant: string | null;
  software: Record<string, string> | null;
  swin: Record<string, string> | null;
};

export type ParsedLine = { ok: true; row: VehicleRow; warnings: string[] } | { ok: false; line: number; vin: string; message: string } | { ok: 'skip' };

const REQUIRED = ['vin', 'product', 'productionDate'];

/** Reads the CSV header; returns column positions or the problem with it. */
export function csvHeader(text: string): { ok: true; cols: Record<string, number> } | { ok: false; message: string } {
  const names = splitCsv(text);
  const cols: Record<string, number> = {};
  names.forEach((n, i) => { cols[n] = i; });
  const missing = REQUIRED.filter((r) => cols[r] === undefined);
  if (missing.length) return withMsg({ ok: false as const, message: '' }, msg('vehicles.headerMissing', { required: REQUIRED.join(', '), missing: missing.join(', '), got: text.slice(0, 120) }), true);
  return { ok: true, cols };
}

export function parseCsvLine(l: RawLine, cols: Record<string, number>): ParsedLine {
  if (l.text.trim() === '') return { ok: 'skip' };
  const f = splitCsv(l.text);
  return validateRow(l.line, {
    vin: f[cols.vin], product: f[cols.product], productionDate: f[cols.productionDate],
    plant: cols.plant !== undefined ? f[cols.plant] : undefined,
  });
}

export function parseNdjsonLine(l: RawLine): ParsedLine {
  if (l.text.trim() === '') return { ok: 'skip' };
  let o: unknown;
  try { o = JSON.parse(l.text); } catch (e) { return withMsg({ ok: false as const, line: l.line, vin: '', message: '' }, msg('ota.lineNotJson', { reason: (e as Error).message }), true); }
  if (!o || typeof o !== 'object' || Array.isArray(o)) return withMsg({ ok: false as const, line: l.line, vin: '', message: '' }, msg('vehicles.lineNotObject'), true);
  return validateRow(l.line, o as Record<string, unknown>);
}

function stringMap(v: unknown, name: string): { ok: true; value: Record<string, string> | null } | { ok: false; message: string } {
  if (v === undefined || v === null) return { ok: true, value: null };
  if (typeof v !== 'object' || Array.isArray(v)) return withMsg({ ok: false as const, message: '' }, msg('vehicles.mapObject', { name }), true);
  for (const [k, x] of Object.entries(v)) if (typeof x !== 'string' || !x.trim() || !k.trim()) return withMsg({ ok: false as const, message: '' }, msg('vehicles.mapText', { name, key: k }), true);
  return { ok: true, value: v as Record<string, string> };
}

// Production dates repeat a lot in a registry file: remember the ones already checked (bounded).
const goodDates = new Set<string>();
function isDate(s: string): boolean {
  if (goodDates.has(s)) return true;
  if (!isIsoDate(s)) return false;
  if (goodDates.size > 50_000) goodDates.clear();
  goodDates.add(s);
  return true;
}

export function validateRow(line: number, o: Record<string, unknown>): ParsedLine {
  const rawVin = typeof o.vin === 'string' ? o.vin : '';
  const bad = (m: Msg | { message: string }): ParsedLine => ('key' in m ? withMsg({ ok: false as const, line, vin: rawVin, message: '' }, m, true) : withMsgOf({ ok: false as const, line, vin: rawVin, message: m.message }, m));
  if (typeof o.vin !== 'string') return bad(msg('vehicles.vinMissing'));
  const v = checkVin(o.vin);
  if (!v.ok) return bad(msg('ota.lineVin', { reason: v }));
  if (typeof o.product !== 'string' || !o.product.trim()) return bad(msg('vehicles.productMissing'));
  if (typeof o.productionDate !== 'string' || !isDate(o.productionDate.trim())) return bad(msg('vehicles.productionDate', { got: String(o.productionDate ?? '') }));
  if (o.plant !== undefined && o.plant !== null && (typeof o.plant !== 'string' || o.plant.length > 50)) return bad(msg('vehicles.plant'));
  const sw = stringMap(o.software, 'software');
  if (!sw.ok) return bad(sw);
  const swin = stringMap(o.swin, 'swin');
  if (!swin.ok) return bad(swin);
  const known = new Set(['vin', 'product', 'productionDate', 'plant', 'software', 'swin']);
  const extra = Object.keys(o).filter((k) => !known.has(k) && o[k] !== undefined);
  if (extra.length) return bad(msg('vehicles.unknownFields', { fields: extra.join(', ') }));
  const plant = typeof o.plant === 'string' && o.plant.trim() ? o.plant.trim() : v.vin[10];
  return { ok: true, warnings: v.warnings, row: { line, vin: v.vin, product: o.product.trim(), productionDate: o.productionDate.trim(), plant, software: sw.value, swin: swin.value } };
}
