import type { Chain } from './chains';

/** Why the watcher could not credit it: a token outside the registry, native coin sent by a contract, or the other EVM chain. */
export const UNIDENTIFIED_FUND_KINDS = ['unknown_token', 'internal_native', 'other_chain'] as const;
export type UnidentifiedFundKind = (typeof UNIDENTIFIED_FUND_KINDS)[number];

/** One entry of the "Unidentified funds" queue. Amount in base units (decimal string); `decimals` null when the token does not say. */
export interface UnidentifiedFundView {
  id: string;
  chain: Chain;
  kind: UnidentifiedFundKind;
  /** null for native coin. */
  tokenContract: string | null;
  symbol: string | null;
  decimals: number | null;
  amount: string;
  address: string;
  walletId: string | null;
  walletLabel: string | null;
  /** The chain of the wallet whose address received it (differs from `chain` for `other_chain`). */
  walletChain: Chain | null;
  from: string;
  txHash: string;
  blockNumber: string;
  state: 'seen' | 'orphaned';
  confirmations: number;
  requiredConfirmations: number;
  seenAt: string;
}
