import type { Kysely } from 'kysely';
import { formatAmountGrouped } from '@shared/money';
import type { AssetRegistry } from '../chains/asset-registry';
import type { Database } from '../db/schema';

/** One of our own transactions (a withdrawal or a sweep) that a reorg took out of its block. */
export interface OwnTransactionHit {
  type: 'withdrawal' | 'sweep';
  id: string;
  txHash: string;
  block: number;
  /** In words, for the alert: "withdrawal of 5.00 USDT to T…", "sweep of 100.00 USDT from T…". */
  words: string;
}

/**
 * Our withdrawals and sweep transactions booked in blocks above the fork point, read from their tables (the
 * watcher follows deposits; the tracker and the sweep runner unbook these on their next pass): the deep-reorg
 * alert names them, so the officer sees at once which of our payments the reorg touched.
 */
export async function ownTransactionsAbove(db: Kysely<Database>, assets: AssetRegistry, profile: string, chain: string, forkPoint: number): Promise<OwnTransactionHit[]> {
  const withdrawals = await db
    .selectFrom('withdrawals')
    .select(['id', 'tx_hash', 'block_number', 'asset_id', 'amount', 'destination'])
    .where('profile', '=', profile)
    .where('chain', '=', chain)
    .where('block_number', '>', forkPoint)
    .where('state', 'in', ['confirmed', 'failed'])
    .execute();
  const sweeps = await db
    .selectFrom('sweep_txs')
    .innerJoin('sweeps', 'sweeps.id', 'sweep_txs.sweep_id')
    .select(['sweeps.id as id', 'sweep_txs.tx_hash as tx_hash', 'sweep_txs.block_number as block_number', 'sweeps.asset_id as asset_id', 'sweep_txs.value as value', 'sweep_txs.from_address as from_address', 'sweep_txs.to_address as to_address', 'sweep_txs.purpose as purpose'])
    .where('sweep_txs.profile', '=', profile)
    .where('sweep_txs.chain', '=', chain)
    .where('sweep_txs.block_number', '>', forkPoint)
    .where('sweep_txs.state', 'in', ['mined', 'reverted'])
    .execute();
  const show = async (assetId: string, amount: string) => {
    const asset = await assets.get(assetId).catch(() => null);
    return asset ? `${formatAmountGrouped(BigInt(amount), asset.decimals)} ${asset.symbol}` : 'an unlisted asset';
  };
  const hits: OwnTransactionHit[] = [];
  for (const w of withdrawals) {
    hits.push({ type: 'withdrawal', id: w.id, txHash: w.tx_hash!, block: w.block_number!, words: `withdrawal of ${await show(w.asset_id, w.amount)} to ${w.destination}` });
  }
  for (const s of sweeps) {
    const words = s.purpose === 'gas' ? `gas for the sweep from ${s.to_address ?? s.from_address}` : `sweep of ${await show(s.asset_id, s.value)} from ${s.from_address}`;
    hits.push({ type: 'sweep', id: s.id, txHash: s.tx_hash, block: s.block_number!, words });
  }
  return hits.sort((a, b) => a.block - b.block);
}
