import type { BankRail } from '../validation/bank-account';
import type { FiatCurrency } from './fiat';

/**
 * On-ramp: requested (instructions issued) -> fiat_received -> verified -> quoted -> credited -> completed;
 * cancelled or expired before the credit.
 */
export const ONRAMP_STATES = ['requested', 'fiat_received', 'verified', 'quoted', 'credited', 'completed', 'cancelled', 'expired'] as const;
export type OnRampState = (typeof ONRAMP_STATES)[number];

/**
 * Off-ramp: held (requested, balance reserved) -> crypto_pending (in the withdrawals pipeline) -> crypto_sent
 * -> converted -> fiat_paid -> completed; refunded from any step before the payout.
 */
export const OFFRAMP_STATES = ['held', 'crypto_pending', 'crypto_sent', 'converted', 'fiat_paid', 'completed', 'refunded'] as const;
export type OffRampState = (typeof OFFRAMP_STATES)[number];

/** How the fiat that arrived compares to what was requested: flagged for the officer, never guessed. */
export type FiatAmountFlag = 'exact' | 'partial' | 'excess';

export interface RampEventView {
  from: string | null;
  to: string;
  operator: string;
  at: string;
  detail: Record<string, unknown>;
}

/** Where the client sends the fiat: the company's receiving account on the rail, and the reference to quote. */
export interface OnRampInstructions {
  rail: BankRail;
  beneficiary: string;
  account: Record<string, string>;
  currency: FiatCurrency;
  /** Base-unit decimal string of the currency's minor units. */
  amount: string;
  reference: string;
  expiresAt: string;
}

export interface OnRampView {
  id: string;
  clientId: string;
  walletId: string;
  assetId: string;
  rail: BankRail;
  currency: FiatCurrency;
  /** Minor units, decimal string. */
  requestedAmount: string;
  reference: string;
  instructions: OnRampInstructions;
  state: OnRampState;
  receivedAmount: string | null;
  bankReference: string | null;
  amountFlag: FiatAmountFlag | null;
  /** Crypto per one whole fiat unit, decimal text as the officer entered it. */
  rate: string | null;
  fee: string | null;
  /** Base units of the asset, shown before crediting. */
  cryptoAmount: string | null;
  ledgerTransferId: string | null;
  expiresAt: string;
  reason: string | null;
  createdAt: string;
  updatedAt: string;
  history: RampEventView[];
  /** A credit waiting for approvers (uncovered, or covered above the threshold): who asked for it, who approved so far, how many it needs. */
  creditApproval: { requestedBy: string; approvals: string[]; needed: number } | null;
  /** What the signed-in operator may do with it now (the window's buttons). */
  allowedActions?: OnRampAction[];
}

/** The on-ramp buttons that depend on who is looking: a credit's maker never sees approveCredit. */
export const ONRAMP_ACTIONS = ['approveCredit'] as const;
export type OnRampAction = (typeof ONRAMP_ACTIONS)[number];

export interface OffRampView {
  id: string;
  clientId: string;
  walletId: string;
  bankAccountId: string;
  assetId: string;
  /** Base units of the asset. */
  cryptoAmount: string;
  state: OffRampState;
  holdTransferId: string;
  destinationAddress: string | null;
  payoutId: string | null;
  txHash: string | null;
  /** Fiat per one whole crypto unit. */
  rate: string | null;
  fee: string | null;
  currency: FiatCurrency | null;
  fiatAmount: string | null;
  payoutReference: string | null;
  reason: string | null;
  createdAt: string;
  updatedAt: string;
  history: RampEventView[];
}

export interface RampSettingsView {
  /** The company's receiving account per rail, for on-ramp instructions. */
  receivingAccounts: Array<{ rail: BankRail; beneficiary: string; account: Record<string, string> }>;
  /** The off-ramp / liquidity address per chain the crypto leg is sent to. */
  offRampDestinations: Array<{ chain: string; address: string }>;
  onRampTtlHours: number;
}

/** What an off-ramp would pay out now (ramps:offramp:simulate): fiat amounts in the currency's minor units. */
export interface OffRampSimulation {
  assetId: string;
  /** Crypto base units. */
  amount: string;
  currency: FiatCurrency;
  /** Fiat per whole crypto unit. */
  rate: string;
  convertedAmount: string;
  fee: string;
  finalAmount: string;
  /** The converted off-ramp whose rate and fee share were used. */
  basis: { offRampId: string; convertedAt: string };
}
