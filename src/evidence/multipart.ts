// A small multipart/form-data reader for evidence uploads (one file part plus text fields), over a
// body already limited in size by the route.
import { AppError, msg } from '../platform/errors.ts';

export type Part = { name: string; filename?: string; contentType?: string; data: Buffer };

export function boundaryOf(contentType: string | undefined): string {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
  if (!m) throw new AppError('bad_request', msg('evidence.multipartNoBoundary'));
  return (m[1] ?? m[2]).trim();
}

export function parseMultipart(body: Buffer, boundary: string): Part[] {
  const delim = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let pos = body.indexOf(delim);
  if (pos < 0) throw new AppError('bad_request', msg('evidence.multipartNoParts'));
  for (;;) {
    pos += delim.length;
    if (body.subarray(pos, pos + 2).toString() === '--') break; // closing delimiter
    if (body.subarray(pos, pos + 2).toString() !== '\r\n') throw new AppError('bad_request', msg('evidence.multipartMalformed'));
    pos += 2;
    const headEnd = body.indexOf('\r\n\r\n', pos);
    if (headEnd < 0) throw new AppError('bad_request', msg('evidence.multipartHeaders'));
    const headers = body.subarray(pos, headEnd).toString('utf8').split('\r\n');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delim]), headEnd + 4);
    if (next < 0) throw new AppError('bad_request', msg('evidence.multipartCut'));
    const part: Part = { name: '', data: body.subarray(headEnd + 4, next) };
    for (const h of headers) {
      const [k, ...rest] = h.split(':');
      const v = rest.join(':').trim();
      if (k.toLowerCase() === 'content-disposition') {
        part.name = /\bname="([^"]*)"/.exec(v)?.[1] ?? '';
        const fn = /filename\*=UTF-8''([^;]+)/i.exec(v)?.[1];
        part.filename = fn ? decodeURIComponent(fn) : /\bfilename="([^"]*)"/.exec(v)?.[1];
      } else if (k.toLowerCase() === 'content-type') part.contentType = v.toLowerCase();
    }
    parts.push(part);
    pos = next + 2;
  }
  return parts;
}
