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

export type SweepWaitReason = 'gas_tank_low' | 'no_holding_wallet' | 'locked' | 'deposit_confirming';

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
  error: string | null;
  trigger: 'rule' | 'schedule' | 'manual';
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
}
