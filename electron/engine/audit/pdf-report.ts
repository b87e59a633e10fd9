import { PDFDocument } from 'pdf-lib';
import type { Asset } from '@shared/domain/assets';
import type { AuditVerification, ChainReconciliation, LiabilityRootView } from '@shared/domain/audit';
import { CHAIN_LABELS } from '@shared/domain/chains';
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
  /** The registry, so every figure is named ("USDT on Polygon") and printed in the asset's own units. */
  assets: Array<Pick<Asset, 'id' | 'symbol' | 'chain' | 'decimals'>>;
}

/** Label and figure columns of the per-asset tables: the figure column fits 30 digits at 9 pt. */
const FIGURES = [200, 295];

/** The paper report: balances, coverage and reconciliation, with the audit head that anchors them. */
export async function renderAuditReport(data: ReportData): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`Treasury audit report (${data.profile.toUpperCase()}) ${data.createdAt}`);
  pdf.setCreator('Treasury');
  pdf.setCreationDate(new Date(data.createdAt));
  const writer = await PageWriter.create(pdf);
  const registry = new Map(data.assets.map((a) => [a.id, a]));
  const name = (assetId: string) => assetLabel(assetId, registry.get(assetId));

  writer.title(`Treasury audit report: ${data.profile.toUpperCase()} network`);
  writer.line(`Created ${data.createdAt} in the ${data.profile} workspace${data.profile === 'mainnet' ? '' : ' (test funds only, never mainnet records)'}.`);
  writer.line(`Audit log: ${data.auditHead.seq} records; chain ${data.auditChain.ok ? 'verified from genesis' : `BROKEN at record ${data.auditChain.firstBroken} (${data.auditChain.reason})`}.`);
  writer.line('Audit chain head (write it down: a later bundle must contain this record unchanged):');
  writer.code(data.auditHead.hash);
  writer.gap();

  writer.line('Amounts are in each asset\'s own units (USDT, POL, ...), every decimal printed.', 9);
  writer.gap();

  // One small table per asset: an 18-decimal figure needs the width of a column of its own to print whole.
  writer.heading('Balances and coverage (ledger)');
  for (const c of data.coverage) {
    writer.line(name(c.assetId), 10.5, { bold: true });
    writer.table(['', 'Amount'], [
      ['Client liabilities', amount(c.clientLiabilities, c.decimals)],
      ['Company reserve', amount(c.companyReserve, c.decimals)],
      ['Holdings', amount(c.holdings, c.decimals)],
      ['Uncovered', amount(c.uncoveredCredit, c.decimals)],
      ['Coverage', c.clientLiabilities > 0n ? `${(Number((c.holdings * 10_000n) / c.clientLiabilities) / 100).toFixed(2)} %` : '-'],
    ], FIGURES);
    writer.gap(4);
  }
  if (data.coverage.length === 0) writer.line('No ledger accounts.');
  writer.gap();

  writer.heading('Reconciliation with the chains');
  if (!data.reconciliation) {
    writer.line('Not taken with this export.');
  } else {
    writer.line(`Read ${data.reconciliation.at}.`);
    for (const l of data.reconciliation.lines) {
      writer.line(name(l.assetId), 10.5, { bold: true });
      writer.table(['', 'Amount'], [
        ['On chain', l.onChain.total === null ? 'unreadable' : amount(BigInt(l.onChain.total), l.decimals)],
        ['Owed (clients + reserve)', amount(BigInt(l.ledger.obligations), l.decimals)],
        ['Difference', l.difference === null ? '-' : amount(BigInt(l.difference), l.decimals)],
        ['Status', l.status],
      ], FIGURES);
      for (const cause of l.causes) writer.line(`${cause.kind.replace('_', ' ')} ${amount(BigInt(cause.amount), l.decimals)} - ${cause.note}`, 9, { indent: 8 });
      writer.gap(4);
    }
  }
  writer.gap();

  writer.heading('Proof of liabilities (Merkle sum tree roots)');
  for (const root of data.liabilities) {
    const asset = registry.get(root.assetId);
    writer.line(`${name(root.assetId)}: ${root.leaves} clients, total ${amount(BigInt(root.total), asset?.decimals ?? null)}${asset ? ` ${asset.symbol}` : ''}`, 10);
    writer.code(root.hash);
  }
  if (data.liabilities.length === 0) writer.line('No client balances.');
  return pdf.save();
}

/** Every decimal of the asset, grouped; an asset missing from the registry is said so, never printed in base units. */
function amount(value: bigint, decimals: number | null): string {
  return decimals === null ? 'unknown asset' : formatAmountGrouped(value, decimals);
}

/** "USDT on Polygon"; an asset the registry does not know keeps its id so the auditor can trace it. */
function assetLabel(assetId: string, asset: Pick<Asset, 'symbol' | 'chain'> | undefined): string {
  return asset ? `${asset.symbol} on ${CHAIN_LABELS[asset.chain]}` : `unregistered ${assetId}`;
}

