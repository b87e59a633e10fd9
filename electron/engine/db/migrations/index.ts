import type { Migration, MigrationProvider } from 'kysely';
import * as foundation from './2026-11-25_0001_foundation';
import * as ledger from './2026-11-25_0002_ledger';
import * as audit from './2026-11-25_0003_audit';
import * as customTokens from './2026-11-25_0004_custom_tokens';
import * as holding from './2026-11-25_0005_holding';
import * as clientsRamps from './2026-11-25_0008_clients_ramps';
import * as withdrawals from './2026-11-25_0007_withdrawals';
import * as depositsSweeps from './2026-11-25_0006_deposits_sweeps';
import * as operators from './2026-11-25_0009_operators';
import * as signingEngine from './2026-11-25_0010_signing_engine';
import * as kycFileContents from './2026-11-25_0011_kyc_file_contents';
import * as depositCredits from './2026-12-03_0012_deposit_credits';
import * as withdrawalTxs from './2026-12-03_0013_withdrawal_txs';
import * as controls from './2026-12-03_0014_controls';
import * as unidentifiedFunds from './2026-12-03_0015_unidentified_funds';
import * as outgoingReorgs from './2026-12-03_0016_outgoing_reorgs';
import * as withdrawalFeePaid from './2026-12-03_0017_withdrawal_fee_paid';
import * as apiKeysIdempotency from './2026-12-03_0018_api_keys_idempotency';
import * as clientFees from './2026-12-03_0025_client_fees';
import * as sweepFeeRule from './2026-12-03_0025b_sweep_fee_rule';
import * as alerts from './2026-12-03_0021_alerts';
import * as valuation from './2026-12-03_0020_valuation';
import * as sweepEnergy from './2026-12-03_0030_sweep_energy';
import * as strayReturn from './2026-12-03_0031_strays17_return_to_sender';
import * as sweepKind from './2026-12-03_0031_gas17_sweep_kind';
import * as endpointHealth from './2026-12-03_0032_gas17_endpoint_health';
import * as clientSealing from './2026-12-03_0024_client_sealing';
import * as webhooks from './2026-12-03_0019_webhooks';
import * as screening from './2026-12-03_0022_screening';
import * as proposalsQuorum from './2026-12-03_0022b_proposals_quorum';
import * as businessClients from './2026-12-03_0026_business_clients';
import * as onrampCreditApproval from './2026-12-03_0027_onramp_credit_approval';
import * as idempotencyLease from './2026-12-03_0028_idempotency_lease';

/** Static list: a bundled main process has no migration folder to scan. Names sort by date. */
export const migrations: Record<string, Migration> = {
  '2026-11-25_0001_foundation': foundation,
  '2026-11-25_0002_ledger': ledger,
  '2026-11-25_0003_audit': audit,
  '2026-11-25_0004_custom_tokens': customTokens,
  '2026-11-25_0005_holding': holding,
  '2026-11-25_0008_clients_ramps': clientsRamps,
  '2026-11-25_0007_withdrawals': withdrawals,
  '2026-11-25_0006_deposits_sweeps': depositsSweeps,
  '2026-11-25_0009_operators': operators,
  '2026-11-25_0010_signing_engine': signingEngine,
  '2026-11-25_0011_kyc_file_contents': kycFileContents,
  '2026-12-03_0012_deposit_credits': depositCredits,
  '2026-12-03_0013_withdrawal_txs': withdrawalTxs,
  '2026-12-03_0014_controls': controls,
  '2026-12-03_0015_unidentified_funds': unidentifiedFunds,
  '2026-12-03_0016_outgoing_reorgs': outgoingReorgs,
  '2026-12-03_0017_withdrawal_fee_paid': withdrawalFeePaid,
  '2026-12-03_0018_api_keys_idempotency': apiKeysIdempotency,
  '2026-12-03_0025_client_fees': clientFees,
  '2026-12-03_0025b_sweep_fee_rule': sweepFeeRule,
  '2026-12-03_0021_alerts': alerts,
  '2026-12-03_0020_valuation': valuation,
  '2026-12-03_0024_client_sealing': clientSealing,
  '2026-12-03_0019_webhooks': webhooks,
  '2026-12-03_0022_screening': screening,
  '2026-12-03_0022b_proposals_quorum': proposalsQuorum,
  '2026-12-03_0026_business_clients': businessClients,
  '2026-12-03_0027_onramp_credit_approval': onrampCreditApproval,
  '2026-12-03_0028_idempotency_lease': idempotencyLease,
  '2026-12-03_0030_sweep_energy': sweepEnergy,
  '2026-12-03_0031_strays17_return_to_sender': strayReturn,
  '2026-12-03_0031_gas17_sweep_kind': sweepKind,
  '2026-12-03_0032_gas17_endpoint_health': endpointHealth,
};

export const staticMigrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
