import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';

export const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 48;

/** The standard fonts speak WinAnsi: Latin-1 letters (a client called Núñez) print, anything else is shown as '?'. */
export function printable(text: string): string {
  return text.normalize('NFC').replace(/[^\x20-\x7e\xa0-\xff]/g, '?');
}

/**
 * Lines of `text` that each fit `width` at `size`: broken at spaces, and a word longer than the line (a
 * transaction hash, an address) broken between characters. Nothing is ever cut off.
 */
export function wrapText(text: string, font: PDFFont, size: number, width: number): string[] {
  const fits = (t: string) => font.widthOfTextAtSize(t, size) <= width;
  const lines: string[] = [];
  let current = '';
  for (const word of printable(text).split(' ')) {
    const candidate = current ? `${current} ${word}` : word;
    if (fits(candidate)) {
      current = candidate;
      continue;
    }
    if (current) lines.push(current);
    current = '';
    let rest = word;
    while (!fits(rest)) {
      let n = rest.length - 1;
      while (n > 1 && !fits(rest.slice(0, n))) n -= 1;
      lines.push(rest.slice(0, n));
      rest = rest.slice(n);
    }
    current = rest;
  }
  if (current || lines.length === 0) lines.push(current);
  return lines;
}

/** Writes the app's PDF documents (audit report, client statements) top to bottom on A4 pages. */
export class PageWriter {
  private page: PDFPage;
  private y = A4.height - MARGIN;
  readonly contentWidth = A4.width - 2 * MARGIN;

  static async create(pdf: PDFDocument): Promise<PageWriter> {
    const regular = await pdf.embedFont(StandardFonts.Helvetica);
    const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
    const mono = await pdf.embedFont(StandardFonts.Courier);
    return new PageWriter(pdf, regular, bold, mono);
  }

  constructor(
    private readonly pdf: PDFDocument,
    private readonly regular: PDFFont,
    private readonly bold: PDFFont,
    private readonly mono: PDFFont,
  ) {
    this.page = pdf.addPage([A4.width, A4.height]);
  }

  private room(height: number): void {
    if (this.y - height >= MARGIN) return;
    this.page = this.pdf.addPage([A4.width, A4.height]);
    this.y = A4.height - MARGIN;
  }

  title(text: string): void {
    for (const part of wrapText(text, this.bold, 20, this.contentWidth)) {
      this.room(28);
      this.page.drawText(part, { x: MARGIN, y: this.y - 20, size: 20, font: this.bold });
      this.y -= 26;
    }
    this.y -= 8;
  }

  heading(text: string, size = 13): void {
    this.room(size + 9);
    this.page.drawText(printable(text), { x: MARGIN, y: this.y - size, size, font: this.bold, color: rgb(0.1, 0.2, 0.5) });
    this.y -= size + 9;
  }

  line(text: string, size = 10.5, options: { bold?: boolean; indent?: number } = {}): void {
    const font = options.bold ? this.bold : this.regular;
    const indent = options.indent ?? 0;
    for (const part of wrapText(text, font, size, this.contentWidth - indent)) {
      this.room(size + 4);
      this.page.drawText(part, { x: MARGIN + indent, y: this.y - size, size, font });
      this.y -= size + 4;
    }
  }

  code(text: string, size = 9, indent = 8): void {
    for (const part of wrapText(text, this.mono, size, this.contentWidth - indent)) {
      this.room(size + 5);
      this.page.drawText(part, { x: MARGIN + indent, y: this.y - size, size, font: this.mono, color: rgb(0.25, 0.25, 0.25) });
      this.y -= size + 5;
    }
  }

  gap(height = 8): void {
    this.y -= height;
  }

  rule(): void {
    this.room(6);
    this.page.drawLine({ start: { x: MARGIN, y: this.y - 2 }, end: { x: A4.width - MARGIN, y: this.y - 2 }, thickness: 0.5, color: rgb(0.6, 0.6, 0.6) });
    this.y -= 6;
  }

  /**
   * A table whose cells wrap onto as many lines as they need (never cut). The first column reads left to
   * right, the others are right-aligned figures unless `align` says otherwise.
   */
  table(headers: string[], rows: string[][], widths: number[], align?: Array<'left' | 'right'>): void {
    this.row(headers, widths, { align, header: true });
    for (const cells of rows) this.row(cells, widths, { align });
    if (rows.length === 0) this.line('None.', 9);
  }

  /** One table row (a header row is bold and underlined); a row is never split across pages. */
  row(cells: string[], widths: number[], options: { align?: Array<'left' | 'right'>; header?: boolean } = {}): void {
    const size = 9;
    const font = options.header ? this.bold : this.regular;
    const alignOf = (i: number) => options.align?.[i] ?? (i > 0 ? 'right' : 'left');
    const wrapped = cells.map((cell, i) => wrapText(cell, font, size, widths[i]! - 4));
    const height = Math.max(...wrapped.map((w) => w.length)) * (size + 3) + 3;
    this.room(height);
    let x = MARGIN;
    for (const [i, lines] of wrapped.entries()) {
      for (const [n, text] of lines.entries()) {
        const width = font.widthOfTextAtSize(text, size);
        const left = alignOf(i) === 'right' ? x + widths[i]! - 4 - width : x;
        this.page.drawText(text, { x: left, y: this.y - size - n * (size + 3), size, font });
      }
      x += widths[i]!;
    }
    this.y -= height;
    if (options.header) {
      this.page.drawLine({ start: { x: MARGIN, y: this.y + 1 }, end: { x: MARGIN + widths.reduce((a, b) => a + b, 0), y: this.y + 1 }, thickness: 0.5 });
    }
  }
}
