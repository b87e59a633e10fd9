import { PDFDocument } from 'pdf-lib';
import { CHAIN_LABELS } from '@shared/domain/chains';
import type { Statement, StatementAsset } from '@shared/domain/statements';
import { formatAmountGrouped } from '@shared/money';
import { PageWriter } from '../audit/pdf-writer';

/** Amounts as people read them: the asset's own units, every significant digit, never base units. */
export function displayAmount(value: bigint, decimals: number, symbol: string): string {
  return `${formatAmountGrouped(value, decimals)} ${symbol}`;
}

const WIDTHS = [72, 163, 60, 68, 68, 68];
const ALIGN: Array<'left' | 'right'> = ['left', 'left', 'left', 'right', 'right', 'right'];

/** The client's statement on paper: per asset, opening balance, each movement with its chain link, closing balance. */
export async function renderStatementPdf(statement: Statement, native: (assetId: string) => { symbol: string; decimals: number } | null): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const network = statement.network.toUpperCase();
  pdf.setTitle(`Statement for ${statement.client.name}, ${statement.from} to ${statement.to} (${network})`);
  pdf.setCreator('Treasury');
  pdf.setCreationDate(new Date(statement.generatedAt));
  const w = await PageWriter.create(pdf);

  w.title('Account statement');
  w.line(statement.client.name, 13, { bold: true });
  w.line(`Period: ${statement.from} to ${statement.to} (calendar days in UTC, both included)`);
  w.line(`Network: ${network}${statement.network === 'mainnet' ? '' : ' (test funds only, never mainnet records)'}`);
  w.line(`Issued: ${statement.generatedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}`);
  w.gap();
  if (statement.assets.length === 0) w.line('This client has no balances in any asset.');

  for (const asset of statement.assets) section(w, asset, native);

  w.gap();
  w.rule();
  w.line(
    'Balances are settled balances; amounts held for withdrawals not yet sent are shown apart. Network fees of withdrawals are paid by the company and shown for information. ' +
      'The SHA-256 of this file is recorded in the company\'s audit log when it is issued: a copy can be checked against it.',
    8.5,
  );
  return pdf.save();
}

function section(w: PageWriter, a: StatementAsset, native: (assetId: string) => { symbol: string; decimals: number } | null): void {
  const fmt = (v: string | bigint) => displayAmount(BigInt(v), a.decimals, a.symbol);
  w.heading(`${a.symbol} on ${CHAIN_LABELS[a.chain]}`);
  w.line(`Opening balance: ${fmt(a.opening)}`, 10.5, { bold: true });
  // The columns carry the asset's symbol in their heading, so a figure fits its column.
  const figure = (v: string) => formatAmountGrouped(BigInt(v), a.decimals);
  w.row(['Date (UTC)', 'Description', 'Wallet', `In (${a.symbol})`, `Out (${a.symbol})`, `Balance (${a.symbol})`], WIDTHS, { align: ALIGN, header: true });
  for (const m of a.movements) {
    const amount = figure(m.amount);
    w.row([m.at.slice(0, 16).replace('T', ' '), m.description, m.walletLabel, m.direction === 'in' ? amount : '', m.direction === 'out' ? amount : '', figure(m.balanceAfter)], WIDTHS, { align: ALIGN });
    const details: string[] = [];
    if (m.reference) details.push(`Reference: ${m.reference}`);
    if (m.fee) {
      const coin = native(m.fee.assetId);
      if (coin) details.push(`Network fee (paid by the company): ${displayAmount(BigInt(m.fee.amount), coin.decimals, coin.symbol)}`);
    }
    for (const d of details) w.line(d, 8.5, { indent: WIDTHS[0]! });
    if (m.txHash) w.code(`Tx ${m.txHash}`, 8, WIDTHS[0]!);
    if (m.explorerUrl) w.code(m.explorerUrl, 8, WIDTHS[0]!);
  }
  if (a.movements.length === 0) w.line('No movements in this period.', 9);
  w.gap(4);
  w.line(`Total in: ${fmt(a.totalIn)}    Total out: ${fmt(a.totalOut)}`, 10);
  w.line(`Closing balance: ${fmt(a.closing)}`, 10.5, { bold: true });
  if (BigInt(a.heldAtClose) > 0n) w.line(`Held at the end of the period for withdrawals or off-ramps not yet settled: ${fmt(a.heldAtClose)}`, 9);
  w.gap(10);
}
