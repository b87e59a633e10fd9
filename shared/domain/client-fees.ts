/**
 * What a client pays the company for a withdrawal, per asset, optionally overridden for one client.
 * Amounts are base-unit decimal strings; `percent` is a decimal string of percent ("0.25" is 0.25 %).
 */
export const CLIENT_FEE_MODES = ['on_top', 'deducted'] as const;
/** on_top: the client's balance pays amount + fee and the destination receives the amount.
 *  deducted: the balance pays the amount and the destination receives the amount less the fee (the net amount). */
export type ClientFeeMode = (typeof CLIENT_FEE_MODES)[number];

export interface ClientFeeRule {
  /** Base units charged on every withdrawal. */
  fixed: string;
  /** Percent of the requested amount, at most 4 decimal places ("0.1", "1.25"). */
  percent: string;
  /** The fee is never below this (base units); absent: no minimum. */
  minimum?: string;
  mode: ClientFeeMode;
}

export interface ClientFeeSchedule {
  /** Per asset id. */
  assets: Record<string, ClientFeeRule>;
  /** Per client id, then per asset id: replaces the asset's rule for that client. */
  clients: Record<string, Record<string, ClientFeeRule>>;
}

/** What a withdrawal of `requested` would cost the client, before it is made. */
export interface ClientFeeQuote {
  assetId: string;
  requested: string;
  fee: string;
  mode: ClientFeeMode;
  /** What leaves the client's balance (requested + fee on top, or requested when deducted). */
  debited: string;
  /** What the destination receives (requested on top, requested - fee when deducted). */
  netAmount: string;
  /** Where the rule came from: the client's own override, the asset's schedule, or none (no fee). */
  source: 'client' | 'asset' | 'none';
}
