import type { SweepKind } from '@shared/domain/sweeps';
import type { StrayRecoveryAction, UnidentifiedFundKind } from '@shared/domain/unidentified-funds';
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Written once, read forever: the compiler refuses an update of these columns. */
export type Immutable<T> = ColumnType<T, T, never>;
/** Filled by the database on insert, never updated. */
export type GeneratedImmutable<T> = ColumnType<T, T | undefined, never>;

export interface SettingsTable {
  key: string;
  /** JSON text */
  value: string;
  updated_at: string;
}

export type WalletStatus = 'active' | 'suspended' | 'closed';

export interface WalletsTable {
  id: Immutable<string>;
  chain: Immutable<string>;
  address: Immutable<string>;
  derivation_index: Immutable<number>;
  label: string;
  status: WalletStatus;
  client_id: string | null;
  created_at: Immutable<string>;
  updated_at: string;
}

export interface LedgerAccountsTable {
  id: Generated<number>;
  code: Immutable<string>;
  kind: Immutable<string>;
  asset_id: Immutable<string>;
  wallet_id: Immutable<string | null>;
  /** Materialized balances, canonical decimal text, updated in the same transaction as each transfer. */
  debits_posted: ColumnType<string, string | undefined, string>;
  credits_posted: ColumnType<string, string | undefined, string>;
  debits_pending: ColumnType<string, string | undefined, string>;
  credits_pending: ColumnType<string, string | undefined, string>;
  created_at: Immutable<string>;
}

export type TransferKind = 'posted' | 'pending' | 'post_pending' | 'void_pending';

/** Every column is immutable: corrections are new transfers (the database triggers agree). */
export interface LedgerTransfersTable {
  id: GeneratedImmutable<number>;
  idempotency_key: Immutable<string>;
  kind: Immutable<TransferKind>;
  debit_account_id: Immutable<number>;
  credit_account_id: Immutable<number>;
  asset_id: Immutable<string>;
  amount: Immutable<string>;
  code: Immutable<string>;
  pending_id: Immutable<number | null>;
  reverses_id: Immutable<number | null>;
  cause_type: Immutable<string | null>;
  cause_id: Immutable<string | null>;
  memo: Immutable<string | null>;
  operator: Immutable<string | null>;
  content_hash: Immutable<string>;
  created_at: Immutable<string>;
}

/** Append-only, hash-chained: hash = sha256(prev_hash || canonical record). */
export interface AuditLogTable {
  seq: Immutable<number>;
  at: Immutable<string>;
  operator: Immutable<string>;
  action: Immutable<string>;
  entity_type: Immutable<string>;
  entity_id: Immutable<string>;
  /** canonical JSON of what changed */
  change: Immutable<string>;
  prev_hash: Immutable<string>;
  hash: Immutable<string>;
}

export interface CustomTokensTable {
  profile: Immutable<string>;
  chain: Immutable<string>;
  contract: Immutable<string>;
  symbol: Immutable<string>;
  decimals: Immutable<number>;
  added_by: Immutable<string>;
  added_at: Immutable<string>;
}

export interface HoldingWalletsTable {
  profile: Immutable<string>;
  chain: Immutable<string>;
  address: string;
  derivation_path: string;
  /** 'ledger' (a hardware device) or 'virtual-ledger' (devnet only). */
  source: string;
  registered_by: string;
  registered_at: string;
}

/** One payment out of the holding wallet; its state machine's every step is a row update plus an audit record. */
export interface WithdrawalsTable {
  id: Immutable<string>;
  idempotency_key: Immutable<string>;
  kind: Immutable<string>;
  state: string;
  profile: Immutable<string>;
  chain: Immutable<string>;
  asset_id: Immutable<string>;
  amount: Immutable<string>;
  source: Immutable<string>;
  destination: Immutable<string>;
  wallet_id: Immutable<string | null>;
  needs_approval: Immutable<number>;
  /** JSON array of reasons */
  approval_reasons: Immutable<string>;
  requested_by: Immutable<string>;
  approved_by: string | null;
  signed_by: string | null;
  hold_transfer_id: Immutable<number>;
  settle_transfer_id: number | null;
  nonce: number | null;
  /** The engine (system/presence.ts) that reserved `nonce` for a signing still under way, if any. */
  signing_engine: string | null;
  /** JSON UnsignedTransaction (bigints as strings) of the last signing. */
  unsigned_tx: string | null;
  signed_raw: string | null;
  tx_hash: string | null;
  /** JSON array of every hash broadcast for it. */
  tx_hashes: string;
  failure_reason: string | null;
  memo: Immutable<string | null>;
  cause_type: Immutable<string | null>;
  cause_id: Immutable<string | null>;
  created_at: Immutable<string>;
  updated_at: string;
  finished_at: string | null;
  /** The block the confirming receipt was in; a re-check that finds it gone or moved undoes the settlement. */
  block_hash: Generated<string | null>;
  block_number: Generated<number | null>;
  /** Bumped each time a reorg undoes the settlement: the next one uses new idempotency keys. */
  booking_round: Generated<number>;
  /** The hold the amount is back under after a reorg undid its settlement, until it is mined again. */
  rehold_transfer_id: Generated<number | null>;
  /** Native base units the confirming transaction paid in network fees; null until confirmed. */
  fee_paid: Generated<string | null>;
  /** The client's fee to the company, base units of the asset ('0' when none); booked as fee revenue on confirmation. */
  client_fee: Generated<string>;
  /** 'on_top' (the balance pays amount + fee) or 'deducted' (the destination receives amount - fee); null when no fee. */
  client_fee_mode: Generated<string | null>;
  /** What the officer asked for (before a deducted fee); null on rows older than fee schedules. */
  requested_amount: Generated<string | null>;
  /** The deny list version the destination was screened against when requested (null: before screening). */
  screening_list_version: Generated<number | null>;
  screened_at: Generated<string | null>;
}

/** Every transaction signed for a withdrawal (append-only); a hash belongs to one withdrawal. */
export interface WithdrawalTxsTable {
  chain: Immutable<string>;
  tx_hash: Immutable<string>;
  withdrawal_id: Immutable<string>;
  nonce: Immutable<number | null>;
  raw: Immutable<string>;
  created_at: Immutable<string>;
}

export interface WithdrawalAddressBookTable {
  id: Immutable<string>;
  profile: Immutable<string>;
  chain: Immutable<string>;
  address: Immutable<string>;
  label: string;
  whitelisted: number;
  added_by: string;
  added_at: string;
  /** A whitelisting takes a second officer's approval (null: pending) and then a time lock before first use. */
  approved_by: string | null;
  approved_at: string | null;
  usable_from: string | null;
  /** The deny list version the address was last screened against (added, approved). */
  screening_list_version: Generated<number | null>;
}

/** A policy or role change waiting for a second admin; applied (or rejected) by someone other than its proposer. */
export interface PolicyProposalsTable {
  id: Immutable<string>;
  kind: Immutable<string>;
  /** JSON of the change as it will be applied */
  payload: Immutable<string>;
  /** the change in words, as it was proposed */
  summary: Immutable<string>;
  state: 'pending' | 'applied' | 'rejected';
  proposed_by: Immutable<string>;
  proposed_at: Immutable<string>;
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string | null;
}

/** One approver's approval of an item (quorum: an item needs n distinct approvers other than its maker). */
export interface ItemApprovalsTable {
  item_type: Immutable<string>;
  item_id: Immutable<string>;
  operator: Immutable<string>;
  approved_at: Immutable<string>;
}

/** One deny list import: the whole list at that version. */
export interface DenyListsTable {
  version: Immutable<number>;
  profile: Immutable<string>;
  file_name: Immutable<string>;
  sha256: Immutable<string>;
  entry_count: Immutable<number>;
  imported_by: Immutable<string>;
  imported_at: Immutable<string>;
}

/** An address on a deny list version, keyed by chain family (an EVM key is one account on every EVM chain). */
export interface DenyListEntriesTable {
  version: Immutable<number>;
  family: Immutable<string>;
  /** lower-case hex on EVM, base58 on Tron */
  address_key: Immutable<string>;
  chain: Immutable<string>;
  address: Immutable<string>;
  source: Immutable<string>;
}

/** A company credit waits here for a second operator (four eyes); approval books it (transfer_id). */
export interface CompanyCreditsTable {
  id: Immutable<string>;
  idempotency_key: Immutable<string>;
  wallet_id: Immutable<string>;
  asset_id: Immutable<string>;
  /** base units, decimal text */
  amount: Immutable<string>;
  reason: Immutable<string>;
  state: 'requested' | 'approved' | 'rejected';
  requested_by: Immutable<string>;
  /** when it was requested */
  created_at: Immutable<string>;
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string | null;
  transfer_id: number | null;
}

/** A company client (an end user); personal fields may be empty while the record is a draft. */
export interface ClientsTable {
  id: Immutable<string>;
  legal_name: string;
  date_of_birth: string | null;
  nationality: string | null;
  /** JSON text of the postal address */
  address: string | null;
  email: string | null;
  /** E.164 */
  phone: string | null;
  tax_country: string | null;
  tax_kind: string | null;
  tax_id: string | null;
  kyc_status: 'draft' | 'submitted' | 'verified' | 'rejected' | 'suspended';
  rejection_reason: string | null;
  /** Who sent the file for review: someone else must verify or reject it (four eyes). */
  kyc_submitted_by: string | null;
  /** Keyed hash of country, kind and tax id: one client per tax id, though the id itself is sealed. */
  tax_id_hash: string | null;
  /** When the relationship ended: retention runs from here. */
  closed_at: string | null;
  /** When the client's data key was destroyed: personal data and KYC files are unreadable from then on. */
  erased_at: string | null;
  /** The officer's assessment; the policy says which levels may withdraw to non-whitelisted destinations. */
  risk_level: Generated<'low' | 'medium' | 'high'>;
  /** 'business' rows keep the company's data: legal_name, its registered address in `address`, its tax id in tax_*. */
  client_kind: Immutable<'individual' | 'business'>;
  business_trade_name: string | null;
  business_type: string | null;
  business_registration_number: string | null;
  business_incorporation_country: string | null;
  business_incorporation_date: string | null;
  created_by: Immutable<string>;
  created_at: Immutable<string>;
  updated_at: string;
}

/** A client's data key, wrapped by the workspace's client-data key (clients/data-keys.ts); wrapped is null once erased. */
export interface ClientKeysTable {
  client_id: Immutable<string>;
  wrapped: string | null;
  created_at: Immutable<string>;
  erased_at: string | null;
}

/** Keyed hashes of normalized personal values (email, tax id, document number, name tokens) for exact search. */
export interface ClientSearchTable {
  client_id: Immutable<string>;
  kind: Immutable<string>;
  hash: Immutable<string>;
}

/** The SHA-256 of a KYC file's sealed bytes (what the integrity check verifies without a key). */
export interface KycFileSealsTable {
  sha256: Immutable<string>;
  sealed_sha256: string;
  sealed_at: string;
}

/** A KYC file's own key, wrapped under the key of one client whose documents name the file. */
export interface KycFileKeysTable {
  sha256: Immutable<string>;
  client_id: Immutable<string>;
  wrapped: Immutable<string>;
}

/** A request to erase a client's personal data (crypto-shredding), decided by a second operator. */
export interface ErasureRequestsTable {
  id: Immutable<string>;
  client_id: Immutable<string>;
  state: 'requested' | 'approved' | 'rejected';
  reason: Immutable<string>;
  requested_by: Immutable<string>;
  requested_at: Immutable<string>;
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string | null;
}

/** A KYC file copied into <data folder>/kyc/<sha256>. */
export interface KycFilesTable {
  sha256: Immutable<string>;
  size: Immutable<number>;
  media_type: Immutable<string>;
  stored_at: Immutable<string>;
}

/** A KYC file's bytes, kept in the database only when workstations share it (kyc-files.ts). */
export interface KycFileContentsTable {
  sha256: Immutable<string>;
  content: Immutable<Buffer>;
}

export interface KycDocumentsTable {
  id: Immutable<string>;
  client_id: Immutable<string>;
  kind: Immutable<'identity' | 'proof_of_address'>;
  document_type: Immutable<string | null>;
  number: Immutable<string | null>;
  issuing_country: Immutable<string | null>;
  expires_on: Immutable<string | null>;
  issued_on: Immutable<string | null>;
  front_sha256: Immutable<string>;
  back_sha256: Immutable<string | null>;
  uploaded_by: Immutable<string>;
  uploaded_at: Immutable<string>;
}

/** A business client's company document (append-only; the file in kyc_files, by hash). */
export interface CompanyDocumentsTable {
  id: Immutable<string>;
  client_id: Immutable<string>;
  document_type: Immutable<string>;
  issued_on: Immutable<string>;
  file_sha256: Immutable<string>;
  uploaded_by: Immutable<string>;
  uploaded_at: Immutable<string>;
}

/** An ultimate beneficial owner: an individual client holding a share of a business client. */
export interface BeneficialOwnersTable {
  business_client_id: Immutable<string>;
  person_client_id: Immutable<string>;
  /** Share of the company in basis points: 2500 is 25%. */
  ownership_bp: number;
  added_by: Immutable<string>;
  added_at: Immutable<string>;
  updated_at: string;
}

export interface BankAccountsTable {
  id: Immutable<string>;
  client_id: Immutable<string>;
  rail: Immutable<string>;
  holder_name: Immutable<string>;
  identifier: Immutable<string>;
  /** JSON text of the rail's normalized fields */
  fields: Immutable<string>;
  /** Keyed hash of the identifier: the same account twice is found though the identifier is sealed. */
  identifier_hash: string | null;
  status: 'unverified' | 'verified' | 'disabled';
  verified_by: string | null;
  verified_at: string | null;
  verification_note: string | null;
  created_by: Immutable<string>;
  created_at: Immutable<string>;
  updated_at: string;
}

export interface RampSettingsTable {
  key: string;
  /** JSON text */
  value: string;
  updated_by: string;
  updated_at: string;
}

export interface OnRampsTable {
  id: Immutable<string>;
  client_id: Immutable<string>;
  wallet_id: Immutable<string>;
  asset_id: Immutable<string>;
  rail: Immutable<string>;
  currency: Immutable<string>;
  requested_amount: Immutable<string>;
  reference: Immutable<string>;
  instructions: Immutable<string>;
  state: string;
  received_amount: string | null;
  bank_reference: string | null;
  amount_flag: string | null;
  rate: string | null;
  fee: string | null;
  crypto_amount: string | null;
  ledger_transfer_id: number | null;
  expires_at: Immutable<string>;
  reason: string | null;
  /** who asked for a credit that waits for approvers (null: none asked, or none needed) */
  credit_requested_by: string | null;
  created_by: Immutable<string>;
  created_at: Immutable<string>;
  updated_at: string;
}

export interface OffRampsTable {
  id: Immutable<string>;
  client_id: Immutable<string>;
  wallet_id: Immutable<string>;
  bank_account_id: Immutable<string>;
  asset_id: Immutable<string>;
  crypto_amount: Immutable<string>;
  state: string;
  hold_transfer_id: Immutable<number>;
  destination_address: string | null;
  payout_id: string | null;
  tx_hash: string | null;
  rate: string | null;
  fee: string | null;
  currency: string | null;
  fiat_amount: string | null;
  payout_reference: string | null;
  reason: string | null;
  created_by: Immutable<string>;
  created_at: Immutable<string>;
  updated_at: string;
}

/** Who moved a ramp from which state to which, and when; append-only. */
export interface RampEventsTable {
  id: GeneratedImmutable<number>;
  ramp_kind: Immutable<'onramp' | 'offramp'>;
  ramp_id: Immutable<string>;
  from_state: Immutable<string | null>;
  to_state: Immutable<string>;
  operator: Immutable<string>;
  at: Immutable<string>;
  /** JSON text */
  detail: Immutable<string>;
}

/** Per profile and chain: the next block a watcher scans. */
export interface WatchCursorsTable {
  profile: Immutable<string>;
  chain: Immutable<string>;
  next_block: number;
  updated_at: string;
}

/** Hashes of recently scanned blocks (the unconfirmed window and some), to find where a reorg forked. */
export interface WatchBlocksTable {
  profile: Immutable<string>;
  chain: Immutable<string>;
  number: Immutable<number>;
  hash: Immutable<string>;
  parent_hash: Immutable<string>;
}

export interface DepositsTable {
  id: Immutable<string>;
  profile: Immutable<string>;
  chain: Immutable<string>;
  kind: Immutable<'client' | 'reserve'>;
  wallet_id: Immutable<string | null>;
  asset_id: Immutable<string>;
  address: Immutable<string>;
  from_address: Immutable<string>;
  amount: Immutable<string>;
  tx_hash: Immutable<string>;
  log_index: Immutable<number>;
  /** A reorg may move the same transaction to another block. */
  block_number: number;
  block_hash: string;
  state: 'seen' | 'confirmed' | 'swept' | 'orphaned';
  confirmations: number;
  /** 0 for the first credit; raised when a reorg-reversed deposit comes back and is credited again. */
  credit_round: number;
  credit_transfer_id: number | null;
  /** The reversal of credit_transfer_id after a reorg; null while the credit stands (kept when the client had spent it). */
  reversal_transfer_id: Generated<number | null>;
  /** 1: under the asset's minimum at confirmation; credit_transfer_id then booked it to the company reserve. */
  below_minimum: Generated<number>;
  /** An officer's credit of a below-minimum deposit to its wallet, and who made it. */
  manual_credit_transfer_id: Generated<number | null>;
  manual_credit_by: Generated<string | null>;
  sweep_id: string | null;
  seen_at: Immutable<string>;
  confirmed_at: string | null;
  updated_at: string;
}

export interface DepositMinimumsTable {
  profile: Immutable<string>;
  asset_id: Immutable<string>;
  min_amount: string;
  updated_by: string;
  updated_at: string;
}

/** Every alert: raised once per standing cause (kind + subject), counted on repeats, acknowledged by an operator. */
export interface AlertsTable {
  id: Immutable<string>;
  profile: Immutable<string>;
  kind: Immutable<string>;
  chain: Immutable<string | null>;
  subject: Immutable<string>;
  message: string;
  /** JSON */
  details: string;
  state: 'open' | 'acknowledged';
  count: ColumnType<number, number | undefined, number>;
  created_at: Immutable<string>;
  last_raised_at: string;
  resolved_at: string | null;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
}

export interface SweepRulesTable {
  profile: Immutable<string>;
  asset_id: Immutable<string>;
  min_amount: string;
  mode: 'on_confirmation' | 'schedule' | 'manual';
  interval_minutes: number;
  last_run_at: string | null;
  updated_by: string;
  updated_at: string;
  /** Sweep only while the expected fee is at most this percent of the amount ("5", "0.5"); null: no such rule. */
  max_fee_percent: Generated<string | null>;
  /** Tokens: one native coin's value in the token's units ("0.29"), to compare the fee with the amount. */
  native_price: Generated<string | null>;
}

export interface SweepsTable {
  id: Immutable<string>;
  profile: Immutable<string>;
  chain: Immutable<string>;
  wallet_id: Immutable<string>;
  asset_id: Immutable<string>;
  from_address: Immutable<string>;
  to_address: string | null;
  amount: string;
  /** Native sweeps: company coins found at the address beyond the credited deposits (gas change). */
  excess: string;
  state: string;
  wait_reason: string | null;
  top_up_amount: string | null;
  attempts: number;
  trigger: Immutable<string>;
  operator: Immutable<string | null>;
  error: string | null;
  created_at: Immutable<string>;
  updated_at: string;
  confirmed_at: string | null;
  /** Bumped each time a reorg undoes the sweep's booking: the next booking uses new idempotency keys. */
  booking_round: Generated<number>;
  /** The fee the sweep expects to pay, native base units (its cost beside its amount); null before it is quoted. */
  expected_fee: Generated<string | null>;
  /** Set when the sweep sends unidentified funds back to their sender (to_address) instead of to holding. */
  stray_id: Generated<string | null>;
  /** 'deposits' (to the holding wallet) or 'gas_return' (the gas tank's change at the address, back to the tank). */
  kind: Generated<SweepKind>;
}

/** Every transaction a sweep signed, saved before it is broadcast: the nonce record per address. */
/** Energy the Tron gas tank delegated to a deposit address for one sweep; tx_hash/raw: the step's transaction. */
export interface SweepEnergyTable {
  sweep_id: string;
  owner: string;
  receiver: string;
  sun: string;
  state: 'planned' | 'delegating' | 'delegated' | 'reclaiming' | 'reclaimed';
  tx_hash: string | null;
  raw: string | null;
  updated_at: string;
}

export interface SweepTxsTable {
  id: Immutable<string>;
  sweep_id: Immutable<string>;
  profile: Immutable<string>;
  chain: Immutable<string>;
  purpose: Immutable<'gas' | 'sweep'>;
  from_address: Immutable<string>;
  to_address: Immutable<string>;
  nonce: Immutable<number | null>;
  value: Immutable<string>;
  max_fee: Immutable<string>;
  fee_bump_percent: Immutable<number>;
  tx_hash: Immutable<string>;
  raw: Immutable<string>;
  state: 'signed' | 'broadcast' | 'mined' | 'reverted' | 'replaced' | 'dropped';
  fee_paid: string | null;
  block_number: number | null;
  /** The block the receipt was booked on; a re-check that finds it gone or moved undoes the booking. */
  block_hash: Generated<string | null>;
  created_at: Immutable<string>;
  updated_at: string;
}

/** A local operator account. The passphrase hash string carries its scrypt parameters and salt. */
export interface OperatorsTable {
  id: Immutable<string>;
  name: Immutable<string>;
  role: string;
  passphrase_hash: string;
  /** The seed vault's key, AES-256-GCM under a key derived from this operator's passphrase (base64 JSON). */
  vault_key: string | null;
  /** 1 when vault_key is additionally wrapped by the OS keychain (Electron safeStorage). */
  vault_key_os_wrapped: number;
  disabled: number;
  created_by: Immutable<string>;
  created_at: Immutable<string>;
  updated_at: string;
}

/** An integration API key: only the SHA-256 of its secret is kept (see api-keys/api-key-service.ts). */
export interface ApiKeysTable {
  id: Immutable<string>;
  name: string;
  /** The secret's first characters, shown so an officer can tell keys apart; never enough to use it. */
  prefix: string;
  secret_hash: string;
  /** After a rotation, the old secret's hash, valid until previous_valid_until (the overlap). */
  previous_secret_hash: string | null;
  previous_valid_until: string | null;
  /** JSON array of scopes. */
  scopes: string;
  /** JSON array of addresses and CIDR ranges; empty: any address. */
  ip_allowlist: string;
  rate_limit_per_minute: number;
  expires_at: string | null;
  revoked_at: string | null;
  created_by: Immutable<string>;
  created_at: Immutable<string>;
  rotated_at: string | null;
  last_used_at: string | null;
  last_used_ip: string | null;
}

/** The first outcome of a create or move, per caller scope and Idempotency-Key, replayed to repeats. */
export interface IdempotencyRecordsTable {
  scope: Immutable<string>;
  key: Immutable<string>;
  request_hash: Immutable<string>;
  state: 'running' | 'done';
  status: number | null;
  response: string | null;
  created_at: Immutable<string>;
  completed_at: string | null;
  /** While running: until when its process holds it (renewed as it runs); past it, a crash cut it short. */
  lease_until: string | null;
  /** How many times the request was started: 2 and up after a take-over. */
  attempt: Generated<number>;
}

/** One row (id = 1): the workstation's security settings. */
export interface SecuritySettingsTable {
  id: Immutable<number>;
  idle_timeout_seconds: number;
  updated_by: string;
  updated_at: string;
}

/**
 * Funds at one of our deposit addresses the watcher cannot credit as a deposit (see watch/strays). event_index:
 * the token log's index, -1 for a top-level native transfer (other EVM chain), -2 - n for the n-th value-moving
 * internal call of the transaction.
 */
export interface UnidentifiedFundsTable {
  id: Immutable<string>;
  profile: Immutable<string>;
  chain: Immutable<string>;
  kind: Immutable<UnidentifiedFundKind>;
  token_contract: Immutable<string | null>;
  symbol: Immutable<string | null>;
  decimals: Immutable<number | null>;
  address: Immutable<string>;
  wallet_id: Immutable<string | null>;
  from_address: Immutable<string>;
  amount: Immutable<string>;
  tx_hash: Immutable<string>;
  event_index: Immutable<number>;
  /** A reorg may move the transaction to another block, or orphan it. */
  block_number: number;
  block_hash: string;
  state: 'seen' | 'orphaned';
  /** What an officer proposed (see watch/strays/stray-recovery.ts) and where it stands; null before a proposal. */
  recovery_action: Generated<StrayRecoveryAction | null>;
  /** 'returning': a return to the sender was approved and its sweep is under way; 'done' once settled. */
  recovery_state: Generated<'proposed' | 'returning' | 'done' | null>;
  proposed_by: Generated<string | null>;
  proposed_at: Generated<string | null>;
  decided_by: Generated<string | null>;
  decided_at: Generated<string | null>;
  /** The deposit the funds were adopted as on approval (credited to the wallet or booked as company funds). */
  deposit_id: Generated<string | null>;
  /** Where a return to the sender goes (proposed by the officer), and the sweep that carries it. */
  return_to: Generated<string | null>;
  sweep_id: Generated<string | null>;
  /** Who signed the transaction that brought the funds (the prefilled return address); null when not read. */
  tx_sender: Generated<string | null>;
  seen_at: Immutable<string>;
  updated_at: string;
}

/** Every price the books used, append-only: exact decimal text, an officer's entry or the price feed's. */
export interface PriceRatesTable {
  id: GeneratedImmutable<number>;
  asset_id: Immutable<string>;
  currency: Immutable<string>;
  rate: Immutable<string>;
  source: Immutable<'manual' | 'feed'>;
  entered_by: Immutable<string>;
  entered_at: Immutable<string>;
  /** When the price was true: the officer's entry time, or the feed's own asOf. */
  as_of: Immutable<string>;
}

/** The books once a day per asset (base units): the assets-under-custody series. */
export interface CustodySnapshotsTable {
  day: string;
  asset_id: string;
  client_liabilities: string;
  holdings: string;
  company_reserve: string;
  uncovered_credit: string;
  taken_at: string;
  trigger: string;
}

export interface WebhookEndpointsTable {
  id: Immutable<string>;
  url: string;
  description: string;
  /** JSON array of event types and `<area>.*` groups */
  events: string;
  secret: string;
  /** The secret before the last rotation: it signs too until previous_secret_until. */
  previous_secret: string | null;
  previous_secret_until: string | null;
  enabled: number;
  created_by: Immutable<string>;
  created_at: Immutable<string>;
  updated_at: string;
}

/** The outbox: one row per event, written in the transaction of the change it reports. */
export interface WebhookEventsTable {
  id: Immutable<string>;
  audit_seq: Immutable<number>;
  type: Immutable<string>;
  /** The JSON body every delivery of it POSTs, byte for byte. */
  body: Immutable<string>;
  created_at: Immutable<string>;
}

export type WebhookDeliveryState = 'pending' | 'delivered' | 'failed';

export interface WebhookDeliveriesTable {
  id: Immutable<string>;
  endpoint_id: Immutable<string>;
  event_id: Immutable<string>;
  /** Order within the endpoint: the seq of the audit record that caused the delivery. */
  position: Immutable<number>;
  state: WebhookDeliveryState;
  attempts: number;
  next_attempt_at: string;
  give_up_at: Immutable<string>;
  last_status: number | null;
  last_error: string | null;
  replay_of: Immutable<string | null>;
  created_at: Immutable<string>;
  updated_at: string;
  delivered_at: string | null;
}

export interface WebhookAttemptsTable {
  id: GeneratedImmutable<number>;
  delivery_id: Immutable<string>;
  attempt: Immutable<number>;
  at: Immutable<string>;
  status: Immutable<number | null>;
  error: Immutable<string | null>;
  duration_ms: Immutable<number>;
}

/** One chain endpoint's health as last found (chains/endpoint-health-store.ts); times ISO, head decimal text. */
export interface EndpointHealthTable {
  chain: string;
  url: string;
  last_ok_at: string | null;
  last_fault: string | null;
  last_fault_at: string | null;
  /** The fault in a few safe words (an HTTP status, an error code): never a node's message, which may carry a key. */
  fault_detail: string | null;
  head: string | null;
  head_at: string | null;
  behind_by: number | null;
  latency_ms: number | null;
  rest_until: string | null;
  updated_at: string;
}

export interface Database {
  endpoint_health: EndpointHealthTable;
  api_keys: ApiKeysTable;
  idempotency_records: IdempotencyRecordsTable;
  price_rates: PriceRatesTable;
  custody_snapshots: CustodySnapshotsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_events: WebhookEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  unidentified_funds: UnidentifiedFundsTable;
  watch_cursors: WatchCursorsTable;
  watch_blocks: WatchBlocksTable;
  deposits: DepositsTable;
  alerts: AlertsTable;
  deposit_minimums: DepositMinimumsTable;
  sweep_rules: SweepRulesTable;
  sweeps: SweepsTable;
  sweep_txs: SweepTxsTable;
  sweep_energy: SweepEnergyTable;
  withdrawals: WithdrawalsTable;
  withdrawal_txs: WithdrawalTxsTable;
  withdrawal_address_book: WithdrawalAddressBookTable;
  deny_lists: DenyListsTable;
  policy_proposals: PolicyProposalsTable;
  item_approvals: ItemApprovalsTable;
  deny_list_entries: DenyListEntriesTable;
  holding_wallets: HoldingWalletsTable;
  custom_tokens: CustomTokensTable;
  audit_log: AuditLogTable;
  settings: SettingsTable;
  wallets: WalletsTable;
  ledger_accounts: LedgerAccountsTable;
  ledger_transfers: LedgerTransfersTable;
  clients: ClientsTable;
  kyc_files: KycFilesTable;
  kyc_file_contents: KycFileContentsTable;
  kyc_documents: KycDocumentsTable;
  company_documents: CompanyDocumentsTable;
  beneficial_owners: BeneficialOwnersTable;
  bank_accounts: BankAccountsTable;
  client_keys: ClientKeysTable;
  client_search: ClientSearchTable;
  kyc_file_seals: KycFileSealsTable;
  kyc_file_keys: KycFileKeysTable;
  erasure_requests: ErasureRequestsTable;
  company_credits: CompanyCreditsTable;
  ramp_settings: RampSettingsTable;
  onramps: OnRampsTable;
  offramps: OffRampsTable;
  ramp_events: RampEventsTable;
  operators: OperatorsTable;
  security_settings: SecuritySettingsTable;
}

export type AuditRecordRow = Selectable<AuditLogTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type SettingRow = Selectable<SettingsTable>;
export type WalletRow = Selectable<WalletsTable>;
/** A wallet as a transfer's guard reads it: with the KYC status of the client it belongs to (null: no client). */
export type GuardedWalletRow = WalletRow & { client_kyc_status: ClientsTable['kyc_status'] | null };
export type NewWallet = Insertable<WalletsTable>;
export type WalletUpdate = Updateable<WalletsTable>;
export type LedgerAccountRow = Selectable<LedgerAccountsTable>;
export type LedgerTransferRow = Selectable<LedgerTransfersTable>;
export type WithdrawalRow = Selectable<WithdrawalsTable>;
export type NewLedgerTransfer = Insertable<LedgerTransfersTable>;
export type ClientRow = Selectable<ClientsTable>;
export type KycDocumentRow = Selectable<KycDocumentsTable>;
export type BankAccountRow = Selectable<BankAccountsTable>;
export type ErasureRequestRow = Selectable<ErasureRequestsTable>;
export type OnRampRow = Selectable<OnRampsTable>;
export type OffRampRow = Selectable<OffRampsTable>;
export type DepositRow = Selectable<DepositsTable>;
export type SweepRow = Selectable<SweepsTable>;
export type SweepTxRow = Selectable<SweepTxsTable>;
export type OperatorRow = Selectable<OperatorsTable>;
export type CompanyCreditRow = Selectable<CompanyCreditsTable>;
