import type { Kysely } from 'kysely';
import { z } from 'zod';
import { CHAINS, NETWORK_PROFILES, type Chain, type NetworkProfile } from '@shared/domain/chains';
import { DEFAULT_CHAIN_SETTINGS, MAX_ENDPOINTS, type ChainSettings, type Configuration } from '@shared/domain/configuration';
import { DomainError } from '@shared/result';
import type { AuditLog } from '../audit/audit-log';
import type { Database } from '../db/schema';
import { putSetting } from '../db/settings';
import type { EventBus } from '../events';
import { isPrivateHost } from './endpoint-host';

const KEY = 'configuration';

const chainOverrideSchema = z.object({
  rpcUrl: z.string().optional(),
  /** The officer's ordered endpoints; absent: the single `rpcUrl` (stored before failover existed) or the default. */
  rpcUrls: z.array(z.string()).optional(),
  confirmations: z.number().optional(),
  /** When the officer confirmed (or edited) the endpoint at setup; watching waits for it on mainnet and testnet. */
  endpointConfirmedAt: z.string().optional(),
  /** The officer runs this node: a loopback or private address is allowed on mainnet. */
  ownNode: z.boolean().optional(),
  feeFloorWei: z.string().optional(),
  gasTankThreshold: z.string().optional(),
});

/**
 * What is stored: only what the officer changed, so new defaults reach installs that never touched them.
 * `profile` is kept for databases from before workspaces; the network is the workspace's, never a setting.
 */
const storedSchema = z.object({
  profile: z.enum(NETWORK_PROFILES).optional(),
  overrides: z.record(z.string(), z.record(z.string(), chainOverrideSchema)),
});
type Stored = z.infer<typeof storedSchema>;

export interface ConfigurationChange {
  chain?: Chain;
  rpcUrl?: string;
  /** Ordered endpoints, preferred first; replaces the list (and `rpcUrl`, which becomes its first). */
  rpcUrls?: string[];
  confirmations?: number;
  ownNode?: boolean;
  feeFloorWei?: string;
  gasTankThreshold?: string;
}

/** The officer's list, each endpoint once, in the order given; refused when empty or longer than failover needs. */
function endpointList(chain: Chain, urls: readonly string[]): string[] {
  const unique = [...new Set(urls.map((url) => url.trim()))].filter((url) => url !== '');
  if (unique.length === 0) throw new DomainError('validation', `Give at least one ${chain} endpoint.`, { chain });
  if (unique.length > MAX_ENDPOINTS) throw new DomainError('validation', `Give at most ${MAX_ENDPOINTS} ${chain} endpoints.`, { chain });
  return unique;
}

/**
 * The workspace's settings: per chain its endpoint and confirmation depth over the network's defaults. The
 * network itself is fixed for the workspace (one database per network): changing it opens another workspace.
 */
export class ConfigurationService {
  /** Read on every money movement (the asset registry), written rarely: kept in memory, refreshed on write. */
  private cached: Stored | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly events: EventBus,
    readonly network: NetworkProfile,
    private readonly audit: AuditLog,
  ) {}

  async get(): Promise<Configuration> {
    return this.resolve(await this.load());
  }

  async update(change: ConfigurationChange, operator = 'system'): Promise<Configuration> {
    const stored = await this.load();
    const next: Stored = structuredClone(stored);
    next.profile = this.network;
    if (change.chain) {
      const chainOverrides = ((next.overrides[this.network] ??= {})[change.chain] ??= {});
      if (change.rpcUrls !== undefined) chainOverrides.rpcUrls = endpointList(change.chain, change.rpcUrls);
      else if (change.rpcUrl !== undefined && chainOverrides.rpcUrls) chainOverrides.rpcUrls = endpointList(change.chain, [change.rpcUrl, ...chainOverrides.rpcUrls.slice(1)]);
      const preferred = change.rpcUrls?.[0] ?? change.rpcUrl;
      if (preferred !== undefined) chainOverrides.rpcUrl = preferred;
      if (change.confirmations !== undefined) chainOverrides.confirmations = change.confirmations;
      if (change.ownNode !== undefined) chainOverrides.ownNode = change.ownNode;
      if (change.feeFloorWei !== undefined) chainOverrides.feeFloorWei = change.feeFloorWei;
      if (change.gasTankThreshold !== undefined) chainOverrides.gasTankThreshold = change.gasTankThreshold;
      const resolved = this.resolveChain(next, change.chain);
      for (const url of resolved.rpcUrls) this.checkEndpoint(change.chain, url, resolved.ownNode);
      // Editing the endpoints is choosing them: every one listed counts as confirmed.
      if (preferred !== undefined) chainOverrides.endpointConfirmedAt = new Date().toISOString();
    }
    await this.save(next, { ...change }, operator);
    return this.resolve(next);
  }

  /** The officer checked these chains' endpoints at setup (mainnet and testnet watch nothing before). */
  async confirmEndpoints(chains: readonly Chain[], operator: string): Promise<Configuration> {
    const next: Stored = structuredClone(await this.load());
    next.profile = this.network;
    const at = new Date().toISOString();
    for (const chain of chains) {
      const resolved = this.resolveChain(next, chain);
      for (const url of resolved.rpcUrls) this.checkEndpoint(chain, url, resolved.ownNode);
      ((next.overrides[this.network] ??= {})[chain] ??= {}).endpointConfirmedAt = at;
    }
    await this.save(next, { confirmedEndpoints: chains.map((chain) => ({ chain, rpcUrls: this.resolveChain(next, chain).rpcUrls })) }, operator);
    return this.resolve(next);
  }

  /** Whether the chain may be watched: always on devnet, after the officer confirmed its endpoint elsewhere. */
  async endpointConfirmed(chain: Chain): Promise<boolean> {
    return this.resolveChain(await this.load(), chain).endpointConfirmed;
  }

  private checkEndpoint(chain: Chain, rpcUrl: string, ownNode: boolean): void {
    if (this.network !== 'mainnet' || ownNode) return;
    let host: string;
    try {
      host = new URL(rpcUrl).hostname;
    } catch {
      throw new DomainError('validation', `The ${chain} endpoint is not a URL.`);
    }
    if (isPrivateHost(host)) {
      throw new DomainError(
        'validation',
        `A mainnet workspace does not read ${chain} from a loopback or private address (${host}) unless the node is your own: tick "This node is ours" to use it.`,
        { chain, host },
      );
    }
  }

  private async save(next: Stored, change: Record<string, unknown>, operator: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await putSetting(trx, KEY, next);
      await this.audit.record({ operator, action: 'settings.changed', entity: { type: 'settings', id: KEY }, change }, trx);
    });
    this.cached = next;
    this.events.publish({ type: 'configuration.changed', profile: this.network });
  }

  private async load(): Promise<Stored> {
    if (this.cached) return this.cached;
    this.cached = await this.read();
    return this.cached;
  }

  private async read(): Promise<Stored> {
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
    if (!row) return { profile: this.network, overrides: {} };
    return storedSchema.parse(JSON.parse(row.value));
  }

  private resolveChain(stored: Stored, chain: Chain): ChainSettings {
    const defaults = DEFAULT_CHAIN_SETTINGS[this.network][chain];
    const { endpointConfirmedAt, ownNode, rpcUrls, ...override } = stored.overrides[this.network]?.[chain] ?? {};
    const urls = rpcUrls && rpcUrls.length > 0 ? rpcUrls : [override.rpcUrl ?? defaults.rpcUrl];
    return {
      ...defaults,
      ...override,
      rpcUrl: urls[0]!,
      rpcUrls: urls,
      ownNode: ownNode ?? false,
      endpointConfirmed: this.network === 'devnet' || endpointConfirmedAt !== undefined,
      endpointConfirmedAt: endpointConfirmedAt ?? null,
    };
  }

  private resolve(stored: Stored): Configuration {
    const chains = {} as Record<Chain, ChainSettings>;
    for (const chain of CHAINS) chains[chain] = this.resolveChain(stored, chain);
    return { profile: this.network, chains };
  }
}
