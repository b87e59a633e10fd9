/** Ledger vocabulary shared with the renderer. Amounts are base-unit decimal strings at the boundary. */
export const ACCOUNT_KINDS = [
  'client_wallet',
  'deposit_in_transit',
  /** Company coins the gas tank placed at a deposit address to pay its sweeps' fees, until spent or swept. */
  'deposit_gas',
  'holding',
  'company_reserve',
  /** What clients paid the company in withdrawal fees (company money, like the reserve). */
  'fee_revenue',
  'gas_expense',
  'uncovered_credit',
  'onramp_clearing',
  'offramp_clearing',
] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

/** Why a transfer happened; shown in histories and audit exports. */
export const TRANSFER_CODES = [
  'deposit',
  'deposit_reversal',
  'internal_transfer',
  'company_credit',
  'withdrawal',
  'offramp',
  'onramp',
  'sweep',
  'gas',
  'reserve_topup',
  'withdrawal_fee',
  'correction',
] as const;
export type TransferCode = (typeof TRANSFER_CODES)[number];

export interface BalanceView {
  assetId: string;
  posted: string;
  pending: string;
  available: string;
}

export interface TransferView {
  id: string;
  kind: 'posted' | 'pending' | 'post_pending' | 'void_pending';
  code: string;
  assetId: string;
  amount: string;
  /** Seen from the account asked about: money in or out of it. */
  direction: 'in' | 'out';
  counterparty: string;
  pendingId: string | null;
  reversesId: string | null;
  cause: { type: string; id: string } | null;
  memo: string | null;
  operator: string | null;
  createdAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ReconciliationLine {
  assetId: string;
  clientLiabilities: string;
  companyReserve: string;
  /** What the company holds per the ledger: holding plus unswept deposits. */
  holdings: string;
  uncoveredCredit: string;
  /** holdings / clientLiabilities, as a decimal string with 4 places; null when nothing is owed. */
  coverageRatio: string | null;
  shortfall: string;
}

/** What a movement request answers: the transfer it made, or the first one its key made. */
export interface TransferReceipt {
  transferId: string;
  idempotencyKey: string;
  code: string;
  assetId: string;
  amount: string;
  createdAt: string;
  /** True when the key had been used before with the same content: nothing new was written. */
  replayed: boolean;
}
