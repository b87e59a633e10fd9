import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/audit-log';
import type { Database } from '../db/schema';
import type { WalletService } from '../wallets/wallet-service';
import { BankAccountService } from './bank-accounts';
import { BusinessClientService } from './business-clients';
import { ClientService } from './client-service';
import { ClientDataKeys } from './data-keys';
import { ClientErasure } from './erasure';
import { KycFileStore } from './kyc-files';
import { sealPlaintext, type SealingResult } from './sealing-pass';
import type { Scrub } from '../db/sqlite/scrub';
import { WalletOwnership } from './wallet-ownership';

/** Clients, their KYC files, bank accounts and wallets, built once by the composition root. */
export interface ClientsModule {
  clients: ClientService;
  business: BusinessClientService;
  bankAccounts: BankAccountService;
  ownership: WalletOwnership;
  files: KycFileStore;
  keys: ClientDataKeys;
  erasure: ClientErasure;
  /**
   * Seals rows and files from before sealing (sealing-pass.ts), once per engine while the seed is open: the first
   * call with the seed open runs it, later calls wait for that run. Null while the seed is locked.
   */
  sealExisting(): Promise<SealingResult | null>;
}

export function createClientsModule(deps: {
  db: Kysely<Database>;
  audit: AuditLog;
  wallets: WalletService;
  home: string;
  /** The workspace's client-data secret from the open seed (CLIENT_DATA_LABEL); throws while locked. */
  dataSecret: () => Buffer;
  sharedDatabase?: boolean;
  today?: () => Date;
  /** Runs the sealing pass and erasures so the bytes they replace do not linger in the database file (db/sqlite/scrub.ts). */
  scrub?: Scrub;
}): ClientsModule {
  const keys = new ClientDataKeys(deps.db, deps.dataSecret);
  const files = new KycFileStore(deps.home, deps.db, deps.sharedDatabase, keys);
  const clients = new ClientService(deps.db, files, deps.audit, keys, deps.today);
  const business = new BusinessClientService(deps.db, clients, files, deps.audit, deps.today);
  const bankAccounts = new BankAccountService(deps.db, clients, deps.audit);
  const ownership = new WalletOwnership(deps.db, clients, deps.wallets, deps.audit);
  const scrub: Scrub = deps.scrub ?? ((work) => work());
  const erasure = new ClientErasure(deps.db, clients, keys, files, deps.audit, scrub, deps.today);
  let sealing: Promise<SealingResult> | null = null;
  const sealExisting = async (): Promise<SealingResult | null> => {
    if (!keys.available()) return null;
    sealing ??= scrub(() => sealPlaintext(deps.db, keys, files)).catch(
      (error: unknown) => {
        sealing = null; // the next call tries again; every row sealed so far stays sealed
        throw error;
      },
    );
    return sealing;
  };
  return { clients, business, bankAccounts, ownership, files, keys, erasure, sealExisting };
}
