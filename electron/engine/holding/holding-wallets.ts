import type { Kysely } from 'kysely';
import type { Chain } from '@shared/domain/chains';
import { DomainError } from '@shared/result';
import type { AuditLog } from '../audit/audit-log';
import type { ConfigurationService } from '../configuration/configuration-service';
import type { Database } from '../db/schema';

export interface HoldingWallet {
  chain: Chain;
  address: string;
  derivationPath: string;
  source: 'ledger' | 'virtual-ledger';
}

/**
 * Where the company's real assets sit on each chain of the current profile: one Ledger account per
 * chain, registered from the address the device itself reported. The workstation never holds its key.
 */
export class HoldingWallets {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly configuration: ConfigurationService,
    private readonly audit: AuditLog,
  ) {}

  async all(): Promise<HoldingWallet[]> {
    const { profile } = await this.configuration.get();
    const rows = await this.db.selectFrom('holding_wallets').selectAll().where('profile', '=', profile).orderBy('chain').execute();
    return rows.map((r) => ({ chain: r.chain as Chain, address: r.address, derivationPath: r.derivation_path, source: r.source as HoldingWallet['source'] }));
  }

  async find(chain: Chain): Promise<HoldingWallet | null> {
    return (await this.all()).find((h) => h.chain === chain) ?? null;
  }

  async require(chain: Chain): Promise<HoldingWallet> {
    const holding = await this.find(chain);
    if (!holding) throw new DomainError('not_found', `No holding wallet is registered for ${chain} yet: connect the Ledger and register it.`, { chain });
    return holding;
  }

  /** Records the holding address the device reported (caller checked it came from the device). */
  async register(wallet: HoldingWallet, operator = 'system'): Promise<HoldingWallet> {
    const { profile } = await this.configuration.get();
    const now = new Date().toISOString();
    await this.db.transaction().execute(async (trx) => {
      const previous = await trx.selectFrom('holding_wallets').selectAll().where('profile', '=', profile).where('chain', '=', wallet.chain).executeTakeFirst();
      const values = { address: wallet.address, derivation_path: wallet.derivationPath, source: wallet.source, registered_by: operator, registered_at: now };
      await trx
        .insertInto('holding_wallets')
        .values({ profile, chain: wallet.chain, ...values })
        .onConflict((oc) => oc.columns(['profile', 'chain']).doUpdateSet(values))
        .execute();
      await this.audit.record(
        {
          operator,
          action: 'holding.registered',
          entity: { type: 'holding_wallet', id: `${profile}:${wallet.chain}` },
          change: { address: wallet.address, path: wallet.derivationPath, source: wallet.source, previous: previous?.address ?? null },
        },
        trx,
      );
    });
    return wallet;
  }
}
