import type { Chain } from './chains';

/**
 * A client's statement for a period: per asset, the opening balance, every movement that changed the settled
 * balance in the period, and the closing balance. Amounts are base-unit strings (the window formats them);
 * a movement's amount is signed by its direction.
 */
export const STATEMENT_FORMATS = ['pdf', 'csv'] as const;
export type StatementFormat = (typeof STATEMENT_FORMATS)[number];

export const MOVEMENT_KINDS = ['deposit', 'withdrawal', 'internal_transfer', 'onramp', 'offramp', 'credit', 'reversal', 'correction'] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

export interface StatementMovement {
  transferId: string;
  at: string;
  kind: MovementKind;
  /** For people: "Deposit", "Withdrawal to 0xab…", "Transfer from Savings". */
  description: string;
  direction: 'in' | 'out';
  amount: string;
  /** Settled balance of the asset after this movement. */
  balanceAfter: string;
  walletLabel: string;
  txHash: string | null;
  explorerUrl: string | null;
  /** An internal transfer's other wallet, by its alias. */
  counterparty: string | null;
  /** A withdrawal's network fee (paid by the company), in the chain's native coin. */
  fee: { amount: string; assetId: string } | null;
  reference: string | null;
}

export interface StatementAsset {
  assetId: string;
  chain: Chain;
  symbol: string;
  decimals: number;
  opening: string;
  totalIn: string;
  totalOut: string;
  closing: string;
  /** Held for withdrawals or off-ramps not yet settled at the end of the period (not in the closing balance). */
  heldAtClose: string;
  movements: StatementMovement[];
}

export interface Statement {
  client: { id: string; name: string };
  network: string;
  /** Inclusive calendar days in UTC. */
  from: string;
  to: string;
  generatedAt: string;
  assets: StatementAsset[];
}

export interface IssuedStatement {
  fileName: string;
  format: StatementFormat;
  bytes: number;
  sha256: string;
  issuedAt: string;
  /** The file itself, for the window to save (base64). */
  content: string;
  /** Where the engine keeps its copy (the data folder's exports). */
  file: string;
}

export interface StatementVerification {
  sha256: string;
  issued: boolean;
  /** Present when issued: what the audit log recorded. */
  issuedAt?: string;
  issuedBy?: string;
  clientName?: string;
  from?: string;
  to?: string;
  format?: StatementFormat;
  auditSeq?: number;
}
