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
}

export interface Database {
  withdrawals: WithdrawalsTable;
  withdrawal_address_book: WithdrawalAddressBookTable;
  holding_wallets: HoldingWalletsTable;
  custom_tokens: CustomTokensTable;
  audit_log: AuditLogTable;
  settings: SettingsTable;
  wallets: WalletsTable;
  ledger_accounts: LedgerAccountsTable;
  ledger_transfers: LedgerTransfersTable;
}

export type AuditRecordRow = Selectable<AuditLogTable>;
export type SettingRow = Selectable<SettingsTable>;
export type WalletRow = Selectable<WalletsTable>;
export type NewWallet = Insertable<WalletsTable>;
export type WalletUpdate = Updateable<WalletsTable>;
export type LedgerAccountRow = Selectable<LedgerAccountsTable>;
export type LedgerTransferRow = Selectable<LedgerTransfersTable>;
export type WithdrawalRow = Selectable<WithdrawalsTable>;
export type NewLedgerTransfer = Insertable<LedgerTransfersTable>;
