import type { Kysely } from 'kysely';
import type { Asset } from '@shared/domain/assets';
import { wellKnownAssets } from '@shared/domain/assets';
import type { Chain, NetworkProfile } from '@shared/domain/chains';
import { DomainError } from '@shared/result';
import type { AuditLog } from '../audit/audit-log';
import type { ConfigurationService } from '../configuration/configuration-service';
import type { Database } from '../db/schema';
import type { ChainService } from './chain-service';

const SYMBOL = /^[A-Za-z0-9.$_-]{1,16}$/;
const MAX_DECIMALS = 36;

/** Why a contract's own symbol or decimals cannot be used (spam tokens put URLs in their symbol), or null. */
export function tokenMetadataProblem(metadata: { symbol: string; decimals: number }): string | null {
  if (!SYMBOL.test(metadata.symbol)) return `The contract reports a symbol that cannot be shown safely: ${JSON.stringify(metadata.symbol.slice(0, 40))}.`;
  if (!Number.isInteger(metadata.decimals) || metadata.decimals < 0 || metadata.decimals > MAX_DECIMALS) {
    return `The contract reports ${metadata.decimals} decimals, outside 0 to ${MAX_DECIMALS}.`;
  }
  return null;
}

/**
 * The assets of the current network profile: the well-known ones plus tokens an admin registered.
 * Decimals come from here (for custom tokens, read from the contract itself), never from user input.
 */
export class AssetRegistry {
  private cache: { profile: NetworkProfile; assets: Asset[] } | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly configuration: ConfigurationService,
    private readonly chains: ChainService,
    private readonly audit: AuditLog,
  ) {}

  async list(chain?: Chain): Promise<Asset[]> {
    // The workspace's network never changes (another network is another workspace): no settings read per call.
    const profile = this.configuration.network;
    if (this.cache?.profile !== profile) {
      const custom = await this.db.selectFrom('custom_tokens').selectAll().where('profile', '=', profile).orderBy('added_at').execute();
      const assets = [
        ...wellKnownAssets(profile),
        ...custom.map((t) => ({ id: `${t.chain}:${t.contract}`, chain: t.chain as Chain, symbol: t.symbol, decimals: t.decimals, contract: t.contract })),
      ];
      this.cache = { profile, assets };
    }
    return chain ? this.cache.assets.filter((a) => a.chain === chain) : this.cache.assets;
  }

  async get(assetId: string): Promise<Asset> {
    const asset = (await this.list()).find((a) => a.id === assetId);
    if (!asset) throw new DomainError('not_found', `Asset ${assetId} is not available on this network profile.`, { assetId });
    return asset;
  }

  /** Registers a token by contract: symbol and decimals are read from the chain, never typed in. */
  async addToken(chain: Chain, contractInput: string, operator = 'system'): Promise<Asset> {
    const contract = await this.chains.normalizeAddress(chain, contractInput);
    const known = (await this.list(chain)).find((a) => a.contract?.toLowerCase() === contract.toLowerCase());
    if (known) throw new DomainError('conflict', `${known.symbol} at ${contract} is already registered on ${chain}.`, { assetId: known.id });
    const metadata = await this.chains.call(chain, (adapter) => adapter.tokenMetadata(contract));
    const problem = tokenMetadataProblem(metadata);
    if (problem) throw new DomainError('validation', problem);
    const { profile } = await this.configuration.get();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('custom_tokens')
        .values({ profile, chain, contract, symbol: metadata.symbol, decimals: metadata.decimals, added_by: operator, added_at: new Date().toISOString() })
        .execute();
      await this.audit.record(
        { operator, action: 'asset.registered', entity: { type: 'asset', id: `${chain}:${contract}` }, change: { profile, ...metadata } },
        trx,
      );
    });
    this.cache = null;
    return this.get(`${chain}:${contract}`);
  }
}
