import { join } from 'node:path';
import type { NetworkProfile } from '@shared/domain/chains';
import type { SystemStatus } from '@shared/domain/system';
import { auditHandlers } from './api/audit';
import { configurationHandlers } from './api/configuration';
import { createDispatcher, type Dispatcher } from './api/dispatch';
import { systemHandlers } from './api/system';
import { transferHandlers } from './api/transfers';
import type { Handlers } from './api/types';
import { walletHandlers } from './api/wallets';
import { AssetRegistry } from './chains/asset-registry';
import { ConfigurationService } from './configuration/configuration-service';
import { CustodyService } from './custody/custody-service';
import type { ScryptParams } from './custody/seed-vault';
import { openDatabase, type DatabaseConfig, type OpenDatabase } from './db/open';
import { EventBus } from './events';
import { Ledger } from './ledger/ledger';
import { TransferService } from './ledger/transfer-service';
import { SystemService } from './system/system-service';
import { WalletService } from './wallets/wallet-service';

export interface EngineConfig {
  /** Data folder: database, encrypted seed, KYC files. */
  home: string;
  database?: DatabaseConfig;
  /** Profile used on first start, before the officer picks one in Settings. */
  initialProfile?: NetworkProfile;
  host: SystemStatus['host'];
  version?: string;
  /** Lower scrypt cost for tests only; the vault stores its own parameters. */
  scrypt?: ScryptParams;
  log?: (message: string, error?: unknown) => void;
}

export interface Engine {
  api: Dispatcher;
  events: EventBus;
  database: OpenDatabase;
  services: {
    configuration: ConfigurationService;
    system: SystemService;
    custody: CustodyService;
    assets: AssetRegistry;
    ledger: Ledger;
    wallets: WalletService;
    transfers: TransferService;
  };
  close(): Promise<void>;
}

/** Composition root: opens the database, runs migrations, builds every service. No Electron here. */
export async function createEngine(config: EngineConfig): Promise<Engine> {
  const log = config.log ?? ((message, error) => console.error(message, error ?? ''));
  const database = await openDatabase(config.database ?? { dialect: 'sqlite', path: join(config.home, 'treasury.sqlite') });
  const db = database.db;
  const events = new EventBus();
  const configuration = new ConfigurationService(db, events, config.initialProfile ?? 'devnet');
  const custody = new CustodyService(config.home, config.scrypt);
  const system = new SystemService(database, configuration, custody, config.version ?? '0.1.0', config.host);
  const assets = new AssetRegistry(configuration);
  const ledger = new Ledger(db);
  const wallets = new WalletService(db, custody, ledger, events);
  const transfers = new TransferService(db, ledger, wallets, assets);

  const handlers: Handlers = {
    system: systemHandlers(system, custody),
    configuration: configurationHandlers(configuration, assets),
    wallets: walletHandlers(wallets),
    transfers: transferHandlers(transfers, ledger, wallets),
    audit: auditHandlers(ledger),
  };
  const api = createDispatcher(handlers, (error, channel) => {
    // A failed transaction may have rolled back account rows the ledger had cached.
    ledger.forgetAccounts();
    log(`Unexpected error on ${channel}`, error);
  });

  return {
    api,
    events,
    database,
    services: { configuration, system, custody, assets, ledger, wallets, transfers },
    close: async () => {
      custody.lock();
      await database.close();
    },
  };
}
