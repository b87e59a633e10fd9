import type { CustodyService } from '../custody/custody-service';
import { DestinationRules } from './destination-rules';
import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/audit-log';
import type { AlertCenter } from '../alerts/alert-center';
import type { AssetRegistry } from '../chains/asset-registry';
import type { ChainService } from '../chains/chain-service';
import type { ConfigurationService } from '../configuration/configuration-service';
import type { Database } from '../db/schema';
import type { EventBus } from '../events';
import type { HoldingWallets } from '../holding/holding-wallets';
import type { Ledger } from '../ledger/ledger';
import type { TransferService } from '../ledger/transfer-service';
import type { WalletService } from '../wallets/wallet-service';
import { HoldingSigner, type HoldingSignerConfig } from './holding-signer';
import { HoldingTreasury } from './holding-treasury';
import { WithdrawalPolicyService } from './withdrawal-policy';
import { WithdrawalRecords } from './withdrawal-records';
import { WithdrawalService } from './withdrawal-service';
import { WithdrawalSigning } from './withdrawal-signing';
import { WithdrawalTracker } from './withdrawal-tracker';
import { WithdrawalFees } from './withdrawal-fees';
import { ClientFeeSchedules } from './client-fee-schedule';
import type { EnginePresence } from '../system/presence';
import type { ControlsSettingsStore } from '../controls/controls-settings';
import { DenyListScreening } from '../controls/screening';
import type { Quorum } from '../controls/quorum';

export type { HoldingSignerConfig } from './holding-signer';
export { holdingPath } from './holding-signer';

/** The withdrawal part of the engine, built once by the composition root. */
export interface WithdrawalModule {
  withdrawals: WithdrawalService;
  signing: WithdrawalSigning;
  tracker: WithdrawalTracker;
  policy: WithdrawalPolicyService;
  treasury: HoldingTreasury;
  signer: HoldingSigner;
  fees: WithdrawalFees;
  clientFees: ClientFeeSchedules;
}

export function createWithdrawalModule(deps: {
  db: Kysely<Database>;
  audit: AuditLog;
  alerts: AlertCenter;
  events: EventBus;
  configuration: ConfigurationService;
  chains: ChainService;
  assets: AssetRegistry;
  holding: HoldingWallets;
  wallets: WalletService;
  ledger: Ledger;
  transfers: TransferService;
  signer?: HoldingSignerConfig;
  /** This engine among the others on the database: nonces it reserves carry its id. */
  presence: EnginePresence;
  log: (message: string, error?: unknown) => void;
  /** The controls' settings (the whitelist time lock) and the engine clock that runs it. */
  controls: ControlsSettingsStore;
  /** n-of-m approvals of withdrawals and whitelistings */
  quorum: Quorum;
  clock?: () => number;
  /** Lets the destination rules recognise our gas tanks while the seed is open. */
  custody?: CustodyService;
}): WithdrawalModule {
  const { db, configuration, chains, assets, holding, ledger } = deps;
  const records = new WithdrawalRecords(db, deps.audit, deps.events);
  const signer = new HoldingSigner(deps.signer, configuration, deps.events);
  const destinations = new DestinationRules(db, chains, assets, holding, deps.custody);
  const screening = new DenyListScreening(db, configuration, deps.audit, deps.alerts, deps.clock);
  const policy = new WithdrawalPolicyService(db, configuration, destinations, deps.audit, deps.controls, screening, deps.quorum, deps.clock);
  const clientFees = new ClientFeeSchedules(db, deps.audit, assets);
  const withdrawals = new WithdrawalService(db, records, policy, configuration, chains, assets, holding, deps.wallets, ledger, deps.transfers, destinations, clientFees, deps.quorum);
  const signing = new WithdrawalSigning(db, records, chains, assets, holding, signer, deps.presence, ledger);
  const tracker = new WithdrawalTracker(db, records, configuration, chains, assets, ledger, withdrawals, signing, deps.presence, deps.log, deps.alerts);
  const treasury = new HoldingTreasury(configuration, chains, assets, holding, signer, records);
  const fees = new WithdrawalFees(db, records, chains, assets);
  return { withdrawals, signing, tracker, policy, treasury, signer, fees, clientFees };
}
