import type { Kysely } from 'kysely';
import type { Chain, NetworkProfile } from '@shared/domain/chains';
import type { AlertCenter } from '../alerts/alert-center';
import type { ChainService } from '../chains/chain-service';
import type { Database } from '../db/schema';
import type { HoldingWallets } from '../holding/holding-wallets';

export interface HoldingGap {
  chain: Chain;
  address: string;
  /** Nonces the chain has used from the holding address that no withdrawal in these books holds. */
  fromNonce: number;
  toNonce: number;
}

/**
 * After a restore: transactions that left an EVM holding wallet after the backup are on chain but not in the
 * books (the newest backup is made after every broadcast, so only a crash in between leaves one). The chain's
 * next nonce for the address, against the highest nonce a withdrawal of these books used, names them; each gap
 * is raised once as an alert (`unknown_holding_transactions`) for the officer to reconcile. Tron has no nonce:
 * its holding transactions are not checked here. Returns the gaps; a chain that cannot be read throws (retry).
 */
export async function checkHoldingGaps(deps: { db: Kysely<Database>; network: NetworkProfile; chains: ChainService; holding: HoldingWallets; alerts: AlertCenter }): Promise<HoldingGap[]> {
  const gaps: HoldingGap[] = [];
  for (const wallet of await deps.holding.all()) {
    if (wallet.chain === 'tron') continue;
    const adapter = await deps.chains.adapter(wallet.chain);
    if (!adapter.nextNonce) continue;
    const chainNext = await deps.chains.call(wallet.chain, (a) => a.nextNonce!(wallet.address));
    const used = await deps.db
      .selectFrom('withdrawals')
      .select((eb) => eb.fn.max('nonce').as('nonce'))
      .where('chain', '=', wallet.chain)
      .where('profile', '=', deps.network)
      .where('source', '=', wallet.address)
      .where('nonce', 'is not', null)
      .executeTakeFirst();
    const booksNext = used?.nonce === null || used?.nonce === undefined ? 0 : Number(used.nonce) + 1;
    if (chainNext <= booksNext) continue;
    const gap: HoldingGap = { chain: wallet.chain, address: wallet.address, fromNonce: booksNext, toNonce: chainNext - 1 };
    gaps.push(gap);
    const count = chainNext - booksNext;
    await deps.alerts.raise({
      profile: deps.network,
      kind: 'unknown_holding_transactions',
      chain: wallet.chain,
      subject: `holding:${wallet.chain}:${wallet.address}:${booksNext}-${chainNext - 1}`,
      message: `${count} transaction${count === 1 ? '' : 's'} left the holding wallet after the restored backup and ${count === 1 ? 'is' : 'are'} not in these books (nonce ${booksNext}${count > 1 ? ` to ${chainNext - 1}` : ''}): find ${count === 1 ? 'it' : 'them'} in the explorer and reconcile by hand.`,
      details: { ...gap },
    });
  }
  return gaps;
}
