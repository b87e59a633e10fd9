import type { Kysely } from 'kysely';
import { DomainError } from '@shared/result';
import { assertClientVerified } from '../controls/kyc-gate';
import type { BankAccountService } from '../clients/bank-accounts';
import type { ClientService } from '../clients/client-service';
import type { BankAccountRow, ClientRow, Database, WalletRow } from '../db/schema';

type Db = Kysely<Database>;

/**
 * The ramps' prerequisites, each refused with its own error, in the order an officer would fix them:
 * KYC verified (and the identity document still current), an active wallet of the client, and for an
 * off-ramp a verified bank account. Checked at request and again before money moves.
 */
export class RampEligibility {
  constructor(
    private readonly clients: ClientService,
    private readonly bankAccounts: BankAccountService,
  ) {}

  async client(clientId: string, ex: Db): Promise<ClientRow> {
    const client = await this.clients.row(clientId, ex);
    assertClientVerified(client, 'the ramps');
    await this.clients.assertIdentityCurrent(clientId, ex);
    return client;
  }

  /** The wallet must be the client's and active; a client with no active wallet at all is told so first. */
  async wallet(clientId: string, walletId: string, ex: Db): Promise<WalletRow> {
    const owned = await ex.selectFrom('wallets').selectAll().where('client_id', '=', clientId).execute();
    if (!owned.some((w) => w.status === 'active')) {
      throw new DomainError('no_active_wallet', 'The client has no active wallet; associate one first.', { clientId });
    }
    const wallet = owned.find((w) => w.id === walletId);
    if (!wallet) throw new DomainError('conflict', `Wallet ${walletId} does not belong to this client.`, { clientId, walletId });
    if (wallet.status !== 'active') {
      throw new DomainError('inactive_wallet', `Wallet "${wallet.label}" is ${wallet.status} and cannot take new ramp operations.`, { walletId, status: wallet.status });
    }
    return wallet;
  }

  async bankAccount(clientId: string, bankAccountId: string, ex: Db): Promise<BankAccountRow> {
    const accounts = (await this.bankAccounts.list(clientId, ex)).filter((a) => a.status === 'verified');
    if (accounts.length === 0) {
      throw new DomainError('no_verified_bank_account', 'The client has no verified bank account; add one and have an officer verify it.', { clientId });
    }
    const account = await this.bankAccounts.row(bankAccountId, ex);
    if (account.client_id !== clientId) throw new DomainError('conflict', 'The bank account does not belong to this client.', { clientId, bankAccountId });
    if (account.status !== 'verified') {
      throw new DomainError('no_verified_bank_account', `The bank account is ${account.status}; pay out only to a verified account.`, {
        bankAccountId,
        status: account.status,
      });
    }
    return account;
  }
}
