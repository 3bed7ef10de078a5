/**
 * A small streaming RFC 4180 parser: quoted fields may hold commas, doubled quotes and line breaks;
 * records end with CRLF or LF. Each record carries the physical line it starts on, so a rejection can
 * name the line a person finds in an editor. Malformed quoting is reported on the record, not thrown.
 */
export type CsvRecord = { line: number; fields: string[]; error?: string };

export class CsvParser {
  private field = '';
  private fields: string[] = [];
  private inQuotes = false;
  private quoteClosed = false; // just left a quoted section; only , CR LF or " may follow
  private pendingCr = false;
  private line = 1;
  private recordLine = 1;
  private error: string | undefined;
  private started = false; // the current record has any content
  private first = true;

  /** Feeds a chunk; returns the records completed by it. */
  push(chunk: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    let s = chunk;
    if (this.first) {
      this.first = false;
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    }
    let i = 0;
    const n = s.length;
    while (i < n) {
      if (this.pendingCr) {
        this.pendingCr = false;
        if (s[i] === '\n') { i++; continue; }
      }
      if (this.inQuotes) {
        const q = s.indexOf('"', i);
        if (q === -1) { this.countLines(s, i, n); this.field += s.slice(i); i = n; break; }
        this.countLines(s, i, q);
        this.field += s.slice(i, q);
        if (q + 1 >= n) { this.inQuotes = false; this.quoteClosed = true; i = q + 1; break; } // maybe "" across chunks
        if (s[q + 1] === '"') { this.field += '"'; i = q + 2; continue; }
        this.inQuotes = false; this.quoteClosed = true; i = q + 1; continue;
      }
      const c = s[i];
      if (c === ',') { this.endField(); i++; continue; }
      if (c === '\n' || c === '\r') {
        this.endRecord(out);
        this.line++;
        if (c === '\r') this.pendingCr = true;
        this.recordLine = this.line;
        i++;
        continue;
      }
      if (c === '"') {
        if (this.quoteClosed) { this.field += '"'; this.inQuotes = true; this.quoteClosed = false; i++; continue; } // "" split across chunks
        if (this.field.length === 0) { this.inQuotes = true; this.started = true; i++; continue; }
        this.error ??= `stray quote inside an unquoted field (column ${this.fields.length + 1})`;
        this.field += c; i++; continue;
      }
      if (this.quoteClosed) { this.error ??= `text after a closing quote (column ${this.fields.length + 1})`; this.quoteClosed = false; }
      // Fast path: copy a run of ordinary characters.
      let j = i + 1;
      while (j < n) { const d = s.charCodeAt(j); if (d === 44 || d === 10 || d === 13 || d === 34) break; j++; }
      this.field += s.slice(i, j);
      this.started = true;
      i = j;
    }
    return out;
  }

  /** Ends the input; returns the last record if the file does not end with a line break. */
  end(): CsvRecord[] {
    const out: CsvRecord[] = [];
    if (this.inQuotes) {
      this.error ??= 'a quoted field is not closed before the end of the file';
      this.inQuotes = false;
    }
    if (this.started || this.fields.length > 0 || this.field.length > 0) this.endRecord(out);
    return out;
  }

  private countLines(s: string, from: number, to: number) {
    // Inside quotes only LF counts: a CRLF split across chunks must not count twice.
    for (let k = s.indexOf('\n', from); k !== -1 && k < to; k = s.indexOf('\n', k + 1)) this.line++;
  }

  private endField() {
    this.fields.push(this.field);
    this.field = '';
    this.quoteClosed = false;
    this.started = true;
  }

  private endRecord(out: CsvRecord[]) {
    if (!this.started && this.fields.length === 0 && this.field.length === 0) return; // blank line
    this.fields.push(this.field);
    const rec: CsvRecord = { line: this.recordLine, fields: this.fields };
    if (this.error) rec.error = this.error;
    out.push(rec);
    this.fields = []; this.field = ''; this.error = undefined; this.started = false; this.quoteClosed = false;
  }
}

/** Parses a stream of text chunks (strings or UTF-8 buffers) into records. */
export async function* parseCsv(chunks: AsyncIterable<string | Buffer> | Iterable<string | Buffer>): AsyncGenerator<CsvRecord> {
  const p = new CsvParser();
  const decoder = new TextDecoder('utf-8');
  for await (const c of chunks as AsyncIterable<string | Buffer>) {
    const text = typeof c === 'string' ? c : decoder.decode(c, { stream: true });
    yield* p.push(text);
  }
  const rest = decoder.decode();
  if (rest) yield* p.push(rest);
  yield* p.end();
}

export function parseCsvText(text: string): CsvRecord[] {
  const p = new CsvParser();
  return [...p.push(text), ...p.end()];
}
