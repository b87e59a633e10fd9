import type { Kysely } from 'kysely';
import { z } from 'zod';
import { CHAINS, NETWORK_PROFILES, type Chain, type NetworkProfile } from '@shared/domain/chains';
import { DEFAULT_CHAIN_SETTINGS, type ChainSettings, type Configuration } from '@shared/domain/configuration';
import type { AuditLog } from '../audit/audit-log';
import type { Database } from '../db/schema';
import type { EventBus } from '../events';

const KEY = 'configuration';

/** What is stored: only what the officer changed, so new defaults reach installs that never touched them. */
const storedSchema = z.object({
  profile: z.enum(NETWORK_PROFILES),
  overrides: z.record(z.string(), z.record(z.string(), z.object({ rpcUrl: z.string().optional(), confirmations: z.number().optional(), feeFloorWei: z.string().optional() }))),
});
type Stored = z.infer<typeof storedSchema>;

export interface ConfigurationChange {
  profile?: NetworkProfile;
  chain?: Chain;
  rpcUrl?: string;
  confirmations?: number;
  feeFloorWei?: string;
}

export class ConfigurationService {
  /** Read on every money movement (the asset registry), written rarely: kept in memory, refreshed on write. */
  private cached: Stored | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly events: EventBus,
    private readonly initialProfile: NetworkProfile,
    private readonly audit: AuditLog,
  ) {}

  async get(): Promise<Configuration> {
    return this.resolve(await this.load());
  }

  async update(change: ConfigurationChange, operator = 'system'): Promise<Configuration> {
    const stored = await this.load();
    const next: Stored = structuredClone(stored);
    if (change.profile) next.profile = change.profile;
    if (change.chain) {
      const profileOverrides = (next.overrides[next.profile] ??= {});
      const chainOverrides = (profileOverrides[change.chain] ??= {});
      if (change.rpcUrl !== undefined) chainOverrides.rpcUrl = change.rpcUrl;
      if (change.confirmations !== undefined) chainOverrides.confirmations = change.confirmations;
      if (change.feeFloorWei !== undefined) chainOverrides.feeFloorWei = change.feeFloorWei;
    }
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('settings')
        .values({ key: KEY, value: JSON.stringify(next), updated_at: new Date().toISOString() })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(next), updated_at: new Date().toISOString() }))
        .execute();
      await this.audit.record(
        { operator, action: 'settings.changed', entity: { type: 'settings', id: KEY }, change: { ...change } },
        trx,
      );
    });
    this.cached = next;
    if (next.profile !== stored.profile) this.events.publish({ type: 'configuration.changed', profile: next.profile });
    return this.resolve(next);
  }

  private async load(): Promise<Stored> {
    if (this.cached) return this.cached;
    this.cached = await this.read();
    return this.cached;
  }

  private async read(): Promise<Stored> {
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
    if (!row) return { profile: this.initialProfile, overrides: {} };
    return storedSchema.parse(JSON.parse(row.value));
  }

  private resolve(stored: Stored): Configuration {
    const chains = {} as Record<Chain, ChainSettings>;
    for (const chain of CHAINS) {
      const defaults = DEFAULT_CHAIN_SETTINGS[stored.profile][chain];
      const override = stored.overrides[stored.profile]?.[chain] ?? {};
      chains[chain] = { ...defaults, ...override };
    }
    return { profile: stored.profile, chains };
  }
}
