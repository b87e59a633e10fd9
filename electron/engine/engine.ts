import { basename, dirname, join } from 'node:path';
import type { Chain, NetworkProfile } from '@shared/domain/chains';
import type { SystemStatus } from '@shared/domain/system';
import { auditHandlers } from './api/audit';
import { AuditTrail, kycDocumentSource } from './audit/audit-trail';
import { ChainReconciler } from './audit/chain-reconciliation';
import { AuditLog, KyselyAuditStatements } from './audit/audit-log';
import { SqliteAuditStatements } from './db/sqlite/audit-statements';
import { configurationHandlers } from './api/configuration';
import { createDispatcher, type Dispatcher } from './api/dispatch';
import { systemHandlers } from './api/system';
import { transferHandlers } from './api/transfers';
import type { Handlers } from './api/types';
import { walletHandlers } from './api/wallets';
import { AssetRegistry } from './chains/asset-registry';
import { ChainService, type ChainServiceOptions } from './chains/chain-service';
import { EndpointHealthStore } from './chains/endpoint-health-store';
import { ConfigurationService } from './configuration/configuration-service';
import { CustodyService } from './custody/custody-service';
import type { ScryptParams } from './custody/seed-vault';
import { databaseFromEnvironment, openDatabase, type DatabaseConfig, type OpenDatabase } from './db/open';
import { EventBus } from './events';
import { consoleLog } from './log';
import { balanceView } from './ledger/balance';
import { auditJournal } from './ledger/journal';
import { Ledger } from './ledger/ledger';
import { KyselyLedgerStatements } from './ledger/ledger-statements';
import { SqliteLedgerStatements } from './db/sqlite/ledger-statements';
import { PostgresAuditStatements } from './db/postgres/audit-statements';
import { PostgresLedgerStatements } from './db/postgres/ledger-statements';
import { TransferService } from './ledger/transfer-service';
import { ControlsSettingsStore } from './controls/controls-settings';
import { CompanyCreditRequests } from './controls/company-credits';
import { HoldingWallets } from './holding/holding-wallets';
import { SystemService } from './system/system-service';
import { WalletService } from './wallets/wallet-service';
import { sweepHandlers } from './api/sweeps';
import { alertHandlers } from './api/alerts';
import { AlertCenter } from './alerts/alert-center';
import { AlertMonitor } from './alerts/alert-monitor';
import { SweepRules } from './sweep/sweep-rules';
import { SweepRunner, type SweepRunnerOptions } from './sweep/sweep-runner';
import { DepositMinimums } from './watch/deposit-minimums';
import { WatchService, type WatchServiceOptions } from './watch/watch-service';
import { operatorHandlers } from './api/operators';
import { AccessGuard } from './operators/access-guard';
import { OperatorService, type SecretWrapper } from './operators/operator-service';
import { holdingHandlers } from './api/holding';
import { withdrawalHandlers } from './api/withdrawals';
import { createWithdrawalModule, type HoldingSignerConfig, type WithdrawalModule } from './withdraw';
import { clientHandlers } from './api/clients';
import { rampHandlers } from './api/ramps';
import { createClientsModule, type ClientsModule } from './clients';
import { CLIENT_DATA_LABEL } from './clients/data-keys';
import { personalDataForBundles } from './clients/bundle-rows';
import { scrubberFor } from './db/sqlite/scrub';
import { WriteBatch, type SharedWrites } from './db/write-batch';
import { createRampsModule, type RampsModule } from './ramps';
import { EnginePresence } from './system/presence';
import { processOwner } from './db/leases';
import { workspaceHandlers } from './api/workspaces';
import { RecoveryCheck } from './custody/recovery-check';
import { DATABASE_FILE } from './workspace/data-folder';
import { bindWorkspace } from './workspace/workspace-record';
import type { WorkspaceDoor } from './workspace/workspace-switcher';
import { backupHandlers } from './api/backups';
import { policyHandlers } from './api/policy';
import { activityHandlers } from './api/activity';
import { ActivityFeed } from './activity/activity-feed';
import { GlobalSearch } from './activity/search';
import { Quorum } from './controls/quorum';
import { PolicyProposals } from './controls/proposals';
import { controlsApplier, operatorApplier, withdrawalRulesApplier } from './controls/proposal-appliers';
import { BackupService, type BackupServiceOptions } from './backup/backup-service';
import { backupBeforeMigrations } from './backup/pre-migration';
import { applyStagedRestore } from './backup/restore';
import { RestoreService } from './backup/restore-service';
import { apiKeyHandlers } from './api/api-keys';
import { ApiKeyService } from './api-keys/api-key-service';
import { IdempotencyStore } from './idempotency/idempotency-store';
import { statementHandlers } from './api/statements';
import { valuationHandlers } from './api/valuation';
import { StatementBuilder } from './statements/statement-builder';
import { StatementService } from './statements/statement-service';
import { PriceBookStore } from './valuation/price-book';
import { ValuationService, type ValuationOptions } from './valuation/valuation-service';
import { webhookHandlers } from './api/webhooks';
import { createWebhooksModule, type WebhooksModule, type WebhooksOptions } from './webhooks';

export interface EngineConfig {
  /** Data folder: database, encrypted seed, KYC files. */
  home: string;
  database?: DatabaseConfig;
  /**
   * The network of this workspace (default devnet): its database records it when created and refuses to
   * open under another. Changing network is opening another workspace (workspace/workspace-switcher.ts).
   */
  network?: NetworkProfile;
  /**
   * What a database from before workspaces was started on, for telling its history (TREASURY_PROFILE then,
   * else devnet, the old default): records made before its first profile switch count as this network's.
   */
  legacyProfile?: NetworkProfile;
  /** The door's workspaces, where it can switch network (the app and the headless host); absent, this engine serves its one network. */
  workspace?: WorkspaceDoor;
  host: SystemStatus['host'];
  version?: string;
  /** Lower scrypt cost for tests only; the vault stores its own parameters. */
  scrypt?: ScryptParams;
  /** What this process is, as the others on a shared database see it: 'app', 'host', 'watcher'. */
  role?: string;
  /** Which implementation answers the ledger's write path (tests run both): the dialect's own (SQLite prepared statements, PostgreSQL pipelined) or the portable Kysely one. */
  ledgerStatements?: 'native' | 'kysely';
  log?: (message: string, error?: unknown) => void;
  /** Deposit watchers and the sweep runner (poll intervals, retries); their loops start only by startDepositWatchAndSweeps. */
  watch?: WatchServiceOptions;
  sweeps?: SweepRunnerOptions;
  /** Endpoint failover: cool-down, per-read timeout, lag allowed, how often other endpoints are asked. */
  chains?: ChainServiceOptions;
  /** The OS keychain (Electron safeStorage) that additionally wraps each operator's copy of the seed key. */
  osSecretWrapper?: SecretWrapper;
  /** Clock for sessions, the idle timeout and sign-in backoff (tests move it). */
  clock?: () => number;
  /** The Ledger that signs holding-wallet withdrawals: node-hid in the app, the virtual device on devnet and in tests. */
  signer?: HoldingSignerConfig;
  /** How often broadcast withdrawals are looked up on chain; 0 turns the timer off (tests call track()). Default 5000. */
  withdrawalTrackIntervalMs?: number;
  /** How often on-ramps whose fiat never came are expired; 0 turns the timer off. Default 60000. */
  rampExpiryIntervalMs?: number;
  /** The books' backups (schedule check, clock); their schedule starts only by startDepositWatchAndSweeps. */
  backups?: BackupServiceOptions;
  /** The daily custody snapshot (how often it is looked for); it starts only by startDepositWatchAndSweeps. */
  valuation?: Pick<ValuationOptions, 'snapshotCheckMs'>;
  /** Webhook delivery (poll, backoff, timeout, clock); its worker starts only by startDepositWatchAndSweeps. */
  webhooks?: WebhooksOptions;
}

export interface Engine {
  api: Dispatcher;
  events: EventBus;
  database: OpenDatabase;
  services: {
    /** The one place alerts are raised, counted, resolved and acknowledged. */
    alerts: AlertCenter;
    /** Causes looked at on a timer (approvals waiting, stuck sweeps and withdrawals, uncovered credit). */
    alertMonitor: AlertMonitor;
    /** This engine among the processes on the database (leases): which half-done work of others it may take over. */
    presence: EnginePresence;
    configuration: ConfigurationService;
    system: SystemService;
    custody: CustodyService;
    recovery: RecoveryCheck;
    assets: AssetRegistry;
    chains: ChainService;
    ledger: Ledger;
    audit: AuditLog;
    auditTrail: AuditTrail;
    wallets: WalletService;
    holding: HoldingWallets;
    transfers: TransferService;
    watch: WatchService;
    depositMinimums: DepositMinimums;
    sweepRules: SweepRules;
    sweeps: SweepRunner;
    operators: OperatorService;
    withdraw: WithdrawalModule;
    clients: ClientsModule;
    ramps: RampsModule;
    backups: BackupService;
    restore: RestoreService;
    /** Integration API keys (the /v1 door authenticates with them). */
    apiKeys: ApiKeyService;
    /** First outcomes of creates and moves per caller and Idempotency-Key, replayed to repeats. */
    idempotency: IdempotencyStore;
    /** The /v1 door's per-call records (audit, idempotency, last use) of concurrent calls, in shared transactions. */
    apiWrites: SharedWrites;
    statements: StatementService;
    prices: PriceBookStore;
    valuation: ValuationService;
    webhooks: WebhooksModule;
  };
  close(): Promise<void>;
}

/** Composition root: opens the database, runs migrations, builds every service. No Electron here. */
export async function createEngine(config: EngineConfig): Promise<Engine> {
  const log = config.log ?? consoleLog;
  const network = config.network ?? 'devnet';
  const databaseConfig = config.database ?? databaseFromEnvironment(join(config.home, DATABASE_FILE), process.env, network);
  // A restore staged by the last engine on this folder replaces the database before it opens.
  const restored = databaseConfig.dialect === 'sqlite' && databaseConfig.path !== ':memory:' ? applyStagedRestore(dirname(databaseConfig.path), basename(databaseConfig.path)) : null;
  const database = await openDatabase(databaseConfig, processOwner(config.role ?? 'engine'), {
    beforeMigrations: (sqlite, pending) => backupBeforeMigrations(sqlite, config.home, network, pending, log),
  });
  const db = database.db;
  const events = new EventBus();
  // On SQLite the ledger's and the audit log's write paths run as prepared statements on Kysely's own connection.
  // On PostgreSQL they send fewer round trips while the writer lock is held (db/postgres/pipeline.ts).
  const native = config.ledgerStatements !== 'kysely' ? database.sqlite : null;
  const pgNative = config.ledgerStatements !== 'kysely' && database.dialect === 'postgres';
  const audit = new AuditLog(db, native ? new SqliteAuditStatements(native) : pgNative ? new PostgresAuditStatements() : new KyselyAuditStatements());
  try {
    await bindWorkspace(db, network, audit, config.legacyProfile ?? config.workspace?.legacyProfile ?? 'devnet');
  } catch (error) {
    await database.close();
    throw error;
  }
  if (restored) {
    const { manifest } = restored;
    await audit.record({ operator: restored.requestedBy, action: 'backup.restored', entity: { type: 'backup', id: restored.name }, change: { createdAt: manifest.createdAt, auditSeq: manifest.auditHead.seq, cursors: manifest.cursors, replacedTo: restored.replacedTo ?? null } });
  }
  // Registered before any service records a change: from here on every audited change writes its webhook outbox rows.
  const alerts = new AlertCenter({ db, audit, events, ...(config.clock ? { now: config.clock } : {}) });
  const webhooks = createWebhooksModule({ db, audit, network, leases: database.leases, alerts }, { log, ...config.webhooks });
  const configuration = new ConfigurationService(db, events, network, audit);
  const custody = new CustodyService(config.home, config.scrypt);
  // The OS keychain wraps an operator's seed key for this machine only: on a database other workstations
  // share, their copy must open with the operator's passphrase alone.
  const osWrapper = database.dialect === 'sqlite' ? config.osSecretWrapper : undefined;
  const operators = new OperatorService(db, audit, custody, events, { scrypt: config.scrypt, now: config.clock, osWrapper });
  await operators.start();
  const recovery = new RecoveryCheck(db, operators, audit);
  const system = new SystemService(database, configuration, custody, config.version ?? '0.1.0', config.host);
  const endpointHealth = new EndpointHealthStore(db, log);
  const chains = new ChainService(configuration, config.chains, endpointHealth);
  const assets = new AssetRegistry(db, configuration, chains, audit);
  const statements = native ? new SqliteLedgerStatements(native) : pgNative ? new PostgresLedgerStatements() : new KyselyLedgerStatements();
  const ledger = new Ledger(db, statements, auditJournal(audit));
  const wallets = new WalletService(db, custody, ledger, audit, assets);
  const holding = new HoldingWallets(db, configuration, audit);
  const auditTrail = new AuditTrail({ home: config.home, database, db, audit, configuration, assets, reconciler: new ChainReconciler(db, configuration, assets, chains, holding) });
  ledger.onWrite((accounts) => {
    for (const account of accounts) {
      if (account.kind !== 'client_wallet' || !account.walletId) continue;
      const balance = balanceView('client_wallet', account.assetId, account.totals);
      events.publish({ type: 'balance.changed', walletId: account.walletId, ...balance });
    }
  });
  const controls = new ControlsSettingsStore(db, audit);
  // Items wait for their quorum of approvers; policy and role changes for a second admin.
  const quorum = new Quorum(db, controls, config.clock);
  const transfers = new TransferService(db, ledger, wallets, assets, controls);
  // Nothing reads a chain before the workspace is set up, nor (on mainnet and testnet) before its endpoint is confirmed.
  const chainReady = async (chain: Chain) => (await operators.workspaceSetUp()) && (await configuration.endpointConfirmed(chain));
  const depositMinimums = new DepositMinimums(db, configuration, assets, audit);
  const watch = new WatchService(
    { db, configuration, chains, assets, holding, transfers, ledger, audit, events, alerts, minimums: depositMinimums, leases: database.leases },
    { log, ready: chainReady, ...config.watch },
  );
  const sweepRules = new SweepRules(db, configuration, assets, audit);
  const sweeps = new SweepRunner({ db, configuration, chains, assets, holding, custody, ledger, audit, alerts, rules: sweepRules, leases: database.leases, events }, { log, ready: chainReady, ...config.sweeps });
  const presence = new EnginePresence(database.leases);
  await presence.start();
  const withdraw = createWithdrawalModule({ db, audit, alerts, events, configuration, chains, assets, holding, wallets, ledger, transfers, signer: config.signer, presence, log, custody, controls, quorum, clock: config.clock });
  const clock = config.clock;
  const sharedDatabase = database.dialect === 'postgres';
  const clients = createClientsModule({ db, audit, wallets, home: config.home, sharedDatabase, dataSecret: () => custody.secret(CLIENT_DATA_LABEL), scrub: scrubberFor(database.sqlite), ...(clock ? { today: () => new Date(clock()) } : {}) });
  auditTrail.registerDocuments(kycDocumentSource(db, config.home, () => clients.files.fetchShared()));
  auditTrail.registerPersonalData(personalDataForBundles(clients.keys, clients.files));
  // The off-ramp's crypto leg leaves the holding wallet through the withdrawals pipeline.
  const ramps = createRampsModule({ db, audit, events, ledger, transfers, assets, clients, controls, quorum, pipeline: withdraw.withdrawals, log, expiryIntervalMs: config.rampExpiryIntervalMs, ...(clock ? { now: () => new Date(clock()) } : {}) });

  const backups = new BackupService({ database, home: config.home, network, custody, audit, events, chains, holding, alerts }, { log, ...config.backups });
  if (restored) await backups.markRestored();
  const restore = new RestoreService({ database, home: config.home, network, custody, audit, door: config.workspace });

  // The integration API's per-call records (audit, idempotency, last use) of concurrent calls share commits: on
  // PostgreSQL with the ledger's own groups (one writer lock and commit for both), on SQLite in a batch of their own.
  const apiWrites: SharedWrites = database.dialect === 'postgres' ? ledger.group.riders : new WriteBatch(db);
  const apiKeys = new ApiKeyService(db, audit, config.clock, apiWrites);
  const idempotency = new IdempotencyStore(db, config.clock, undefined, apiWrites);
  const alertMonitor = new AlertMonitor({ db, alerts, configuration, assets, ledger }, { log, ...(config.clock ? { now: config.clock } : {}) });
  const now = clock ? () => new Date(clock()) : undefined;
  const clientStatements = new StatementService({
    home: config.home,
    db,
    audit,
    assets,
    builder: new StatementBuilder(db, assets, auditTrail.traceability, async () => (await configuration.get()).profile, async (id) => (await clients.clients.get(id)).legalName),
    now,
  });
  const prices = new PriceBookStore(db, assets, audit, now);
  const valuation = new ValuationService({ db, ledger, assets, prices }, { now, log, ...config.valuation });
  const proposals = new PolicyProposals(db, audit, quorum, config.clock);
  proposals.register('controls', controlsApplier(controls, db, assets));
  proposals.register('withdrawal_rules', withdrawalRulesApplier(withdraw.policy, assets));
  proposals.register('operator', operatorApplier(operators));

  const handlers: Handlers = {
    backups: backupHandlers(backups, restore),
    withdrawals: withdrawalHandlers(withdraw, controls, proposals, quorum, valuation),
    holding: holdingHandlers(withdraw),
    system: { ...systemHandlers(system, custody, audit, operators, recovery), ...workspaceHandlers(network, audit, config.workspace), ...operatorHandlers(operators, proposals), ...apiKeyHandlers(apiKeys) },
    configuration: configurationHandlers(configuration, assets, chains),
    wallets: walletHandlers(wallets, watch, depositMinimums),
    sweeps: sweepHandlers(sweeps, sweepRules, alerts, configuration),
    alerts: alertHandlers(alerts, configuration),
    transfers: transferHandlers(transfers, new CompanyCreditRequests(db, transfers, assets, audit, ledger, events, quorum, config.clock), ledger, wallets, quorum),
    audit: auditHandlers(ledger, audit, auditTrail),
    clients: clientHandlers(clients.clients, clients.bankAccounts, clients.ownership, clients.erasure, clients.business, () => clients.sealExisting()),
    ramps: rampHandlers(ramps.settings, ramps.onRamps, ramps.offRamps, ramps.simulator),
    statements: statementHandlers(clientStatements),
    valuation: valuationHandlers(prices, valuation),
    webhooks: webhookHandlers(webhooks),
    policy: policyHandlers(withdraw.policy.screening, proposals),
    activity: activityHandlers(
      new ActivityFeed(db, (clientId) => clients.clients.row(clientId).then((c) => c.legal_name || null, () => null)),
      new GlobalSearch(db, clients.clients),
      assets,
      configuration,
    ),
  };
  const api = createDispatcher(handlers, (error, channel) => log(`Unexpected error on ${channel}`, error), new AccessGuard(operators, audit, config.clock, apiKeys), idempotency);

  // Withdrawals cut short by a crash resume here; with the timer off (tests) the caller drives both.
  const trackIntervalMs = config.withdrawalTrackIntervalMs ?? 5000;
  if (trackIntervalMs > 0) {
    withdraw.tracker.resume().catch((error) => log('Resuming withdrawals failed', error));
    withdraw.tracker.start(trackIntervalMs);
  }

  return {
    api,
    events,
    database,
    services: { alerts, alertMonitor, presence, operators, configuration, system, custody, recovery, chains, assets, ledger, audit, auditTrail, wallets, holding, transfers, withdraw, clients, ramps, watch, depositMinimums, sweepRules, sweeps, backups, restore, apiKeys, idempotency, apiWrites, statements: clientStatements, prices, valuation, webhooks },
    close: async () => {
      await Promise.all([watch.stop(), sweeps.stop(), backups.stop(), alertMonitor.stop(), valuation.stop(), webhooks.worker.stop()]);
      await withdraw.tracker.stop();
      ramps.stop();
      await withdraw.signer.close();
      operators.stop();
      custody.lock();
      chains.close();
      await endpointHealth.flush();
      await presence.stop();
      await database.close();
    },
  };
}
