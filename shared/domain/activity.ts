import type { Chain } from './chains';

/** The kinds of movement the activity feed lists, across every wallet. */
export const ACTIVITY_TYPES = ['deposit', 'sweep', 'withdrawal', 'internal_transfer', 'onramp', 'offramp', 'credit'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

/** One movement on one wallet, newest first in the feed. Amounts are base-unit strings (null: not yet known). */
export interface ActivityItem {
  /** Unique in the feed: the type and the movement's own id ("deposit:…"). */
  id: string;
  type: ActivityType;
  /** The movement's own id (a deposit's, a withdrawal's, a ledger transfer's number). */
  sourceId: string;
  at: string;
  walletId: string | null;
  walletLabel: string | null;
  clientId: string | null;
  /** The client's legal name, opened by the engine (client names are sealed at rest). */
  clientName: string | null;
  /** An internal transfer's receiving wallet. */
  counterpartyWalletId: string | null;
  counterpartyWalletLabel: string | null;
  chain: Chain;
  assetId: string;
  amount: string | null;
  /** The movement's own state word (confirmed, broadcast, credited, posted, …). */
  status: string;
  txHash: string | null;
}

export interface ActivityFilter {
  /** Inclusive ISO day (YYYY-MM-DD) or timestamp. */
  from?: string;
  /** Inclusive ISO day (YYYY-MM-DD: the whole day) or timestamp. */
  to?: string;
  types?: ActivityType[];
  chain?: Chain;
  assetId?: string;
  clientId?: string;
  walletId?: string;
}

/** What Ctrl+K finds: each hit names its kind and the ids the window opens it by. */
export type SearchHit =
  | { kind: 'client'; clientId: string; name: string; kycStatus: string }
  | { kind: 'wallet'; walletId: string; label: string; chain: Chain; address: string; clientName: string | null; matched: 'alias' | 'address' }
  | {
      kind: 'transaction';
      type: 'deposit' | 'withdrawal' | 'sweep';
      id: string;
      txHash: string | null;
      walletId: string | null;
      walletLabel: string | null;
      assetId: string;
      amount: string;
      status: string;
      at: string;
    };

export interface SearchResults {
  clients: Extract<SearchHit, { kind: 'client' }>[];
  wallets: Extract<SearchHit, { kind: 'wallet' }>[];
  transactions: Extract<SearchHit, { kind: 'transaction' }>[];
}

/** Each movement kind in the officer's words (the feed's type column and filter, the CSV). */
export const ACTIVITY_TYPE_LABELS: Record<ActivityType, string> = {
  deposit: 'Deposit',
  sweep: 'Sweep',
  withdrawal: 'Withdrawal',
  internal_transfer: 'Internal transfer',
  onramp: 'On-ramp',
  offramp: 'Off-ramp',
  credit: 'Manual credit',
};
