import { ACTIVITY_TYPE_LABELS, type ActivityFilter, type ActivityItem } from '@shared/domain/activity';
import { CHAIN_LABELS } from '@shared/domain/chains';
import { formatAmount } from '@shared/money';
import type { AssetRegistry } from '../chains/asset-registry';
import { csvCell } from '../audit/csv-export';
import type { ActivityFeed } from './activity-feed';

const row = (cells: Array<string | null>) => `${cells.map(csvCell).join(',')}\r\n`;

export const ACTIVITY_CSV_HEADER = ['network', 'date', 'type', 'client', 'wallet', 'to_wallet', 'chain', 'asset', 'amount', 'status', 'tx_hash', 'id'];

/**
 * The feed's current view as CSV, every page of it: names instead of ids, the amount exact in the asset's
 * units (not the screen's rounded display), and the network on every row like the other exports.
 */
export async function activityCsv(
  feed: ActivityFeed,
  assets: AssetRegistry,
  filter: ActivityFilter,
  network: string,
): Promise<{ csv: string; rows: number }> {
  const lines = [row(ACTIVITY_CSV_HEADER)];
  const decimals = new Map<string, { symbol: string; decimals: number } | null>();
  const assetOf = async (item: ActivityItem) => {
    if (!decimals.has(item.assetId)) decimals.set(item.assetId, await assets.get(item.assetId).catch(() => null));
    return decimals.get(item.assetId)!;
  };
  for await (const item of feed.all(filter)) {
    const asset = await assetOf(item);
    lines.push(
      row([
        network,
        item.at,
        ACTIVITY_TYPE_LABELS[item.type],
        item.clientName,
        item.walletLabel,
        item.counterpartyWalletLabel,
        CHAIN_LABELS[item.chain] ?? item.chain,
        asset?.symbol ?? item.assetId,
        item.amount === null ? null : asset ? formatAmount(BigInt(item.amount), asset.decimals) : item.amount,
        item.status.replace(/_/g, ' '),
        item.txHash,
        item.id,
      ]),
    );
  }
  return { csv: lines.join(''), rows: lines.length - 1 };
}
