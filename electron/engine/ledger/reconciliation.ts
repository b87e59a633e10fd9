import type { ReconciliationLine } from '@shared/domain/ledger';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { balanceOf } from './balance';
import type { Ledger } from './ledger';

/**
 * The ledger's own view of coverage per asset: what clients are owed against what the company holds
 * (holding plus unswept deposits). The chain-side figures join this in the audit area.
 */
export async function reconcile(ledger: Ledger): Promise<ReconciliationLine[]> {
  return lines(await ledger.totalsByKind());
}

/** What one asset's holdings leave beyond what clients are owed (negative: a shortfall), read through `ex`. */
export async function coverageMargin(ledger: Ledger, assetId: string, ex: Kysely<Database>): Promise<bigint> {
  const [line] = lines(await ledger.totalsByKind(ex, assetId));
  return line ? BigInt(line.holdings) - BigInt(line.clientLiabilities) : 0n;
}

function lines(rows: Awaited<ReturnType<Ledger['totalsByKind']>>): ReconciliationLine[] {
  const byAsset = new Map<string, { liabilities: bigint; reserve: bigint; holdings: bigint; uncovered: bigint }>();
  for (const { assetId, kind, totals } of rows) {
    const line = byAsset.get(assetId) ?? { liabilities: 0n, reserve: 0n, holdings: 0n, uncovered: 0n };
    const posted = balanceOf(kind, totals).posted;
    if (kind === 'client_wallet') line.liabilities += posted;
    // Fee revenue is company money in holding, as the reserve is.
    else if (kind === 'company_reserve' || kind === 'fee_revenue') line.reserve += posted;
    else if (kind === 'holding' || kind === 'deposit_in_transit' || kind === 'deposit_gas') line.holdings += posted;
    else if (kind === 'uncovered_credit') line.uncovered += posted;
    byAsset.set(assetId, line);
  }
  return [...byAsset.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([assetId, l]) => ({
      assetId,
      clientLiabilities: l.liabilities.toString(),
      companyReserve: l.reserve.toString(),
      holdings: l.holdings.toString(),
      uncoveredCredit: l.uncovered.toString(),
      coverageRatio: l.liabilities > 0n ? ratio(l.holdings, l.liabilities) : null,
      shortfall: (l.liabilities > l.holdings ? l.liabilities - l.holdings : 0n).toString(),
    }));
}

/** a / b with four decimal places, truncated, in integers only. */
export function ratio(a: bigint, b: bigint): string {
  const scaled = (a * 10_000n) / b;
  return `${scaled / 10_000n}.${(scaled % 10_000n).toString().padStart(4, '0')}`;
}
