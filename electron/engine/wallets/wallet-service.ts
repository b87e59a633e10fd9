import type { Kysely } from 'kysely';
import { getAddress } from 'ethers';
import { chainFamily, CHAINS, type Chain } from '@shared/domain/chains';
import type { Page } from '@shared/domain/ledger';
import type { WalletStatus, WalletView } from '@shared/domain/wallets';
import { DomainError } from '@shared/result';
import type { AuditLog } from '../audit/audit-log';
import type { CustodyService } from '../custody/custody-service';
import type { Database, WalletRow } from '../db/schema';
import { effectId } from '../idempotency/effect-ids';
import type { Ledger } from '../ledger/ledger';
import { keysetPage, olderThanCursor } from '../db/keyset-page';
import { containsText } from '../db/dialect';
import type { AssetRegistry } from '../chains/asset-registry';
import { balanceOf } from '../ledger/balance';
import { totalsOf } from '../ledger/ledger';
import { formatAmount } from '@shared/money';
import { LIVE_WITHDRAWAL_STATES } from '@shared/domain/withdrawals';

/** In the officer's words: a suspended wallet is "disabled" (receives, cannot send); closed is final. */
export const WALLET_STATUS_WORDS: Record<WalletStatus, string> = { active: 'active', suspended: 'disabled', closed: 'closed' };

/** Closed is final; disabled (suspended) wallets can be enabled again. */
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
    /** To name what is left in a wallet that cannot close; without it (the offline review) amounts are not named. */
    private readonly assets?: AssetRegistry,
  ) {}

  async create(request: { chain: Chain; label: string }, operator = 'system'): Promise<WalletView> {
    const keyring = this.custody.keyring();
    const id = effectId();
    const row = await this.db.transaction().execute(async (trx) => {
      // A repeat of a request cut short by a crash meets the wallet its first run made.
      const made = await trx.selectFrom('wallets').selectAll().where('id', '=', id).executeTakeFirst();
      if (made) return made;
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
        id,
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
    assertActive(row);
    return row;
  }

  /** Several wallets in one read, each of which must exist and be active; in the order asked. */
  async activeRows(walletIds: string[], ex: Kysely<Database> = this.db): Promise<WalletRow[]> {
    return requireActive(walletIds, await ex.selectFrom('wallets').selectAll().where('id', 'in', walletIds).execute());
  }

  /**
   * The wallet whose deposit address this is, on any chain; an EVM address in any letter case. One indexed
   * read (chain, address), where a search over labels and addresses would scan every wallet and price each.
   */
  async byAddress(address: string): Promise<{ id: string; chain: Chain } | null> {
    const forms = new Set([address]);
    if (/^0x[0-9a-fA-F]{40}$/.test(address)) {
      forms.add(address.toLowerCase());
      forms.add(getAddress(address.toLowerCase()));
    }
    const row = await this.db.selectFrom('wallets').select(['id', 'chain']).where('chain', 'in', [...CHAINS]).where('address', 'in', [...forms]).executeTakeFirst();
    return row ? { id: row.id, chain: row.chain as Chain } : null;
  }

  async list(filter: { chain?: Chain; status?: WalletStatus; search?: string; cursor?: string; limit: number }): Promise<Page<WalletView>> {
    let query = this.db.selectFrom('wallets').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit + 1);
    if (filter.chain) query = query.where('chain', '=', filter.chain);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.search) query = query.where(containsText(this.db, ['label', 'address'], filter.search));
    if (filter.cursor) query = query.where(olderThanCursor(filter.cursor));
    return keysetPage(await query.execute(), filter.limit, (row) => this.view(row));
  }

  /** A new alias for the wallet; its address, history and balances stay. Audited with the old name. */
  async rename(walletId: string, label: string, operator = 'system'): Promise<WalletView> {
    const row = await this.row(walletId);
    if (row.label === label) return this.view(row);
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('wallets').set({ label, updated_at: new Date().toISOString() }).where('id', '=', walletId).execute();
      await this.audit.record({ operator, action: 'wallet.renamed', entity: { type: 'wallet', id: walletId }, change: { from: row.label, to: label } }, trx);
    });
    return this.get(walletId);
  }

  /**
   * Disable (suspended), enable (active) or close. Closing needs an empty wallet: nothing posted or pending in
   * any asset, no deposit still confirming, no withdrawal or company credit under way. A closed wallet keeps
   * its history, never opens again, and what reaches its address goes to unidentified funds.
   */
  async setStatus(walletId: string, status: WalletStatus, operator = 'system'): Promise<WalletView> {
    const row = await this.row(walletId);
    if (row.status === status) return this.view(row);
    if (!ALLOWED_STATUS_CHANGES[row.status].includes(status)) {
      throw new DomainError(row.status === 'closed' ? 'wallet_closed' : 'conflict', `A ${WALLET_STATUS_WORDS[row.status]} wallet cannot become ${WALLET_STATUS_WORDS[status]}.`, { walletId, status: row.status });
    }
    await this.db.transaction().execute(async (trx) => {
      if (status === 'closed') await this.assertEmpty(trx, row);
      await trx.updateTable('wallets').set({ status, updated_at: new Date().toISOString() }).where('id', '=', walletId).execute();
      await this.audit.record(
        { operator, action: 'wallet.status', entity: { type: 'wallet', id: walletId }, change: { from: row.status, to: status } },
        trx,
      );
    });
    return this.get(walletId);
  }

  /** In the closing transaction, so a deposit or transfer landing meanwhile is seen. Names what is left, in asset units. */
  private async assertEmpty(trx: Kysely<Database>, row: WalletRow): Promise<void> {
    const left: string[] = [];
    const accounts = await trx.selectFrom('ledger_accounts').selectAll().where('wallet_id', '=', row.id).where('kind', '=', 'client_wallet').execute();
    for (const account of accounts) {
      const balance = balanceOf('client_wallet', totalsOf(account));
      if (balance.posted === 0n && balance.pending === 0n) continue;
      const asset = await this.assets?.get(account.asset_id).catch(() => null);
      const units = (v: bigint) => (asset ? `${formatAmount(v < 0n ? -v : v, asset.decimals)} ${asset.symbol}` : 'an amount');
      left.push(balance.pending !== 0n ? `${units(balance.posted)} with ${units(balance.pending)} pending` : units(balance.posted));
    }
    const count = async (query: { executeTakeFirstOrThrow(): Promise<{ n: number | string | bigint }> }) => Number((await query.executeTakeFirstOrThrow()).n);
    const confirming = await count(trx.selectFrom('deposits').select((eb) => eb.fn.countAll<number>().as('n')).where('wallet_id', '=', row.id).where('state', '=', 'seen'));
    if (confirming > 0) left.push(`${confirming} deposit${confirming === 1 ? '' : 's'} still confirming`);
    const withdrawals = await count(trx.selectFrom('withdrawals').select((eb) => eb.fn.countAll<number>().as('n')).where('wallet_id', '=', row.id).where('state', 'in', [...LIVE_WITHDRAWAL_STATES]));
    if (withdrawals > 0) left.push(`${withdrawals} withdrawal${withdrawals === 1 ? '' : 's'} under way`);
    const credits = await count(trx.selectFrom('company_credits').select((eb) => eb.fn.countAll<number>().as('n')).where('wallet_id', '=', row.id).where('state', '=', 'requested'));
    if (credits > 0) left.push(`${credits} company credit${credits === 1 ? '' : 's'} awaiting approval`);
    if (left.length > 0) {
      throw new DomainError('wallet_not_empty', `Wallet "${row.label}" cannot be closed while it holds ${left.join(', ')}: move or settle it first.`, { walletId: row.id });
    }
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
    assertActive(row);
    return row;
  });
}

/** Only an active wallet moves money: a disabled one cannot send (nor be paid internally), a closed one does nothing. */
function assertActive(row: WalletRow): void {
  if (row.status === 'active') return;
  throw new DomainError('inactive_wallet', `Wallet "${row.label}" is ${WALLET_STATUS_WORDS[row.status]}.`, { walletId: row.id, status: row.status });
}
