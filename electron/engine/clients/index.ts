import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/audit-log';
import type { Database } from '../db/schema';
import type { WalletService } from '../wallets/wallet-service';
import { BankAccountService } from './bank-accounts';
import { BusinessClientService } from './business-clients';
import { ClientService } from './client-service';
import { KycFileStore } from './kyc-files';
import { WalletOwnership } from './wallet-ownership';

/** Clients, their KYC files, bank accounts and wallets, built once by the composition root. */
export interface ClientsModule {
  clients: ClientService;
  business: BusinessClientService;
  bankAccounts: BankAccountService;
  ownership: WalletOwnership;
  files: KycFileStore;
}

export function createClientsModule(deps: { db: Kysely<Database>; audit: AuditLog; wallets: WalletService; home: string; sharedDatabase?: boolean; today?: () => Date }): ClientsModule {
  const files = new KycFileStore(deps.home, deps.db, deps.sharedDatabase);
  const clients = new ClientService(deps.db, files, deps.audit, deps.today);
  const business = new BusinessClientService(deps.db, clients, files, deps.audit, deps.today);
  const bankAccounts = new BankAccountService(deps.db, clients, deps.audit);
  const ownership = new WalletOwnership(deps.db, clients, deps.wallets, deps.audit);
  return { clients, business, bankAccounts, ownership, files };
}
