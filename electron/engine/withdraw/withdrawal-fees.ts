import type { Kysely } from 'kysely';
import type { Chain } from '@shared/domain/chains';
import type { WithdrawalFeeEstimate } from '@shared/domain/withdrawals';
import { DomainError } from '@shared/result';
import type { AssetRegistry } from '../chains/asset-registry';
import type { ChainService } from '../chains/chain-service';
import type { Database } from '../db/schema';
import type { WithdrawalRecords } from './withdrawal-records';

/**
 * The network fee of a withdrawal before it is approved and signed: the chain's quote for this very transfer
 * (from the holding address, to the destination, this amount) at the current fees, in the chain's native coin.
 * What it finally paid is on the withdrawal once confirmed (`feePaid`).
 */
export class WithdrawalFees {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly records: WithdrawalRecords,
    private readonly chains: ChainService,
    private readonly assets: AssetRegistry,
  ) {}

  async estimate(withdrawalId: string): Promise<WithdrawalFeeEstimate> {
    const row = await this.records.row(withdrawalId, this.db);
    if (!['requested', 'approved', 'signed'].includes(row.state)) {
      throw new DomainError('conflict', 'The withdrawal is already on its way or finished: its fee is the one it paid.', { withdrawalId, state: row.state });
    }
    const chain = row.chain as Chain;
    const asset = await this.assets.get(row.asset_id);
    const native = (await this.assets.list(chain)).find((a) => a.contract === null);
    if (!native) throw new DomainError('not_found', 'The chain has no native coin registered.', { chain });
    const quote = await this.chains.call(chain, (adapter) => adapter.estimateFee({ asset, from: row.source, to: row.destination, amount: BigInt(row.amount) }));
    return { assetId: native.id, maxFee: quote.maxFee.toString(), quotedAt: new Date().toISOString() };
  }
}
