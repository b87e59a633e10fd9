import type { Chain } from './chains';

/** seen (incoming, not spendable) -> confirmed (credited once) -> swept; or orphaned by a reorg (credit reversed). */
export const DEPOSIT_STATES = ['seen', 'confirmed', 'swept', 'orphaned'] as const;
export type DepositState = (typeof DEPOSIT_STATES)[number];

/** 'client': to a deposit address, credited to its wallet. 'reserve': to the holding address, the company topping up. */
export type DepositKind = 'client' | 'reserve';

export interface DepositView {
  id: string;
  chain: Chain;
  kind: DepositKind;
  walletId: string | null;
  assetId: string;
  amount: string;
  txHash: string;
  logIndex: number;
  blockNumber: string;
  from: string;
  to: string;
  state: DepositState;
  /** Blocks on top of the deposit's block (inclusive) when last scanned, and how many the chain needs. */
  confirmations: number;
  requiredConfirmations: number;
  /** Under the asset's minimum deposit when confirmed: not credited to the client (company reserve) until an officer does. */
  belowMinimum: boolean;
  /** Credited to the client, by the watcher or (below the minimum) by an officer by hand. */
  credited: boolean;
  /**
   * A reorg took the deposit's block away after the client had spent the credit, so the credit could not be
   * reversed: the client holds money the chain no longer shows (until the transaction is included again).
   */
  creditKept: boolean;
  sweepId: string | null;
  seenAt: string;
  confirmedAt: string | null;
}

/** The smallest deposit credited to a client, per asset; smaller ones are recorded as below the minimum. */
export interface DepositMinimumView {
  assetId: string;
  chain: Chain;
  /** Base units. */
  minAmount: string;
  isDefault: boolean;
  defaultMinAmount: string;
}

/** Something the officer must look at: a reorg deeper than the confirmation depth, a failed sweep, a deposit on the wrong chain. */
export interface ChainAlertView {
  id: string;
  chain: Chain;
  kind: 'deep_reorg' | 'reorg_beyond_history' | 'reorg_credit_kept' | 'outgoing_reorged' | 'gas_tank_low' | 'node_behind' | 'sweep_failed' | 'balance_mismatch' | 'wrong_chain_deposit' | 'tracing_unavailable' | 'unknown_holding_transactions' | 'deny_list_hit';
  message: string;
  details: Record<string, unknown>;
  createdAt: string;
}
