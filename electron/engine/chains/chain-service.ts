import type { Chain } from '@shared/domain/chains';
import { DomainError } from '@shared/result';
import type { ConfigurationService } from '../configuration/configuration-service';
import type { ChainAdapter } from './adapter';
import { AddressError, NetworkMismatchError } from './errors';
import { EvmAdapter } from './evm/evm-adapter';
import { TronAdapter } from './tron/tron-adapter';

/**
 * Hands out one adapter per chain for the current profile's settings, rebuilt when the officer changes
 * an endpoint. The rest of the engine asks here and never builds a chain client itself.
 */
export class ChainService {
  private readonly adapters = new Map<Chain, { key: string; adapter: ChainAdapter; verified: boolean }>();

  constructor(private readonly configuration: ConfigurationService) {}

  /**
   * The chain's adapter once its node has proved it serves this workspace's network (chain id, Tron genesis),
   * checked once per endpoint: nothing is read from or sent to a node of another network. A node that cannot be
   * asked fails here as it would on its first call, and is asked again next time.
   */
  async adapter(chain: Chain): Promise<ChainAdapter> {
    const entry = await this.entry(chain);
    if (!entry.verified) {
      try {
        await entry.adapter.checkNetwork(this.configuration.network);
      } catch (error) {
        const message = (error instanceof Error ? error.message : String(error)).slice(0, 300);
        if (error instanceof NetworkMismatchError) {
          throw new DomainError('wrong_network', `The ${chain} endpoint does not serve the ${this.configuration.network} network: ${message}`, { chain });
        }
        throw new DomainError('chain_unavailable', `The ${chain} endpoint failed: ${message}`, { chain });
      }
      entry.verified = true;
    }
    return entry.adapter;
  }

  private async entry(chain: Chain) {
    const settings = (await this.configuration.get()).chains[chain];
    const key = `${settings.rpcUrl}|${settings.chainId}|${settings.feeFloorWei}`;
    const cached = this.adapters.get(chain);
    if (cached?.key === key) return cached;
    const adapter =
      chain === 'tron'
        ? new TronAdapter({ fullNodeUrl: settings.rpcUrl })
        : new EvmAdapter({ chain, rpcUrl: settings.rpcUrl, chainId: settings.chainId!, ...feeFloor(chain, settings.feeFloorWei) });
    if (cached?.adapter instanceof EvmAdapter) cached.adapter.close();
    const entry = { key, adapter, verified: false };
    this.adapters.set(chain, entry);
    return entry;
  }

  /** The canonical form of an address on `chain`, or a named `invalid_address` refusal; no node is asked. */
  async normalizeAddress(chain: Chain, address: string): Promise<string> {
    const { adapter } = await this.entry(chain);
    try {
      return adapter.normalizeAddress(address);
    } catch (error) {
      if (error instanceof AddressError) {
        throw new DomainError('invalid_address', error.message, { chain, reason: error.reason });
      }
      throw error;
    }
  }

  /** Runs a chain call and turns a dead or failing endpoint into a typed error the officer can act on. */
  async call<T>(chain: Chain, work: (adapter: ChainAdapter) => Promise<T>): Promise<T> {
    const adapter = await this.adapter(chain);
    try {
      return await work(adapter);
    } catch (error) {
      if (error instanceof DomainError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new DomainError('chain_unavailable', `The ${chain} endpoint failed: ${message.slice(0, 300)}`, { chain });
    }
  }

  close(): void {
    for (const { adapter } of this.adapters.values()) if (adapter instanceof EvmAdapter) adapter.close();
    this.adapters.clear();
  }
}

/** The configured floor per gas: the tip on an EIP-1559 chain (Polygon), the gas price on BNB Chain. */
function feeFloor(chain: Chain, wei: string | null): { minPriorityFeePerGas?: bigint; minGasPrice?: bigint } {
  if (wei === null || chain === 'tron') return {};
  return chain === 'polygon' ? { minPriorityFeePerGas: BigInt(wei) } : { minGasPrice: BigInt(wei) };
}
