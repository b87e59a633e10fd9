import { PDFDocument } from 'pdf-lib';
import type { AuditVerification, ChainReconciliation, LiabilityRootView } from '@shared/domain/audit';
import { formatAmountGrouped } from '@shared/money';
import { PageWriter } from './pdf-writer';

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

/** The paper report: balances, coverage and reconciliation, with the audit head that anchors them. */
export async function renderAuditReport(data: ReportData): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`Treasury audit report (${data.profile.toUpperCase()}) ${data.createdAt}`);
  pdf.setCreator('Treasury');
  pdf.setCreationDate(new Date(data.createdAt));
  const writer = await PageWriter.create(pdf);

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

