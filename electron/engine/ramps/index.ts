import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/audit-log';
import type { AssetRegistry } from '../chains/asset-registry';
import type { ClientsModule } from '../clients';
import type { Database } from '../db/schema';
import type { EventBus } from '../events';
import type { Ledger } from '../ledger/ledger';
import type { ControlsSettingsStore } from '../controls/controls-settings';
import type { Quorum } from '../controls/quorum';
import type { TransferService } from '../ledger/transfer-service';
import type { CryptoLegPipeline } from './crypto-leg';
import { RampEligibility } from './eligibility';
import { OffRampService } from './offramp-service';
import { OnRampService } from './onramp-service';
import { OffRampSimulator } from './offramp-simulation';
import { RampHistory } from './ramp-history';
import { RampSettings } from './ramp-settings';

export type { CryptoLegPipeline } from './crypto-leg';

export interface RampsModule {
  settings: RampSettings;
  onRamps: OnRampService;
  offRamps: OffRampService;
  simulator: OffRampSimulator;
  /** Stops the on-ramp expiry timer. */
  stop(): void;
}

/**
 * The on-ramp and off-ramp state machines. Off-ramps waiting on their crypto leg follow the
 * withdrawals pipeline's status events, and are looked at once on start in case an event was missed.
 */
export function createRampsModule(deps: {
  db: Kysely<Database>;
  audit: AuditLog;
  events: EventBus;
  ledger: Ledger;
  transfers: TransferService;
  assets: AssetRegistry;
  clients: ClientsModule;
  controls: ControlsSettingsStore;
  quorum: Quorum;
  pipeline: CryptoLegPipeline | null;
  log: (message: string, error?: unknown) => void;
  now?: () => Date;
  /** How often on-ramps whose fiat never came are expired; 0 turns the timer off. Default one minute. */
  expiryIntervalMs?: number;
}): RampsModule {
  const history = new RampHistory(deps.audit, deps.events);
  const settings = new RampSettings(deps.db, deps.audit, deps.pipeline);
  const eligibility = new RampEligibility(deps.clients.clients, deps.clients.bankAccounts);
  const onRamps = new OnRampService(deps.db, deps.ledger, deps.assets, eligibility, settings, history, deps.controls, deps.quorum, deps.now);
  const offRamps = new OffRampService(deps.db, deps.ledger, deps.transfers, deps.assets, eligibility, settings, history, deps.pipeline);
  if (deps.pipeline) {
    deps.events.subscribe((event) => {
      if (event.type !== 'withdrawal.status') return;
      offRamps.followWithdrawal(event.withdrawalId).catch((error) => deps.log(`Following off-ramp withdrawal ${event.withdrawalId} failed`, error));
    });
    offRamps.followAll().catch((error) => deps.log('Resuming off-ramps failed', error));
  }
  const interval = deps.expiryIntervalMs ?? 60_000;
  let timer: NodeJS.Timeout | null = null;
  if (interval > 0) {
    timer = setInterval(() => {
      onRamps.expireStale('system').catch((error) => deps.log('Expiring on-ramps failed', error));
    }, interval);
    timer.unref();
  }
  return {
    settings,
    onRamps,
    offRamps,
    simulator: new OffRampSimulator(deps.db, deps.assets, eligibility),
    stop: () => {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
