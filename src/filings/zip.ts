import { inflateRawSync } from 'node:zlib';
import yazl from 'yazl';
import { AppError, fieldError, msg, type Msg } from '../platform/errors.ts';

/**
 * Deterministic zip: entries in the given order, one fixed timestamp, fixed modes, DOS time only.
 * The DOS time is the wall-clock time of `at` in Asia/Shanghai, built as a local Date so that
 * yazl's local-time encoding gives the same bytes whatever the server's time zone.
 */
export async function deterministicZip(entries: Array<{ path: string; data: Buffer; compress?: boolean }>, at: Date): Promise<Buffer> {
  const cst = new Date(at.getTime() + 8 * 3600_000);
  const mtime = new Date(cst.getUTCFullYear(), cst.getUTCMonth(), cst.getUTCDate(), cst.getUTCHours(), cst.getUTCMinutes(), cst.getUTCSeconds());
  const zip = new yazl.ZipFile();
  for (const e of entries) {
    zip.addBuffer(e.data, e.path, { mtime, mode: 0o100644, compress: e.compress ?? true, forceDosTimestamp: true });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Reads every entry of a zip we wrote (stored or deflated, no zip64), for package verification. */
export function readZip(buf: Buffer): Map<string, Buffer> {
  const bad = (why: Msg) => new AppError('validation_failed', msg('filings.zipUnreadable', { why }), { errors: [fieldError('package', why)] });
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw bad(msg('filings.zip.noEocd'));
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = new Map<string, Buffer>();
  for (let n = 0; n < count; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw bad(msg('filings.zip.entryDamaged', { n }));
    const method = buf.readUInt16LE(p + 10);
    const csize = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28), extraLen = buf.readUInt16LE(p + 30), commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    if (local + 30 > buf.length || buf.readUInt32LE(local) !== 0x04034b50) throw bad(msg('filings.zip.localDamaged', { name }));
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + csize);
    if (method === 0) out.set(name, Buffer.from(raw));
    else if (method === 8) {
      try { out.set(name, inflateRawSync(raw, { maxOutputLength: 1 << 30 })); } catch { throw bad(msg('filings.zip.noInflate', { name })); }
    } else throw bad(msg('filings.zip.method', { name, method }));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}
