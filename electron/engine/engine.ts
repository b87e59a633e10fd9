import { join } from 'node:path';
import type { NetworkProfile } from '@shared/domain/chains';
import type { SystemStatus } from '@shared/domain/system';
import { configurationHandlers } from './api/configuration';
import { createDispatcher, type Dispatcher } from './api/dispatch';
import { systemHandlers } from './api/system';
import type { Handlers } from './api/types';
import { ConfigurationService } from './configuration/configuration-service';
import { openDatabase, type DatabaseConfig, type OpenDatabase } from './db/open';
import { EventBus } from './events';
import { SystemService } from './system/system-service';

export interface EngineConfig {
  /** Data folder: database, encrypted seed, KYC files. */
  home: string;
  database?: DatabaseConfig;
  /** Profile used on first start, before the officer picks one in Settings. */
  initialProfile?: NetworkProfile;
  host: SystemStatus['host'];
  version?: string;
  log?: (message: string, error?: unknown) => void;
}

export interface Engine {
  api: Dispatcher;
  events: EventBus;
  database: OpenDatabase;
  services: {
    configuration: ConfigurationService;
    system: SystemService;
  };
  close(): Promise<void>;
}

/** Composition root: opens the database, runs migrations, builds every service. No Electron here. */
export async function createEngine(config: EngineConfig): Promise<Engine> {
  const log = config.log ?? ((message, error) => console.error(message, error ?? ''));
  const database = await openDatabase(config.database ?? { dialect: 'sqlite', path: join(config.home, 'treasury.sqlite') });
  const events = new EventBus();
  const configuration = new ConfigurationService(database.db, events, config.initialProfile ?? 'devnet');
  const system = new SystemService(database, configuration, config.version ?? '0.1.0', config.host);

  const handlers: Handlers = {
    system: systemHandlers(system),
    configuration: configurationHandlers(configuration),
  };
  const api = createDispatcher(handlers, (error, channel) => log(`Unexpected error on ${channel}`, error));

  return {
    api,
    events,
    database,
    services: { configuration, system },
    close: () => database.close(),
  };
}
