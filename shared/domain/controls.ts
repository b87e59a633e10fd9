/**
 * The controls' own settings (electron/engine/controls): one policy screen shows them beside the
 * withdrawal rules. Defaults apply until an admin changes them.
 */
export interface ControlsSettings {
  /** Hours between a whitelist addition's approval and its first use. */
  whitelistTimeLockHours: number;
  /** Whether internal transfers may land in wallets that belong to no client (the company's own). */
  transfersToUnownedWallets: boolean;
  /**
   * A business client is verified only once every beneficial owner holding at least this share (percent)
   * is a verified individual; 25% is the FATF/EU AMLD threshold, some regimes use 10%.
   */
  uboThresholdPercent: number;
}

export const DEFAULT_CONTROLS: ControlsSettings = { whitelistTimeLockHours: 24, transfersToUnownedWallets: true, uboThresholdPercent: 25 };

/** What the signed-in operator may do with a withdrawal now: the window shows these buttons and no others. */
export const WITHDRAWAL_ACTIONS = ['approve', 'sign', 'replace', 'cancel'] as const;
export type WithdrawalAction = (typeof WITHDRAWAL_ACTIONS)[number];

/** What the signed-in operator may do with an address book entry now. */
export const ADDRESS_BOOK_ACTIONS = ['approve', 'remove'] as const;
export type AddressBookAction = (typeof ADDRESS_BOOK_ACTIONS)[number];

/**
 * A company credit: it raises what the company owes beyond its reserves (uncovered credit), so it is a
 * request until a second operator approves it, which books it.
 */
export const COMPANY_CREDIT_STATES = ['requested', 'approved', 'rejected'] as const;
export type CompanyCreditState = (typeof COMPANY_CREDIT_STATES)[number];
export const COMPANY_CREDIT_ACTIONS = ['approve', 'reject'] as const;
export type CompanyCreditAction = (typeof COMPANY_CREDIT_ACTIONS)[number];

export interface CompanyCreditView {
  id: string;
  idempotencyKey: string;
  walletId: string;
  assetId: string;
  /** base units */
  amount: string;
  reason: string;
  state: CompanyCreditState;
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  /** The ledger transfer approval booked. */
  transferId: string | null;
  /** True when the key had been used before with the same content: nothing new was written. */
  replayed?: boolean;
  /** What the signed-in operator may do with it now (the list answers it). */
  allowedActions?: CompanyCreditAction[];
}
