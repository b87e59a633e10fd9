import type { Chain } from './chains';

/**
 * Why the watcher could not credit it: a token outside the registry, native coin sent by a contract, the other
 * EVM chain, or an address of a closed wallet (closed wallets receive no credits).
 */
export const UNIDENTIFIED_FUND_KINDS = ['unknown_token', 'internal_native', 'other_chain', 'closed_wallet'] as const;
export type UnidentifiedFundKind = (typeof UNIDENTIFIED_FUND_KINDS)[number];

/**
 * What an officer may propose: credit the wallet whose address received it (registering the token), book it as
 * company funds (swept to holding with the address's next sweep), or send it back to its sender (signed by the
 * deposit address's key; a native return pays its network fee out of the returned coins).
 */
export const STRAY_RECOVERY_ACTIONS = ['credit_wallet', 'company_funds', 'return_to_sender'] as const;
export type StrayRecoveryAction = (typeof STRAY_RECOVERY_ACTIONS)[number];

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
  /** Who signed the transaction that brought the funds: the address a return goes to unless the officer changes it. */
  txSender: string | null;
  txHash: string;
  blockNumber: string;
  state: 'seen' | 'orphaned';
  confirmations: number;
  requiredConfirmations: number;
  seenAt: string;
  recovery: {
    action: StrayRecoveryAction;
    /** 'returning': the approved return is being signed, sent and confirmed. */
    state: 'proposed' | 'returning' | 'done';
    proposedBy: string;
    proposedAt: string;
    decidedBy: string | null;
    decidedAt: string | null;
    depositId: string | null;
    /** return_to_sender: the address paid, and the return transaction once signed. */
    returnTo: string | null;
    returnTxHash: string | null;
  } | null;
}
