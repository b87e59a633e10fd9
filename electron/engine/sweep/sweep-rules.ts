import type { Kysely } from 'kysely';
import type { Asset } from '@shared/domain/assets';
import type { Chain } from '@shared/domain/chains';
import type { SweepMode, SweepRuleView } from '@shared/domain/sweeps';
import type { AuditLog } from '../audit/audit-log';
import type { AssetRegistry } from '../chains/asset-registry';
import type { ConfigurationService } from '../configuration/configuration-service';
import type { Database } from '../db/schema';
import { parsePercent } from '@shared/client-fee-math';
import { parseAmount } from '@shared/money';
import { DomainError } from '@shared/result';

/**
 * The visible defaults: sweep as soon as a deposit is confirmed once at least one whole coin or token is
 * waiting (a smaller amount is not worth the gas on mainnet), with an hourly schedule when the officer picks it.
 */
export function defaultRule(asset: Asset): { minAmount: bigint; mode: SweepMode; intervalMinutes: number } {
  return { minAmount: 10n ** BigInt(asset.decimals), mode: 'on_confirmation', intervalMinutes: 60 };
}

export interface SweepRule {
  asset: Asset;
  minAmount: bigint;
  mode: SweepMode;
  intervalMinutes: number;
  lastRunAt: string | null;
  isDefault: boolean;
  maxFeePercent: string | null;
  nativePrice: string | null;
}

/** Sweep rules per asset of the current profile: a stored row once the officer changed it, else the default. */
export class SweepRules {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly configuration: ConfigurationService,
    private readonly assets: AssetRegistry,
    private readonly audit: AuditLog,
  ) {}

  async all(chain?: Chain): Promise<SweepRule[]> {
    const { profile } = await this.configuration.get();
    const rows = await this.db.selectFrom('sweep_rules').selectAll().where('profile', '=', profile).execute();
    const byAsset = new Map(rows.map((r) => [r.asset_id, r]));
    return (await this.assets.list(chain)).map((asset) => {
      const row = byAsset.get(asset.id);
      const defaults = defaultRule(asset);
      return row
        ? { asset, minAmount: BigInt(row.min_amount), mode: row.mode, intervalMinutes: row.interval_minutes, lastRunAt: row.last_run_at, isDefault: false, maxFeePercent: row.max_fee_percent ?? null, nativePrice: row.native_price ?? null }
        : { asset, ...defaults, lastRunAt: null, isDefault: true, maxFeePercent: null, nativePrice: null };
    });
  }

  async get(assetId: string): Promise<SweepRule> {
    const asset = await this.assets.get(assetId);
    return (await this.all(asset.chain)).find((r) => r.asset.id === assetId)!;
  }

  async update(
    change: { assetId: string; minAmount: bigint; mode: SweepMode; intervalMinutes?: number; maxFeePercent?: string | null; nativePrice?: string | null },
    operator = 'system',
  ): Promise<SweepRule> {
    const current = await this.get(change.assetId);
    const { profile } = await this.configuration.get();
    const maxFeePercent = change.maxFeePercent === undefined ? current.maxFeePercent : change.maxFeePercent;
    const nativePrice = change.nativePrice === undefined ? current.nativePrice : change.nativePrice;
    if (maxFeePercent !== null) parsePercent(maxFeePercent);
    if (maxFeePercent !== null && current.asset.contract !== null && nativePrice === null) {
      throw new DomainError('validation', `A fee limit for ${current.asset.symbol} needs the value of one native coin in ${current.asset.symbol} to compare the fee with the amount.`, {
        assetId: change.assetId,
      });
    }
    if (nativePrice !== null) parseAmount(nativePrice, current.asset.decimals);
    const values = {
      min_amount: change.minAmount.toString(),
      mode: change.mode,
      interval_minutes: change.intervalMinutes ?? current.intervalMinutes,
      max_fee_percent: maxFeePercent,
      native_price: nativePrice,
      updated_by: operator,
      updated_at: new Date().toISOString(),
    };
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('sweep_rules')
        .values({ profile, asset_id: change.assetId, ...values, last_run_at: current.lastRunAt })
        .onConflict((oc) => oc.columns(['profile', 'asset_id']).doUpdateSet(values))
        .execute();
      await this.audit.record(
        {
          operator,
          action: 'sweep.rule_changed',
          entity: { type: 'sweep_rule', id: `${profile}:${change.assetId}` },
          change: {
            from: { minAmount: current.minAmount.toString(), mode: current.mode, intervalMinutes: current.intervalMinutes, maxFeePercent: current.maxFeePercent, nativePrice: current.nativePrice },
            to: { minAmount: values.min_amount, mode: values.mode, intervalMinutes: values.interval_minutes, maxFeePercent, nativePrice },
          },
        },
        trx,
      );
    });
    return this.get(change.assetId);
  }

  /** Remembers when a scheduled rule last ran, so a restart does not run it again early. */
  async markRun(assetId: string, at: string): Promise<void> {
    const { profile } = await this.configuration.get();
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('sweep_rules').set({ last_run_at: at }).where('profile', '=', profile).where('asset_id', '=', assetId).execute();
      await this.audit.record({ operator: 'system', action: 'sweep.schedule_ran', entity: { type: 'sweep_rule', id: `${profile}:${assetId}` }, change: { at } }, trx);
    });
  }
}

export function ruleView(rule: SweepRule): SweepRuleView {
  const defaults = defaultRule(rule.asset);
  return {
    assetId: rule.asset.id,
    chain: rule.asset.chain,
    minAmount: rule.minAmount.toString(),
    mode: rule.mode,
    intervalMinutes: rule.intervalMinutes,
    isDefault: rule.isDefault,
    maxFeePercent: rule.maxFeePercent,
    nativePrice: rule.nativePrice,
    defaults: { minAmount: defaults.minAmount.toString(), mode: defaults.mode, intervalMinutes: defaults.intervalMinutes },
  };
}
