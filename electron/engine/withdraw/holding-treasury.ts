import { CHAINS, type Chain } from '@shared/domain/chains';
import type { HoldingAddressView, HoldingBalanceView } from '@shared/domain/withdrawals';
import type { AssetRegistry } from '../chains/asset-registry';
import type { ChainService } from '../chains/chain-service';
import type { ConfigurationService } from '../configuration/configuration-service';
import type { HoldingWallets } from '../holding/holding-wallets';
import { holdingPath, type HoldingSigner } from './holding-signer';
import type { WithdrawalRecords } from './withdrawal-records';
import { requireOperator, type Operator } from './withdrawal-service';

/** The holding wallet seen from the treasury: its address, what it holds on chain and what is promised. */
export class HoldingTreasury {
  constructor(
    private readonly configuration: ConfigurationService,
    private readonly chains: ChainService,
    private readonly assets: AssetRegistry,
    private readonly holding: HoldingWallets,
    private readonly signer: HoldingSigner,
    private readonly records: WithdrawalRecords,
  ) {}

  async balances(chain?: Chain): Promise<HoldingBalanceView[]> {
    const { profile } = await this.configuration.get();
    const views: HoldingBalanceView[] = [];
    for (const wallet of await this.holding.all()) {
      if (chain && wallet.chain !== chain) continue;
      for (const asset of await this.assets.list(wallet.chain)) {
        const since = new Date().toISOString();
        const onChain = await this.chains.call(wallet.chain, (adapter) => adapter.balance(asset, wallet.address));
        const inFlight = await this.records.inFlight(null, profile, wallet.chain, asset.id, since);
        views.push({
          chain: wallet.chain,
          assetId: asset.id,
          symbol: asset.symbol,
          decimals: asset.decimals,
          address: wallet.address,
          onChain: onChain.toString(),
          inFlight: inFlight.toString(),
          available: (onChain - inFlight).toString(),
        });
      }
    }
    return views.sort((a, b) => CHAINS.indexOf(a.chain) - CHAINS.indexOf(b.chain));
  }

  async address(chain: Chain): Promise<HoldingAddressView> {
    return this.holding.require(chain);
  }

  /** Reads the address from the Ledger, shown on its screen for the officer to compare, and registers it. */
  async register(chain: Chain, account: number, actor: Operator): Promise<HoldingAddressView> {
    const operator = requireOperator(actor, 'register a holding wallet');
    const derivationPath = holdingPath(chain, account);
    const { address } = await this.signer.address(chain, derivationPath, true);
    return this.holding.register({ chain, address, derivationPath, source: this.signer.source }, operator);
  }
}
