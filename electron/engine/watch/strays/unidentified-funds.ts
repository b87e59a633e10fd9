import type { Kysely } from 'kysely';
import type { Chain } from '@shared/domain/chains';
import type { UnidentifiedFundView } from '@shared/domain/unidentified-funds';
import type { ConfigurationService } from '@engine/configuration/configuration-service';
import type { Database } from '@engine/db/schema';

/** The "Unidentified funds" queue as the officer reads it, newest first, with confirmations counted from each chain's cursor. */
export async function listUnidentifiedFunds(
  db: Kysely<Database>,
  configuration: ConfigurationService,
  filter: { chain?: Chain; id?: string; limit: number },
): Promise<UnidentifiedFundView[]> {
  const { profile, chains } = await configuration.get();
  let query = db
    .selectFrom('unidentified_funds as u')
    .leftJoin('wallets as w', 'w.id', 'u.wallet_id')
    .selectAll('u')
    .select(['w.label as wallet_label', 'w.chain as wallet_chain'])
    .where('u.profile', '=', profile)
    .orderBy('u.seen_at', 'desc')
    .orderBy('u.id')
    .limit(filter.limit);
  if (filter.chain) query = query.where('u.chain', '=', filter.chain);
  if (filter.id) query = query.where('u.id', '=', filter.id);
  const rows = await query.execute();
  // The return's transaction: the mined one, else the newest signed (a replacement may follow it).
  const sweepIds = rows.flatMap((r) => (r.sweep_id ? [r.sweep_id] : []));
  const returnTx = new Map<string, string>();
  if (sweepIds.length > 0) {
    const txs = await db.selectFrom('sweep_txs').select(['sweep_id', 'tx_hash', 'state']).where('sweep_id', 'in', sweepIds).where('purpose', '=', 'sweep').orderBy('created_at').execute();
    const mined = new Set<string>();
    for (const tx of txs) {
      if (mined.has(tx.sweep_id)) continue;
      returnTx.set(tx.sweep_id, tx.tx_hash);
      if (tx.state === 'mined') mined.add(tx.sweep_id);
    }
  }
  const cursors = new Map(
    (await db.selectFrom('watch_cursors').select(['chain', 'next_block']).where('profile', '=', profile).execute()).map((c) => [c.chain, c.next_block]),
  );
  return rows.map((row) => {
    const next = cursors.get(row.chain);
    return {
      id: row.id,
      chain: row.chain as Chain,
      kind: row.kind,
      tokenContract: row.token_contract,
      symbol: row.symbol,
      decimals: row.decimals,
      amount: String(row.amount),
      address: row.address,
      walletId: row.wallet_id,
      walletLabel: row.wallet_label ?? null,
      walletChain: (row.wallet_chain as Chain | null) ?? null,
      from: row.from_address,
      txSender: row.tx_sender,
      txHash: row.tx_hash,
      blockNumber: String(row.block_number),
      state: row.state,
      confirmations: row.state === 'orphaned' || next === undefined ? 0 : Math.max(0, next - row.block_number),
      requiredConfirmations: chains[row.chain as Chain].confirmations,
      seenAt: row.seen_at,
      recovery:
        row.recovery_action && row.recovery_state
          ? {
              action: row.recovery_action,
              state: row.recovery_state,
              proposedBy: row.proposed_by ?? '',
              proposedAt: row.proposed_at ?? '',
              decidedBy: row.decided_by,
              decidedAt: row.decided_at,
              depositId: row.deposit_id,
              returnTo: row.return_to,
              returnTxHash: row.sweep_id ? (returnTx.get(row.sweep_id) ?? null) : null,
            }
          : null,
    };
  });
}
