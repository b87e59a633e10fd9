import { CHAINS, type Chain } from '@shared/domain/chains';
import type { ChainEndpointHealth, ChainSettings } from '@shared/domain/configuration';
import { DomainError } from '@shared/result';
import type { ConfigurationService } from '../configuration/configuration-service';
import type { ChainAdapter } from './adapter';
import { AddressError, NetworkMismatchError } from './errors';
import { EvmAdapter } from './evm/evm-adapter';
import type { EndpointHealthStore, SavedEndpointHealth } from './endpoint-health-store';
import { EndpointPool, type EndpointPoolOptions } from './endpoint-pool';
import { TronAdapter } from './tron/tron-adapter';

export type ChainServiceOptions = Partial<EndpointPoolOptions>;

/** Defaults: a minute's rest after a fault, 20 s per read, a head 20 blocks behind the best is lagging. */
const DEFAULT_POOL_OPTIONS: EndpointPoolOptions = { coolDownMs: 60_000, callTimeoutMs: 20_000, maxLagBlocks: 20, probeIntervalMs: 30_000 };

/**
 * Hands out one adapter per chain for the current profile's settings, rebuilt when the officer changes
 * an endpoint. The rest of the engine asks here and never builds a chain client itself. Behind the adapter
 * is the chain's ordered list of endpoints (endpoint-pool.ts): reads go to the first healthy one.
 */
export class ChainService {
  private readonly pools = new Map<Chain, { key: string; pool: EndpointPool }>();
  private readonly options: EndpointPoolOptions;

  /** `memory`: where endpoint health is kept across restarts; without it (offline review) health lives in memory only. */
  constructor(
    private readonly configuration: ConfigurationService,
    options: ChainServiceOptions = {},
    private readonly memory?: EndpointHealthStore,
  ) {
    this.options = { ...DEFAULT_POOL_OPTIONS, ...options };
  }

  /**
   * The chain's adapter once one of its endpoints has proved it serves this workspace's network (chain id, Tron
   * genesis): nothing is read from or sent to a node of another network. When no endpoint can be used this
   * fails as the preferred endpoint's first call would (`wrong_network` when one serves another network).
   */
  async adapter(chain: Chain): Promise<ChainAdapter> {
    const pool = await this.pool(chain);
    try {
      await pool.ready();
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 300);
      if (error instanceof NetworkMismatchError) {
        throw new DomainError('wrong_network', `The ${chain} endpoint does not serve the ${this.configuration.network} network: ${message}`, { chain });
      }
      throw new DomainError('chain_unavailable', `The ${chain} endpoint failed: ${message}`, { chain });
    }
    return pool.adapter;
  }

  private async pool(chain: Chain): Promise<EndpointPool> {
    const settings = (await this.configuration.get()).chains[chain];
    const key = `${settings.rpcUrls.join(' ')}|${settings.chainId}|${settings.feeFloorWei}`;
    const cached = this.pools.get(chain);
    if (cached?.key === key) return cached.pool;
    cached?.pool.close();
    const store = this.memory;
    const memory = store ? { saved: await store.load(chain), save: (health: SavedEndpointHealth) => store.save(chain, health) } : undefined;
    // Another caller may have built the pool while the saved health was read.
    const raced = this.pools.get(chain);
    if (raced && raced !== cached && raced.key === key) return raced.pool;
    const pool = new EndpointPool(chain, this.configuration.network, settings.rpcUrls, (url) => buildAdapter(chain, url, settings), this.options, memory);
    this.pools.set(chain, { key, pool });
    return pool;
  }

  /**
   * Every chain's endpoints as last found; endpoints the officer confirmed are asked again (head, latency) first.
   * Unconfirmed ones (mainnet and testnet before setup) are listed but not contacted.
   */
  async endpointHealth(): Promise<ChainEndpointHealth[]> {
    return Promise.all(
      CHAINS.map(async (chain) => {
        const pool = await this.pool(chain);
        const confirmed = await this.configuration.endpointConfirmed(chain);
        if (confirmed) await pool.probe();
        return { chain, endpoints: pool.health(confirmed) };
      }),
    );
  }

  /** The canonical form of an address on `chain`, or a named `invalid_address` refusal; no node is asked. */
  async normalizeAddress(chain: Chain, address: string): Promise<string> {
    const pool = await this.pool(chain);
    try {
      return pool.adapter.normalizeAddress(address);
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
    for (const { pool } of this.pools.values()) pool.close();
    this.pools.clear();
  }
}

function buildAdapter(chain: Chain, url: string, settings: ChainSettings): ChainAdapter {
  return chain === 'tron'
    ? new TronAdapter({ fullNodeUrl: url })
    : new EvmAdapter({ chain, rpcUrl: url, chainId: settings.chainId!, ...feeFloor(chain, settings.feeFloorWei) });
}

/** The configured floor per gas: the tip on an EIP-1559 chain (Polygon), the gas price on BNB Chain. */
function feeFloor(chain: Chain, wei: string | null): { minPriorityFeePerGas?: bigint; minGasPrice?: bigint } {
  if (wei === null || chain === 'tron') return {};
  return chain === 'polygon' ? { minPriorityFeePerGas: BigInt(wei) } : { minGasPrice: BigInt(wei) };
}
