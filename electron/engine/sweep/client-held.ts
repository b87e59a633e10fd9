import type { Kysely } from 'kysely';
import type { Database } from '@engine/db/schema';
import type { Ledger } from '@engine/ledger/ledger';

/**
 * What of an asset at a deposit address belongs to its client: credited and not yet swept (deposit in transit),
 * plus deposits still confirming. Coins beyond it are not the client's (gas change, strays).
 */
export async function clientHeldAt(db: Kysely<Database>, ledger: Ledger, walletId: string, assetId: string): Promise<bigint> {
  const inTransit = BigInt((await ledger.balance({ kind: 'deposit_in_transit', assetId, walletId })).posted);
  const seen = await db.selectFrom('deposits').select('amount').where('wallet_id', '=', walletId).where('asset_id', '=', assetId).where('state', '=', 'seen').execute();
  return seen.reduce((sum, d) => sum + BigInt(d.amount), inTransit);
}

/**
 * Native coin at the address that arrived as unidentified funds and waits for an officer's decision (or for its
 * return): not spare for gas, or a token sweep would spend what may go back to its sender. Per chain: the address
 * of an EVM wallet also receives coins on the other EVM chain (kind `other_chain`), which are that chain's coins.
 */
export async function openNativeStrays(db: Kysely<Database>, walletId: string, chain: string): Promise<bigint> {
  const rows = await db
    .selectFrom('unidentified_funds')
    .select('amount')
    .where('wallet_id', '=', walletId)
    .where('token_contract', 'is', null)
    .where('state', '=', 'seen')
    .where('chain', '=', chain)
    .where((eb) => eb.or([eb('recovery_state', 'is', null), eb('recovery_state', 'in', ['proposed', 'returning'])]))
    .execute();
  return rows.reduce((sum, r) => sum + BigInt(r.amount), 0n);
}
