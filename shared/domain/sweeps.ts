import type { Chain } from './chains';

export const SWEEP_MODES = ['on_confirmation', 'schedule', 'manual'] as const;
export type SweepMode = (typeof SWEEP_MODES)[number];

/**
 * planned -> gas_signed -> gas_funding -> gas_funded -> signed -> broadcast -> confirmed. Native-coin
 * sweeps skip the gas steps. 'waiting' names a reason (gas tank low, no holding wallet, locked);
 * 'failed' is final after the retries (an officer can sweep again).
 */
export const SWEEP_STATES = ['planned', 'waiting', 'gas_signed', 'gas_funding', 'gas_funded', 'signed', 'broadcast', 'confirmed', 'failed'] as const;
export type SweepState = (typeof SWEEP_STATES)[number];

/**
 * deposits: a deposit address's coins to the holding wallet. gas_return: the change the gas tank left at a deposit
 * address after its token sweeps, sent back to the gas tank (with the address's next native sweep, or on demand).
 */
export const SWEEP_KINDS = ['deposits', 'gas_return'] as const;
export type SweepKind = (typeof SWEEP_KINDS)[number];

/** What "Reclaim gas change" did on one chain. */
export interface GasReclaimView {
  chain: Chain;
  /** Gas returns planned now, one per deposit address. */
  planned: SweepView[];
  /** Addresses whose change is too small to be worth the network fee of sending it back. */
  tooSmall: number;
  /** Addresses with a sweep under way: their change is reclaimed after it. */
  busy: number;
}

/** fee_above_limit: the fee is more than the asset's rule allows for the amount; later deposits join the sweep. */
export type SweepWaitReason = 'gas_tank_low' | 'no_holding_wallet' | 'locked' | 'deposit_confirming' | 'fee_above_limit';

export interface SweepRuleView {
  assetId: string;
  chain: Chain;
  /** Smallest unswept amount worth a sweep, base units. */
  minAmount: string;
  mode: SweepMode;
  /** For mode 'schedule'. */
  intervalMinutes: number;
  /** True while the officer never changed it: the values shown are the defaults. */
  isDefault: boolean;
  defaults: { minAmount: string; mode: SweepMode; intervalMinutes: number };
  /** Sweep only while the expected fee is at most this percent of the amount; null: always. */
  maxFeePercent: string | null;
  /** Tokens: one native coin's value in the token's units, to set the fee against the amount. */
  nativePrice: string | null;
}

export interface SweepView {
  id: string;
  chain: Chain;
  walletId: string;
  fromAddress: string;
  toAddress: string | null;
  assetId: string;
  amount: string;
  state: SweepState;
  waitReason: SweepWaitReason | null;
  /** What the officer must send to the gas tank for this sweep to go on, native base units. */
  topUpAmount: string | null;
  attempts: number;
  gasTxHash: string | null;
  txHash: string | null;
  gasFeePaid: string | null;
  feePaid: string | null;
  /** The fee it expects to pay (its cost beside its amount), native base units; null before it is quoted. */
  expectedFee: string | null;
  error: string | null;
  trigger: 'rule' | 'schedule' | 'manual';
  /**
   * Set when the sweep returns unidentified funds to their sender (toAddress) instead of moving them to holding;
   * a token outside the registry is named here (its assetId is then no registry id).
   */
  strayReturn: { strayId: string; symbol: string; decimals: number } | null;
  kind: SweepKind;
  createdAt: string;
  updatedAt: string;
}

export interface GasTankView {
  chain: Chain;
  /** null while the vault is locked (the address comes from the seed). */
  address: string | null;
  nativeAssetId: string;
  balance: string | null;
  /** Sum of what waiting sweeps need on top of the balance. */
  topUpNeeded: string;
  waitingSweeps: number;
  /** Below this (native base units, a chain setting) the tank is low: an alert, and the card says so. */
  threshold: string;
  /** null while the balance cannot be read. */
  low: boolean | null;
  /**
   * About how many more token sweeps the balance pays for, at what the last gas fundings on this chain cost
   * (value sent plus fee); null before the first funding or while the balance cannot be read.
   */
  sweepsCovered: number | null;
  /** Tron only: the stake behind the tank's energy (null on other chains, while locked or unreadable). */
  energy: GasTankEnergyView | null;
}

/** The Tron gas tank's Stake 2.0 position; amounts are TRX base units as decimal strings, times ISO (chain time). */
export interface GasTankEnergyView {
  /** Staked for energy and kept by the tank (not lent out now). */
  staked: string;
  /** Staked and lent to deposit addresses for their sweeps right now. */
  lent: string;
  energyLimit: string;
  energyUsed: string;
  /** Unstaked amounts waiting out the unstaking period, soonest first; `due` once withdrawable. */
  unstaking: Array<{ amount: string; withdrawableAt: string; due: boolean }>;
  /** The sum of those that are due. */
  withdrawable: string;
}
