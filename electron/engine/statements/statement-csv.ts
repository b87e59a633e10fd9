import type { Statement } from '@shared/domain/statements';
import { formatAmount } from '@shared/money';
import { csvCell } from '../audit/csv-export';

const row = (cells: Array<string | null>) => `${cells.map(csvCell).join(',')}\r\n`;

/** Like every other export, each row names its network; amounts are in the asset's units (never base units), in and out apart. */
export const STATEMENT_CSV_HEADER = [
  'network', 'client', 'period_from', 'period_to', 'asset_id', 'symbol', 'row', 'date', 'kind', 'description', 'wallet',
  'counterparty', 'amount_in', 'amount_out', 'balance', 'tx_hash', 'explorer_url', 'fee', 'fee_symbol', 'reference',
];

/** One opening row, one row per movement and one closing row per asset: a spreadsheet can add them up. */
export function renderStatementCsv(statement: Statement, native: (assetId: string) => { symbol: string; decimals: number } | null): string {
  const out: string[] = [row(STATEMENT_CSV_HEADER)];
  const head = [statement.network, statement.client.name, statement.from, statement.to];
  for (const a of statement.assets) {
    const units = (v: string) => formatAmount(BigInt(v), a.decimals);
    out.push(row([...head, a.assetId, a.symbol, 'opening', statement.from, null, 'Opening balance', null, null, null, null, units(a.opening), null, null, null, null, null]));
    for (const m of a.movements) {
      const coin = m.fee ? native(m.fee.assetId) : null;
      out.push(
        row([
          ...head, a.assetId, a.symbol, 'movement', m.at, m.kind, m.description, m.walletLabel, m.counterparty,
          m.direction === 'in' ? units(m.amount) : null, m.direction === 'out' ? units(m.amount) : null, units(m.balanceAfter), m.txHash, m.explorerUrl,
          m.fee && coin ? formatAmount(BigInt(m.fee.amount), coin.decimals) : null, m.fee && coin ? coin.symbol : null, m.reference,
        ]),
      );
    }
    out.push(row([...head, a.assetId, a.symbol, 'closing', statement.to, null, 'Closing balance', null, null, null, null, units(a.closing), null, null, null, null, null]));
  }
  return out.join('');
}
