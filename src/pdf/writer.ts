import PDFDocument from 'pdfkit';
import { cjkFont } from './fonts.ts';

/** A label in both languages: PDFs for the regulators carry Chinese first, English beneath. */
export type Bilingual = { zh: string; en: string };
export type Column = { label: Bilingual; width: number; mono?: boolean };

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 50;
const FOOTER = 30;
const GREY = '#555555';
const LINE = '#999999';

/**
 * A small deterministic layer over pdfkit: fixed document dates and ids, one embedded CJK font (subset),
 * bilingual headings, key-value blocks, tables that repeat their header across pages, and page numbers.
 * The same calls give the same bytes.
 */
export class PdfWriter {
  readonly doc: PDFKit.PDFDocument;
  private readonly chunks: Buffer[] = [];
  private readonly done: Promise<void>;

  constructor(opts: { title: string; author: string; subject: string; date: Date; fontDir?: string }) {
    const font = cjkFont(opts.fontDir);
    this.doc = new PDFDocument({
      size: 'A4',
      margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + FOOTER },
      bufferPages: true,
      autoFirstPage: true,
      info: { Title: opts.title, Author: opts.author, Subject: opts.subject, Creator: 'icvgate', Producer: 'icvgate', CreationDate: opts.date, ModDate: opts.date },
      lang: 'zh-CN',
      displayTitle: true,
    } as PDFKit.PDFDocumentOptions);
    this.doc.registerFont('cjk', font.regular.data as any, font.regular.family as any);
    this.doc.registerFont('cjk-bold', font.bold.data as any, font.bold.family as any);
    this.doc.font('cjk').fontSize(10).fillColor('black');
    this.doc.on('data', (c: Buffer) => this.chunks.push(c));
    this.done = new Promise((resolve, reject) => { this.doc.on('end', () => resolve()); this.doc.on('error', reject); });
  }

  get contentWidth(): number {
    return A4.width - 2 * MARGIN;
  }

  private get bottom(): number {
    return A4.height - MARGIN - FOOTER;
  }

  private ensure(height: number) {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  title(text: Bilingual) {
    this.doc.font('cjk-bold').fontSize(20).text(text.zh, MARGIN, this.doc.y, { width: this.contentWidth, align: 'center' });
    this.doc.font('cjk').fontSize(13).fillColor(GREY).text(text.en, { width: this.contentWidth, align: 'center' }).fillColor('black');
    this.doc.moveDown(1);
  }

  heading(text: Bilingual) {
    this.ensure(60);
    this.doc.moveDown(0.6);
    this.doc.font('cjk-bold').fontSize(13).text(`${text.zh}  ${text.en}`, MARGIN, this.doc.y, { width: this.contentWidth });
    const y = this.doc.y + 2;
    this.doc.moveTo(MARGIN, y).lineTo(MARGIN + this.contentWidth, y).lineWidth(0.5).strokeColor(LINE).stroke();
    this.doc.y = y + 6;
    this.doc.font('cjk').fontSize(10);
  }

  paragraph(text: string, opts: { size?: number; color?: string } = {}) {
    this.doc.font('cjk').fontSize(opts.size ?? 10).fillColor(opts.color ?? 'black');
    this.ensure(this.doc.heightOfString(text, { width: this.contentWidth }));
    this.doc.text(text, MARGIN, this.doc.y, { width: this.contentWidth });
    this.doc.fillColor('black').moveDown(0.4);
  }

  /** Label (zh over en) in the left column, value on the right. */
  fields(rows: Array<[Bilingual, string]>) {
    this.table([{ label: { zh: '项目', en: 'Item' }, width: 0.32 }, { label: { zh: '内容', en: 'Value' }, width: 0.68 }],
      rows.map(([label, value]) => [`${label.zh}\n${label.en}`, value]), { header: false });
  }

  table(columns: Column[], rows: string[][], opts: { header?: boolean } = {}) {
    const doc = this.doc;
    const pad = 3;
    const total = columns.reduce((s, c) => s + c.width, 0);
    const widths = columns.map((c) => (c.width / total) * this.contentWidth);
    const xs = widths.map((_, i) => MARGIN + widths.slice(0, i).reduce((s, w) => s + w, 0));
    const sizeOf = (c: Column) => (c.mono ? 7 : 9);
    const heightOf = (cells: string[], bold = false) => Math.max(...cells.map((cell, i) => {
      doc.font(bold ? 'cjk-bold' : 'cjk').fontSize(bold ? 8.5 : sizeOf(columns[i]));
      return doc.heightOfString(cell || ' ', { width: widths[i] - 2 * pad });
    })) + 2 * pad;
    const drawRow = (cells: string[], header: boolean) => {
      const h = heightOf(cells, header);
      const y = doc.y;
      if (header) doc.rect(MARGIN, y, this.contentWidth, h).fillColor('#eeeeee').fill().fillColor('black');
      cells.forEach((cell, i) => {
        doc.font(header ? 'cjk-bold' : 'cjk').fontSize(header ? 8.5 : sizeOf(columns[i]));
        doc.text(cell || ' ', xs[i] + pad, y + pad, { width: widths[i] - 2 * pad, lineBreak: true });
      });
      doc.rect(MARGIN, y, this.contentWidth, h).lineWidth(0.4).strokeColor(LINE).stroke();
      for (const x of xs.slice(1)) doc.moveTo(x, y).lineTo(x, y + h).stroke();
      doc.x = MARGIN;
      doc.y = y + h;
    };
    const headerCells = columns.map((c) => `${c.label.zh}\n${c.label.en}`);
    const withHeader = opts.header !== false;
    this.ensure((withHeader ? heightOf(headerCells, true) : 0) + (rows[0] ? heightOf(rows[0]) : 0));
    if (withHeader) drawRow(headerCells, true);
    for (const row of rows) {
      if (doc.y + heightOf(row) > this.bottom) {
        doc.addPage();
        if (withHeader) drawRow(headerCells, true);
      }
      drawRow(row, false);
    }
    doc.moveDown(0.5);
    doc.font('cjk').fontSize(10);
  }

  /** A boxed block, e.g. the content digest on the cover. */
  box(label: Bilingual, value: string) {
    const doc = this.doc;
    doc.font('cjk').fontSize(9);
    const text = `${label.zh}  ${label.en}`;
    const h = doc.heightOfString(text, { width: this.contentWidth - 16 }) + doc.font('cjk').fontSize(10).heightOfString(value, { width: this.contentWidth - 16 }) + 16;
    this.ensure(h);
    const y = doc.y;
    doc.rect(MARGIN, y, this.contentWidth, h).lineWidth(1).strokeColor('black').stroke();
    doc.font('cjk').fontSize(9).fillColor(GREY).text(text, MARGIN + 8, y + 6, { width: this.contentWidth - 16 });
    doc.font('cjk-bold').fontSize(10).fillColor('black').text(value, { width: this.contentWidth - 16 });
    doc.x = MARGIN;
    doc.y = y + h + 8;
    doc.font('cjk');
  }

  newPage() {
    this.doc.addPage();
  }

  /** Writes "第 n 页 / 共 N 页 · Page n of N" and a running footer on every page, then finishes. */
  async finish(footer: string): Promise<Buffer> {
    const doc = this.doc;
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      const n = i - range.start + 1;
      const y = A4.height - MARGIN - 12;
      doc.page.margins.bottom = 0; // writing into the footer area must not open a new page
      doc.font('cjk').fontSize(8).fillColor(GREY);
      doc.text(footer, MARGIN, y, { width: this.contentWidth * 0.7, lineBreak: false, height: 12, ellipsis: true });
      doc.text(`第 ${n} 页 / 共 ${range.count} 页 · Page ${n} of ${range.count}`, MARGIN, y, { width: this.contentWidth, align: 'right', lineBreak: false });
      doc.fillColor('black');
    }
    doc.end();
    await this.done;
    return Buffer.concat(this.chunks);
  }
}
