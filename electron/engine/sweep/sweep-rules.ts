import type { Kysely } from 'kysely';
import type { Asset } from '@shared/domain/assets';
import type { Chain } from '@shared/domain/chains';
import type { SweepMode, SweepRuleView } from '@shared/domain/sweeps';
import type { AuditLog } from '../audit/audit-log';
import type { AssetRegistry } from '../chains/asset-registry';
import type { ConfigurationService } from '../configuration/configuration-service';
import type { Database } from '../db/schema';

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
        ? { asset, minAmount: BigInt(row.min_amount), mode: row.mode, intervalMinutes: row.interval_minutes, lastRunAt: row.last_run_at, isDefault: false }
        : { asset, ...defaults, lastRunAt: null, isDefault: true };
    });
  }

  async get(assetId: string): Promise<SweepRule> {
    const asset = await this.assets.get(assetId);
    return (await this.all(asset.chain)).find((r) => r.asset.id === assetId)!;
  }

  async update(change: { assetId: string; minAmount: bigint; mode: SweepMode; intervalMinutes?: number }, operator = 'system'): Promise<SweepRule> {
    const current = await this.get(change.assetId);
    const { profile } = await this.configuration.get();
    const values = {
      min_amount: change.minAmount.toString(),
      mode: change.mode,
      interval_minutes: change.intervalMinutes ?? current.intervalMinutes,
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
            from: { minAmount: current.minAmount.toString(), mode: current.mode, intervalMinutes: current.intervalMinutes },
            to: { minAmount: values.min_amount, mode: values.mode, intervalMinutes: values.interval_minutes },
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
    defaults: { minAmount: defaults.minAmount.toString(), mode: defaults.mode, intervalMinutes: defaults.intervalMinutes },
  };
}
