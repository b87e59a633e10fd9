import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { chainFamily, CHAINS, type Chain } from '@shared/domain/chains';
import type { Page } from '@shared/domain/ledger';
import type { WalletStatus, WalletView } from '@shared/domain/wallets';
import { DomainError } from '@shared/result';
import type { AuditLog } from '../audit/audit-log';
import type { CustodyService } from '../custody/custody-service';
import type { Database, WalletRow } from '../db/schema';
import type { Ledger } from '../ledger/ledger';
import { keysetPage, olderThanCursor } from '../db/keyset-page';
import { containsText } from '../db/dialect';

/** Closed is final; suspended wallets can come back. */
const ALLOWED_STATUS_CHANGES: Record<WalletStatus, WalletStatus[]> = {
  active: ['suspended', 'closed'],
  suspended: ['active', 'closed'],
  closed: [],
};

export class WalletService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly custody: CustodyService,
    private readonly ledger: Ledger,
    private readonly audit: AuditLog,
  ) {}

  async create(request: { chain: Chain; label: string }, operator = 'system'): Promise<WalletView> {
    const keyring = this.custody.keyring();
    const row = await this.db.transaction().execute(async (trx) => {
      // Polygon and BNB Chain derive on the same coin type, so index i is one address on both: indexes are
      // allocated per chain family, so no EVM address ever belongs to two wallets (a deposit sent on the
      // wrong EVM chain still lands on its owner's address).
      const family = CHAINS.filter((c) => chainFamily(c) === chainFamily(request.chain));
      const last = await trx
        .selectFrom('wallets')
        .select((eb) => eb.fn.max('derivation_index').as('max'))
        .where('chain', 'in', family)
        .executeTakeFirst();
      const index = last?.max === null || last?.max === undefined ? 0 : Number(last.max) + 1;
      const now = new Date().toISOString();
      const wallet = {
        id: randomUUID(),
        chain: request.chain,
        address: keyring.depositAddress(request.chain, index),
        derivation_index: index,
        label: request.label,
        status: 'active' as const,
        client_id: null,
        created_at: now,
        updated_at: now,
      };
      await trx.insertInto('wallets').values(wallet).execute();
      await this.audit.record(
        {
          operator,
          action: 'wallet.created',
          entity: { type: 'wallet', id: wallet.id },
          change: { chain: wallet.chain, address: wallet.address, derivationIndex: index, label: wallet.label },
        },
        trx,
      );
      return wallet;
    });
    return this.view(row);
  }

  async get(walletId: string): Promise<WalletView> {
    return this.view(await this.row(walletId));
  }

  async row(walletId: string, ex: Kysely<Database> = this.db): Promise<WalletRow> {
    const row = await ex.selectFrom('wallets').selectAll().where('id', '=', walletId).executeTakeFirst();
    if (!row) throw new DomainError('not_found', `Wallet ${walletId} does not exist.`, { walletId });
    return row;
  }

  /** The wallet, which must be active to move money. */
  async activeRow(walletId: string, ex: Kysely<Database> = this.db): Promise<WalletRow> {
    const row = await this.row(walletId, ex);
    if (row.status !== 'active') {
      throw new DomainError('inactive_wallet', `Wallet "${row.label}" is ${row.status}.`, { walletId, status: row.status });
    }
    return row;
  }

  /** Several wallets in one read, each of which must exist and be active; in the order asked. */
  async activeRows(walletIds: string[], ex: Kysely<Database> = this.db): Promise<WalletRow[]> {
    return requireActive(walletIds, await ex.selectFrom('wallets').selectAll().where('id', 'in', walletIds).execute());
  }

  async list(filter: { chain?: Chain; status?: WalletStatus; search?: string; cursor?: string; limit: number }): Promise<Page<WalletView>> {
    let query = this.db.selectFrom('wallets').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit + 1);
    if (filter.chain) query = query.where('chain', '=', filter.chain);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.search) query = query.where(containsText(this.db, ['label', 'address'], filter.search));
    if (filter.cursor) query = query.where(olderThanCursor(filter.cursor));
    return keysetPage(await query.execute(), filter.limit, (row) => this.view(row));
  }

  async setStatus(walletId: string, status: WalletStatus, operator = 'system'): Promise<WalletView> {
    const row = await this.row(walletId);
    if (row.status === status) return this.view(row);
    if (!ALLOWED_STATUS_CHANGES[row.status].includes(status)) {
      throw new DomainError('conflict', `A ${row.status} wallet cannot become ${status}.`);
    }
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('wallets').set({ status, updated_at: new Date().toISOString() }).where('id', '=', walletId).execute();
      await this.audit.record(
        { operator, action: 'wallet.status', entity: { type: 'wallet', id: walletId }, change: { from: row.status, to: status } },
        trx,
      );
    });
    return this.get(walletId);
  }

  private async view(row: WalletRow): Promise<WalletView> {
    return {
      id: row.id,
      chain: row.chain as Chain,
      address: row.address,
      label: row.label,
      status: row.status,
      clientId: row.client_id,
      derivationIndex: row.derivation_index,
      createdAt: row.created_at,
      balances: await this.ledger.walletBalances(row.id),
    };
  }
}

/** The wallets asked for, in that order, out of the rows read; each must exist and be active. */
export function requireActive<R extends WalletRow>(walletIds: string[], rows: R[]): R[] {
  return walletIds.map((walletId) => {
    const row = rows.find((r) => r.id === walletId);
    if (!row) throw new DomainError('not_found', `Wallet ${walletId} does not exist.`, { walletId });
    if (row.status !== 'active') {
      throw new DomainError('inactive_wallet', `Wallet "${row.label}" is ${row.status}.`, { walletId, status: row.status });
    }
    return row;
  });
}
