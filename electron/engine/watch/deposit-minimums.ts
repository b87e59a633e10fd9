import type { Kysely } from 'kysely';
import type { Asset } from '@shared/domain/assets';
import type { Chain } from '@shared/domain/chains';
import type { DepositMinimumView } from '@shared/domain/deposits';
import type { AuditLog } from '../audit/audit-log';
import type { AssetRegistry } from '../chains/asset-registry';
import type { ConfigurationService } from '../configuration/configuration-service';
import type { Database } from '../db/schema';

const STABLECOINS = new Set(['USDT', 'USDC']);

/**
 * The visible default: one whole token for the well-known stablecoins (CryptoMate states a 1 USD minimum;
 * less is not worth the gas of its sweep), none for native coins and custom tokens until the officer sets one.
 */
export function defaultDepositMinimum(asset: Asset): bigint {
  return asset.contract !== null && STABLECOINS.has(asset.symbol) && asset.id === `${asset.chain}:${asset.symbol}` ? 10n ** BigInt(asset.decimals) : 0n;
}

/** Minimum deposit per asset of the current profile: a deposit below it is recorded, not credited to the client. */
export class DepositMinimums {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly configuration: ConfigurationService,
    private readonly assets: AssetRegistry,
    private readonly audit: AuditLog,
  ) {}

  async all(chain?: Chain): Promise<DepositMinimumView[]> {
    const { profile } = await this.configuration.get();
    const rows = await this.db.selectFrom('deposit_minimums').selectAll().where('profile', '=', profile).execute();
    const byAsset = new Map(rows.map((r) => [r.asset_id, r]));
    return (await this.assets.list(chain)).map((asset) => {
      const row = byAsset.get(asset.id);
      const fallback = defaultDepositMinimum(asset).toString();
      return { assetId: asset.id, chain: asset.chain, minAmount: row ? String(row.min_amount) : fallback, isDefault: !row, defaultMinAmount: fallback };
    });
  }

  async of(asset: Asset): Promise<bigint> {
    const { profile } = await this.configuration.get();
    const row = await this.db.selectFrom('deposit_minimums').select('min_amount').where('profile', '=', profile).where('asset_id', '=', asset.id).executeTakeFirst();
    return row ? BigInt(row.min_amount) : defaultDepositMinimum(asset);
  }

  async set(assetId: string, minAmount: bigint, operator: string): Promise<DepositMinimumView> {
    const asset = await this.assets.get(assetId);
    const { profile } = await this.configuration.get();
    const before = await this.of(asset);
    const values = { min_amount: minAmount.toString(), updated_by: operator, updated_at: new Date().toISOString() };
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('deposit_minimums')
        .values({ profile, asset_id: asset.id, ...values })
        .onConflict((oc) => oc.columns(['profile', 'asset_id']).doUpdateSet(values))
        .execute();
      await this.audit.record(
        { operator, action: 'deposit.minimum_changed', entity: { type: 'deposit_minimum', id: `${profile}:${asset.id}` }, change: { from: before.toString(), to: values.min_amount } },
        trx,
      );
    });
    return (await this.all(asset.chain)).find((m) => m.assetId === asset.id)!;
  }
}
