// Reads the official template as rows of cells: CSV (RFC 4180) or the first / named sheet of an XLSX.
import { inflateRawSync } from 'node:zlib';
import { AppError, fieldError, msg } from '../platform/errors.ts';

export type Table = { rows: string[][] };

export function parseCsv(text: string): Table {
  const src = text.replace(/^\ufeff/, '');
  const rows: string[][] = [];
  let row: string[] = [], cell = '', i = 0, quoted = false, line = 1;
  while (i < src.length) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') { cell += '"'; i += 2; continue; }
      if (ch === '"') { quoted = false; i++; continue; }
      if (ch === '\n') line++;
      cell += ch; i++; continue;
    }
    if (ch === '"' && cell === '') { quoted = true; i++; continue; }
    if (ch === ',') { row.push(cell); cell = ''; i++; continue; }
    if (ch === '\r' && src[i + 1] === '\n') i++;
    if (ch === '\n' || ch === '\r') { row.push(cell); rows.push(row); row = []; cell = ''; i++; line++; continue; }
    cell += ch; i++;
  }
  if (quoted) throw new AppError('validation_failed', msg('catalog.csvUnclosedQuote', { line }), { errors: [fieldError('file', msg('catalog.unclosedQuote'), line)] });
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return { rows };
}

type ZipEntry = { name: string; method: number; compressedSize: number; localOffset: number };

function zipEntries(buf: Buffer): Map<string, ZipEntry> {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  if (eocd < 0) throw new AppError('validation_failed', msg('catalog.notXlsxZip'), { errors: [fieldError('file', msg('catalog.notXlsx'))] });
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = new Map<string, ZipEntry>();
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new AppError('validation_failed', msg('catalog.xlsxDamaged'), { errors: [fieldError('file', msg('catalog.zipDamaged'))] });
    const nameLen = buf.readUInt16LE(p + 28), extraLen = buf.readUInt16LE(p + 30), commentLen = buf.readUInt16LE(p + 32);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    out.set(name, { name, method: buf.readUInt16LE(p + 10), compressedSize: buf.readUInt32LE(p + 20), localOffset: buf.readUInt32LE(p + 42) });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

function readEntry(buf: Buffer, e: ZipEntry): string {
  const p = e.localOffset;
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  const raw = buf.subarray(start, start + e.compressedSize);
  if (e.method === 0) return raw.toString('utf8');
  if (e.method === 8) return inflateRawSync(raw).toString('utf8');
  throw new AppError('validation_failed', msg('catalog.xlsxCompression', { method: e.method }), { errors: [fieldError('file', msg('catalog.compression'))] });
}

const xmlText = (s: string) => s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_m, e: string) =>
  e[0] === '#' ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10))
    : ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[e.toLowerCase()]);
const allText = (xml: string) => [...xml.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((m) => xmlText(m[1])).join('');
const colIndex = (ref: string) => [...ref.replace(/\d+$/, '')].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0) - 1;

export function parseXlsx(buf: Buffer, sheet?: string): Table {
  const entries = zipEntries(buf);
  const get = (name: string) => { const e = entries.get(name); return e ? readEntry(buf, e) : undefined; };
  const workbook = get('xl/workbook.xml');
  if (!workbook) throw new AppError('validation_failed', msg('catalog.notXlsxWorkbook'), { errors: [fieldError('file', msg('catalog.notXlsx'))] });
  const sheets = [...workbook.matchAll(/<sheet\b[^>]*>/g)].map((m) => ({
    name: xmlText(/\bname="([^"]*)"/.exec(m[0])?.[1] ?? ''), rid: /\br:id="([^"]*)"/.exec(m[0])?.[1] ?? '',
  }));
  const chosen = sheet ? sheets.find((s) => s.name === sheet) : sheets[0];
  if (!chosen) throw new AppError('validation_failed', msg('catalog.noSheet', { sheet, sheets: sheets.map((s) => s.name).join(', ') }), { errors: [fieldError('mapping.sheet', msg('catalog.noSuchSheet'))] });
  const rels = get('xl/_rels/workbook.xml.rels') ?? '';
  const rel = [...rels.matchAll(/<Relationship\b[^>]*>/g)].map((m) => m[0]).find((r) => r.includes(`Id="${chosen.rid}"`));
  let target = /\bTarget="([^"]*)"/.exec(rel ?? '')?.[1] ?? 'worksheets/sheet1.xml';
  target = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
  const xml = get(target);
  if (!xml) throw new AppError('validation_failed', msg('catalog.sheetMissing', { name: chosen.name, target }), { errors: [fieldError('file', msg('catalog.sheetMissingShort'))] });
  const shared = [...(get('xl/sharedStrings.xml') ?? '').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => allText(m[1]));
  const rows: string[][] = [];
  for (const m of xml.matchAll(/<row\b([^>]*)>([\s\S]*?)<\/row>/g)) {
    const r = Number(/\br="(\d+)"/.exec(m[1])?.[1] ?? rows.length + 1);
    const cells: string[] = [];
    for (const c of m[2].matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const ref = /\br="([A-Z]+\d+)"/.exec(c[1])?.[1];
      const type = /\bt="([^"]*)"/.exec(c[1])?.[1];
      const inner = c[2] ?? '';
      const v = /<v>([\s\S]*?)<\/v>/.exec(inner)?.[1];
      const text = type === 's' ? shared[Number(v)] ?? '' : type === 'inlineStr' ? allText(inner) : v !== undefined ? xmlText(v) : '';
      cells[ref ? colIndex(ref) : cells.length] = text;
    }
    rows[r - 1] = Array.from(cells, (x) => x ?? '');
  }
  return { rows: Array.from(rows, (x) => x ?? []) };
}
