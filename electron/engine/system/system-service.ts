import { sql } from 'kysely';
import { CHAINS } from '@shared/domain/chains';
import type { SystemStatus } from '@shared/domain/system';
import type { ConfigurationService } from '../configuration/configuration-service';
import type { CustodyService } from '../custody/custody-service';
import type { OpenDatabase } from '../db/open';
import { probeChain } from './chain-health';
import { leaseName } from '../watch/chain-leases';

export class SystemService {
  private readonly startedAt = new Date().toISOString();

  constructor(
    private readonly database: OpenDatabase,
    private readonly configuration: ConfigurationService,
    private readonly custody: CustodyService,
    private readonly version: string,
    private readonly host: SystemStatus['host'],
  ) {}

  async status(): Promise<SystemStatus> {
    const config = await this.configuration.get();
    const [healthy, probed, custody, watchers] = await Promise.all([
      this.databaseHealthy(),
      // An endpoint the officer has not confirmed is not contacted at all, not even for its head.
      Promise.all(
        CHAINS.map((chain) =>
          config.chains[chain].endpointConfirmed
            ? probeChain(chain, config.chains[chain].rpcUrl)
            : Promise.resolve({ chain, endpoint: config.chains[chain].rpcUrl, reachable: false, awaitingConfirmation: true, error: 'endpoint not confirmed yet' }),
        ),
      ),
      this.custody.status(),
      this.database.leases.holders(CHAINS.map((chain) => leaseName('watch', chain))).catch(() => null),
    ]);
    const chains = probed.map((health) => (watchers ? { ...health, watchedBy: watchers.get(leaseName('watch', health.chain)) ?? null } : health));
    return {
      version: this.version,
      profile: config.profile,
      host: this.host,
      database: {
        dialect: this.database.dialect,
        location: this.database.location,
        migrations: this.database.appliedMigrations,
        healthy,
      },
      chains,
      custody,
      startedAt: this.startedAt,
      now: new Date().toISOString(),
    };
  }

  private async databaseHealthy(): Promise<boolean> {
    try {
      await sql`select 1`.execute(this.database.db);
      return true;
    } catch {
      return false;
    }
  }
}
