import type { Kysely } from 'kysely';
import type { WalletView } from '@shared/domain/wallets';
import { DomainError } from '@shared/result';
import type { AuditLog } from '../audit/audit-log';
import type { Database, WalletRow } from '../db/schema';
import type { WalletService } from '../wallets/wallet-service';
import type { ClientService } from './client-service';

type Db = Kysely<Database>;

/**
 * Which client owns which wallet: one wallet belongs to exactly one client, a client may own many
 * across chains and purposes. Only an active wallet can be given to a client.
 */
export class WalletOwnership {
  constructor(
    private readonly db: Db,
    private readonly clients: ClientService,
    private readonly wallets: WalletService,
    private readonly audit: AuditLog,
  ) {}

  async associate(clientId: string, walletId: string, operator = 'system'): Promise<WalletView> {
    await this.db.transaction().execute(async (trx) => {
      const client = await this.clients.row(clientId, trx);
      if (client.kyc_status === 'rejected') {
        throw new DomainError('conflict', 'A rejected client cannot be given wallets; correct and resubmit the KYC first.', { kycStatus: client.kyc_status });
      }
      const wallet = await this.wallets.activeRow(walletId, trx);
      if (wallet.client_id === clientId) return;
      if (wallet.client_id !== null) {
        throw new DomainError('conflict', `Wallet "${wallet.label}" already belongs to another client.`, { walletId, clientId: wallet.client_id });
      }
      // The guard in the update keeps a concurrent association from taking the same wallet.
      const result = await trx
        .updateTable('wallets')
        .set({ client_id: clientId, updated_at: new Date().toISOString() })
        .where('id', '=', walletId)
        .where('client_id', 'is', null)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) throw new DomainError('conflict', `Wallet "${wallet.label}" was just associated with another client.`);
      await this.audit.record(
        { operator, action: 'wallet.associated', entity: { type: 'wallet', id: walletId }, change: { clientId, chain: wallet.chain, address: wallet.address } },
        trx,
      );
    });
    return this.wallets.get(walletId);
  }

  async walletsOf(clientId: string, ex: Db = this.db): Promise<WalletRow[]> {
    await this.clients.row(clientId, ex);
    return ex.selectFrom('wallets').selectAll().where('client_id', '=', clientId).orderBy('created_at').orderBy('id').execute();
  }

  async list(clientId: string): Promise<WalletView[]> {
    const rows = await this.walletsOf(clientId);
    return Promise.all(rows.map((row) => this.wallets.get(row.id)));
  }
}
