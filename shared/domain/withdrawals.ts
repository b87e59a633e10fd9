import type { Chain } from './chains';
import type { AddressBookAction, WithdrawalAction } from './controls';
import type { ClientFeeMode, ClientFeeQuote } from './client-fees';
import type { ValuationCurrency } from './valuation';

/**
 * A payment out of the holding wallet. `client` pays a virtual wallet's balance to an external address,
 * `company` takes the company's own funds out, `offramp` is the crypto leg of an off-ramp.
 */
export const WITHDRAWAL_KINDS = ['client', 'company', 'offramp'] as const;
export type WithdrawalKind = (typeof WITHDRAWAL_KINDS)[number];

/** requested -> approved -> signed -> broadcast -> confirmed | failed | cancelled */
export const WITHDRAWAL_STATES = ['requested', 'approved', 'signed', 'broadcast', 'confirmed', 'failed', 'cancelled'] as const;
export type WithdrawalState = (typeof WITHDRAWAL_STATES)[number];

/** States in which the amount is still owed by the holding wallet (counted as in flight). */
export const LIVE_WITHDRAWAL_STATES: readonly WithdrawalState[] = ['requested', 'approved', 'signed', 'broadcast'];

export interface WithdrawalView {
  id: string;
  kind: WithdrawalKind;
  state: WithdrawalState;
  chain: Chain;
  assetId: string;
  /** base units */
  amount: string;
  destination: string;
  /** The holding address that pays. */
  source: string;
  walletId: string | null;
  idempotencyKey: string;
  needsApproval: boolean;
  /** Why approval is needed, in words ("above the approval threshold", "destination not whitelisted"). */
  approvalReasons: string[];
  requestedBy: string;
  approvedBy: string | null;
  signedBy: string | null;
  nonce: number | null;
  txHash: string | null;
  /** Every transaction broadcast for it (replacements included), oldest first. */
  txHashes: string[];
  failureReason: string | null;
  memo: string | null;
  cause: { type: string; id: string } | null;
  createdAt: string;
  updatedAt: string;
  /** What the signed-in operator may do with it now (get and list answer it; events do not carry it). */
  allowedActions?: WithdrawalAction[];
  /** Base units of the chain's native coin the confirming (or reverted) transaction paid; null before. */
  feePaid: string | null;
  /** The client's fee to the company, base units of the asset ('0' when none). */
  clientFee: string;
  /** How the client pays it: on top of the amount, or deducted from it; null when there is no fee. */
  clientFeeMode: ClientFeeMode | null;
  /** What left (or is held from) the client's balance: amount + clientFee. */
  debited: string;
  /** What the destination receives (CryptoMate's `net_amount`); the same as `amount`, which is what is sent on chain. */
  netAmount: string;
  /** The deny list version its destination was screened against at request (null: no list yet, or before screening). */
  screeningListVersion: number | null;
  /** When it was screened; null for withdrawals from before screening existed. */
  screenedAt: string | null;
  /** Who approved it so far (its quorum may need more than one); filled where listed for the window. */
  approvals?: string[];
}

/** The confirmation counter: blocks on top of the withdrawal's transaction now, and the depth that settles it. */
export interface WithdrawalDepth {
  /** null before a broadcast, or while no node has the transaction mined */
  confirmations: number | null;
  required: number;
  txHash: string | null;
}

/** The chain's quote for a withdrawal's network fee before it is sent: the most it pays, native base units. */
export interface WithdrawalFeeEstimate {
  /** The chain's native coin, which pays the fee whatever is withdrawn. */
  assetId: string;
  maxFee: string;
  quotedAt: string;
}

/**
 * What a client withdrawal would cost before it is requested, from the same reckoning the request makes:
 * the client's fee, the chain's network fee for this transfer from the holding wallet (in the native coin,
 * with its value where a price is set) and whether the holding wallet covers both. Nothing is held or written.
 */
export interface WithdrawalQuote {
  client: ClientFeeQuote;
  network: {
    /** The chain's native coin. */
    assetId: string;
    /** Base units; null when the chain cannot quote it yet (the holding wallet lacks the amount itself). */
    maxFee: string | null;
    /** The fee in each currency a price is set for ("0.42"). */
    values: { currency: ValuationCurrency; value: string }[];
    quotedAt: string;
  };
  /** What the company must send to its holding wallet first; null when covered. */
  shortfall: { assetId: string; amount: string; address: string; forFee: boolean; pendingWithdrawals: number } | null;
}

export interface AddressBookEntry {
  id: string;
  chain: Chain;
  address: string;
  label: string;
  /** Asked to be whitelisted: it counts as such once a second officer approved it and its time lock ran out. */
  whitelisted: boolean;
  addedBy: string;
  addedAt: string;
  approvedBy: string | null;
  approvedAt: string | null;
  /** From when a whitelisted destination may be paid (approval plus the time lock). */
  usableFrom: string | null;
  /** The deny list version it was last screened against (added, approved); null before any list. */
  screeningListVersion: number | null;
  /** Who approved the whitelisting so far (its quorum may need more than one). */
  approvals?: string[];
  /** What the signed-in operator may do with it now (the list answers it). */
  allowedActions?: AddressBookAction[];
}

/** Per asset, base-unit strings; an absent limit means none. */
export interface AssetWithdrawalRules {
  perWithdrawalLimit?: string;
  dailyLimit?: string;
  /** Per client wallet, over the last 24 hours and the last 30 days (rolling windows). */
  walletDailyLimit?: string;
  walletMonthlyLimit?: string;
  /** Velocity: at most this many withdrawals per client wallet in the last hour. */
  walletHourlyCount?: number;
  /** Per client, across all the client's wallets, over the last 24 hours and the last 30 days. */
  clientDailyLimit?: string;
  clientMonthlyLimit?: string;
  /** At or below this amount, to a whitelisted address, no second operator is needed. Absent: always. */
  approvalThreshold?: string;
}

export interface WithdrawalPolicy {
  assets: Record<string, AssetWithdrawalRules>;
}

export interface HoldingBalanceView {
  chain: Chain;
  assetId: string;
  symbol: string;
  decimals: number;
  address: string;
  /** What the chain says the holding address holds. */
  onChain: string;
  /** Withdrawals not yet settled (requested to broadcast). */
  inFlight: string;
  /** onChain - inFlight; negative when the holding wallet is short. */
  available: string;
}

/** The company's holding wallet on one chain: a Ledger account. */
export interface HoldingAddressView {
  chain: Chain;
  address: string;
  derivationPath: string;
  source: 'ledger' | 'virtual-ledger';
}
