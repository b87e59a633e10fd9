import type { Chain } from './chains';

/**
 * Every kind of alert, stable names (webhooks and the audit trail carry them). Grouped by cause: the gas tank,
 * reorgs, sweeps and withdrawals that failed or hang, approvals waiting, the chain's node, uncovered credit,
 * deposits below their minimum, and funds at our addresses nobody can be credited with.
 */
export const ALERT_KINDS = [
  'gas_tank_low',
  'deep_reorg',
  'reorg_beyond_history',
  'reorg_credit_kept',
  'outgoing_reorged',
  'sweep_failed',
  'sweep_stuck',
  'balance_mismatch',
  'withdrawal_failed',
  'withdrawal_stuck',
  'approvals_waiting',
  'chain_unhealthy',
  'chain_lagging',
  'tracing_unavailable',
  'uncovered_credit_high',
  'deposit_below_minimum',
  'unidentified_funds',
  'wrong_chain_deposit',
  'unknown_holding_transactions',
  'webhook_failed',
  'deny_list_hit',
  'deposit_frozen',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** The heading an officer reads for each kind (notification title, notification centre). */
export const ALERT_TITLES: Record<AlertKind, string> = {
  gas_tank_low: 'Gas tank running low',
  deep_reorg: 'Deep chain reorganisation',
  reorg_beyond_history: 'Chain reorganisation beyond the kept history',
  reorg_credit_kept: 'Reorg removed a deposit already spent',
  outgoing_reorged: 'Reorg took back a payment of ours',
  sweep_failed: 'Sweep failed',
  sweep_stuck: 'Sweep not confirming',
  balance_mismatch: 'Deposit address holds less than credited',
  withdrawal_failed: 'Withdrawal failed',
  withdrawal_stuck: 'Withdrawal not confirming',
  approvals_waiting: 'Approvals waiting',
  chain_unhealthy: 'Chain node not answering',
  chain_lagging: 'Chain node behind',
  tracing_unavailable: 'Node cannot trace internal transfers',
  uncovered_credit_high: 'Uncovered credit above its limit',
  deposit_below_minimum: 'Deposit below the minimum',
  unidentified_funds: 'Unidentified funds arrived',
  wrong_chain_deposit: 'Deposit on the wrong chain',
  unknown_holding_transactions: 'Holding wallet sent transactions not in the books',
  webhook_failed: 'Webhook delivery given up',
  deny_list_hit: 'Deny-listed destination refused',
  deposit_frozen: 'Deposit to a suspended client frozen',
};

export const ALERT_STATES = ['open', 'acknowledged'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/** One alert: raised by its cause, counted while that cause repeats, acknowledged once by an operator. */
export interface AlertView {
  id: string;
  kind: AlertKind;
  title: string;
  /** null: not about one chain (approvals waiting, uncovered credit). */
  chain: Chain | null;
  message: string;
  details: Record<string, unknown>;
  state: AlertState;
  /** How often the cause was seen while this alert stood. */
  count: number;
  createdAt: string;
  lastRaisedAt: string;
  /** The cause went away (a refilled tank, a node that caught up); the alert stays in the list until acknowledged. */
  resolvedAt: string | null;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
}

export interface AlertCounts {
  /** Not yet acknowledged: the bell's number. */
  open: number;
  byKind: Partial<Record<AlertKind, number>>;
}

/**
 * When an alert is raised: an asset's uncovered credit above its limit in `uncoveredCreditLimits` (base units,
 * by asset id; an asset not named: any uncovered credit), approvals waiting longer than `approvalWaitMinutes`, sweeps and withdrawals unconfirmed after
 * `stuckMinutes`, a node behind by more than `lagBlocks`.
 */
export interface AlertSettings {
  uncoveredCreditLimits: Record<string, string>;
  approvalWaitMinutes: number;
  stuckMinutes: number;
  lagBlocks: number;
}

export const DEFAULT_ALERT_SETTINGS: AlertSettings = { uncoveredCreditLimits: {}, approvalWaitMinutes: 30, stuckMinutes: 30, lagBlocks: 50 };
