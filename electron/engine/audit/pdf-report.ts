import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { AuditVerification, ChainReconciliation, LiabilityRootView } from '@shared/domain/audit';
import { formatAmountGrouped } from '@shared/money';

export interface CoverageLine {
  assetId: string;
  decimals: number | null;
  clientLiabilities: bigint;
  companyReserve: bigint;
  holdings: bigint;
  uncoveredCredit: bigint;
}

export interface ReportData {
  createdAt: string;
  profile: string;
  auditHead: { seq: number; hash: string };
  auditChain: AuditVerification;
  coverage: CoverageLine[];
  reconciliation: ChainReconciliation | null;
  liabilities: LiabilityRootView[];
}

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 48;

/** The paper report: balances, coverage and reconciliation, with the audit head that anchors them. */
export async function renderAuditReport(data: ReportData): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`Treasury audit report (${data.profile.toUpperCase()}) ${data.createdAt}`);
  pdf.setCreator('Treasury');
  pdf.setCreationDate(new Date(data.createdAt));
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const mono = await pdf.embedFont(StandardFonts.Courier);
  const writer = new PageWriter(pdf, regular, bold, mono);

  writer.title(`Treasury audit report: ${data.profile.toUpperCase()} network`);
  writer.line(`Created ${data.createdAt} in the ${data.profile} workspace${data.profile === 'mainnet' ? '' : ' (test funds only, never mainnet records)'}.`);
  writer.line(`Audit log: ${data.auditHead.seq} records; chain ${data.auditChain.ok ? 'verified from genesis' : `BROKEN at record ${data.auditChain.firstBroken} (${data.auditChain.reason})`}.`);
  writer.line('Audit chain head (write it down: a later bundle must contain this record unchanged):');
  writer.code(data.auditHead.hash);
  writer.gap();

  writer.heading('Balances and coverage (ledger)');
  writer.table(
    ['Asset', 'Client liabilities', 'Company reserve', 'Holdings', 'Uncovered', 'Coverage'],
    data.coverage.map((c) => [
      c.assetId,
      amount(c.clientLiabilities, c.decimals),
      amount(c.companyReserve, c.decimals),
      amount(c.holdings, c.decimals),
      amount(c.uncoveredCredit, c.decimals),
      c.clientLiabilities > 0n ? `${(Number((c.holdings * 10_000n) / c.clientLiabilities) / 100).toFixed(2)} %` : '-',
    ]),
    [90, 95, 85, 85, 80, 60],
  );
  writer.gap();

  writer.heading('Reconciliation with the chains');
  if (!data.reconciliation) {
    writer.line('Not taken with this export.');
  } else {
    writer.line(`Read ${data.reconciliation.at}.`);
    writer.table(
      ['Asset', 'On chain', 'Owed (clients + reserve)', 'Difference', 'Status'],
      data.reconciliation.lines.map((l) => [
        l.assetId,
        l.onChain.total === null ? 'unreadable' : amount(BigInt(l.onChain.total), l.decimals),
        amount(BigInt(l.ledger.obligations), l.decimals),
        l.difference === null ? '-' : amount(BigInt(l.difference), l.decimals),
        l.status,
      ]),
      [90, 110, 120, 100, 75],
    );
    for (const l of data.reconciliation.lines) {
      for (const cause of l.causes) writer.line(`${l.assetId}: ${cause.kind.replace('_', ' ')} ${amount(BigInt(cause.amount), l.decimals)} - ${cause.note}`, 9);
    }
  }
  writer.gap();

  writer.heading('Proof of liabilities (Merkle sum tree roots)');
  for (const root of data.liabilities) {
    writer.line(`${root.assetId}: ${root.leaves} clients, total ${root.total} base units`, 10);
    writer.code(root.hash);
  }
  if (data.liabilities.length === 0) writer.line('No client balances.');
  return pdf.save();
}

function amount(value: bigint, decimals: number | null): string {
  return decimals === null ? value.toString() : formatAmountGrouped(value, decimals);
}

/** The standard fonts speak WinAnsi only: anything else is shown as '?'. */
function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}

class PageWriter {
  private page: PDFPage;
  private y = A4.height - MARGIN;

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
    this.room(28);
    this.page.drawText(printable(text), { x: MARGIN, y: this.y - 20, size: 20, font: this.bold });
    this.y -= 34;
  }

  heading(text: string): void {
    this.room(22);
    this.page.drawText(printable(text), { x: MARGIN, y: this.y - 13, size: 13, font: this.bold, color: rgb(0.1, 0.2, 0.5) });
    this.y -= 22;
  }

  line(text: string, size = 10.5): void {
    const words = printable(text).split(' ');
    let current = '';
    const flush = () => {
      this.room(size + 4);
      this.page.drawText(current, { x: MARGIN, y: this.y - size, size, font: this.regular });
      this.y -= size + 4;
      current = '';
    };
    for (const word of words) {
      const candidate = current ? `${current} ${word}` : word;
      if (this.regular.widthOfTextAtSize(candidate, size) > A4.width - 2 * MARGIN && current) {
        flush();
        current = word;
      } else current = candidate;
    }
    if (current) flush();
  }

  code(text: string): void {
    this.room(14);
    this.page.drawText(printable(text), { x: MARGIN + 8, y: this.y - 10, size: 9, font: this.mono });
    this.y -= 14;
  }

  gap(): void {
    this.y -= 8;
  }

  table(headers: string[], rows: string[][], widths: number[]): void {
    const size = 9;
    const drawRow = (cells: string[], font: PDFFont) => {
      this.room(size + 6);
      let x = MARGIN;
      for (const [i, cell] of cells.entries()) {
        let text = printable(cell);
        while (text.length > 1 && font.widthOfTextAtSize(text, size) > widths[i]! - 4) text = text.slice(0, -2) + '~';
        const right = i > 0;
        const width = font.widthOfTextAtSize(text, size);
        this.page.drawText(text, { x: right ? x + widths[i]! - 4 - width : x, y: this.y - size, size, font });
        x += widths[i]!;
      }
      this.y -= size + 6;
    };
    drawRow(headers, this.bold);
    this.page.drawLine({ start: { x: MARGIN, y: this.y + 3 }, end: { x: MARGIN + widths.reduce((a, b) => a + b, 0), y: this.y + 3 }, thickness: 0.5 });
    for (const row of rows) drawRow(row, this.regular);
    if (rows.length === 0) this.line('None.', size);
  }
}
