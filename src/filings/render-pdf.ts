import { PdfWriter } from '../pdf/writer.ts';
import { evidenceOf, evidencePath } from './document.ts';
import { bi, coverFields, sectionsOf } from './pdf-layout.ts';
import type { FilingDocument } from './schemas/index.ts';

/**
 * The bilingual PDF of a filing: a cover with the facts and the content digest, the kind's sections,
 * the evidence list with hashes, page numbers. Deterministic: dates come from the document.
 */
export async function renderFilingPdf(doc: FilingDocument, digest: string, opts: { fontDir?: string } = {}): Promise<Buffer> {
  const kind = bi(`kinds.${doc.filing.kind}`);
  const w = new PdfWriter({
    title: `${kind.zh} ${kind.en}`,
    author: doc.manufacturer.name.en,
    subject: `${doc.filing.id} v${doc.filing.version}`,
    date: new Date(doc.filing.preparedAt),
    fontDir: opts.fontDir,
  });
  w.title(kind);
  w.fields(coverFields(doc));
  w.box(bi('pdf.digest'), digest);
  w.paragraph(`${bi('pdf.generated').zh}\n${bi('pdf.generated').en}`, { size: 8, color: '#555555' });

  for (const section of sectionsOf(doc)) {
    w.heading(section.title);
    for (const b of section.blocks) {
      if (b.type === 'fields') w.fields(b.rows);
      else if (b.type === 'table') w.table(b.columns, b.rows);
      else w.paragraph(b.text);
    }
  }

  const evidence = evidenceOf(doc.content);
  w.heading(bi('pdf.evidence'));
  if (evidence.length === 0) w.paragraph(`${bi('pdf.none').zh} / ${bi('pdf.none').en}`);
  else {
    w.table([
      { label: bi('pdf.filename'), width: 3 }, { label: bi('pdf.size'), width: 1 }, { label: bi('pdf.sha256'), width: 3.2, mono: true },
    ], evidence.map((e) => [`${e.title ?? ''}\n${evidencePath(e)}`.trim(), String(e.size), e.sha256]));
  }
  return w.finish(`icvgate · ${doc.filing.id} · v${doc.filing.version} · ${digest.slice(0, 16)}`);
}
