import { isError } from 'ethers';
import { BroadcastRejectedError } from '../chains/errors';

/**
 * Every way a node says no to one of our transactions, EVM and Tron, named once. The adapters throw a
 * BroadcastRejectedError whose `reason` is one of these; sweeps and withdrawals decide their next step
 * from `REFUSALS[kind].next` instead of matching node texts themselves.
 */
export type RefusalKind =
  // EVM (geth, bor, bsc-geth, erigon and anvil wordings)
  | 'replacement_underpriced'
  | 'fee_too_low'
  | 'nonce_too_low'
  | 'already_known'
  | 'insufficient_funds'
  | 'intrinsic_gas_too_low'
  | 'execution_reverted'
  // Tron (java-tron's broadcast response codes)
  | 'duplicate'
  | 'tapos'
  | 'expired'
  | 'bandwidth'
  | 'out_of_energy'
  | 'server_busy'
  | 'signature'
  | 'contract_invalid'
  | 'other';

/**
 * What the owner of the transaction does next:
 * - `track`: the node has it (or had it): treat as broadcast and follow its receipt.
 * - `reprice`: same nonce again, paying at least the larger of the market fee and the replaced fee + 12.5%.
 * - `check_mined`: the nonce is used; if one of our hashes for it is mined, follow that one, else the nonce
 *   was taken by someone else and this transaction can never be mined.
 * - `wait_funds`: the sender cannot pay; wait for a top-up (nothing new is signed meanwhile).
 * - `rebuild`: this transaction can never be mined; build a new one (new gas limit, new reference block).
 * - `retry_later`: the node is busy or unreachable; send the same bytes again later.
 * - `give_up`: the transfer itself cannot succeed as asked; fail, once nothing else of it may be mined.
 */
export type RefusalStep = 'track' | 'reprice' | 'check_mined' | 'wait_funds' | 'rebuild' | 'retry_later' | 'give_up';

export interface RefusalRule {
  next: RefusalStep;
  /** True when the refused bytes may still end up in a block (the node or a peer holds them). */
  mayStillBeMined: boolean;
  /** Plain words for an officer, without the node's codes. */
  explanation: string;
}

export const REFUSALS: Record<RefusalKind, RefusalRule> = {
  replacement_underpriced: { next: 'reprice', mayStillBeMined: false, explanation: 'the node wants a higher fee to replace the pending transaction' },
  fee_too_low: { next: 'reprice', mayStillBeMined: false, explanation: 'the fee is below what the network accepts now' },
  nonce_too_low: { next: 'check_mined', mayStillBeMined: false, explanation: 'a transaction with this sequence number is already mined' },
  already_known: { next: 'track', mayStillBeMined: true, explanation: 'the node already has this transaction' },
  insufficient_funds: { next: 'wait_funds', mayStillBeMined: false, explanation: 'the sending address cannot pay the amount and the network fee' },
  intrinsic_gas_too_low: { next: 'rebuild', mayStillBeMined: false, explanation: 'the gas limit is below what the transaction needs' },
  execution_reverted: { next: 'give_up', mayStillBeMined: false, explanation: 'the transfer would revert on chain' },
  // The adapter returns success when the node holds this very transaction; thrown, it means the node saw the
  // txID before (java-tron's broadcast cache keeps refused ones too) but holds nothing of ours under it.
  duplicate: { next: 'rebuild', mayStillBeMined: false, explanation: 'the node has seen this transaction before but does not hold it' },
  tapos: { next: 'rebuild', mayStillBeMined: false, explanation: 'its reference block is no longer on the chain' },
  expired: { next: 'rebuild', mayStillBeMined: false, explanation: 'it expired before it was mined' },
  bandwidth: { next: 'wait_funds', mayStillBeMined: false, explanation: 'the sending address has no TRX for bandwidth' },
  out_of_energy: { next: 'rebuild', mayStillBeMined: false, explanation: 'it ran out of energy (mined, fee burned)' },
  server_busy: { next: 'retry_later', mayStillBeMined: false, explanation: 'the node is busy' },
  signature: { next: 'give_up', mayStillBeMined: false, explanation: 'the signature does not match the sender' },
  contract_invalid: { next: 'give_up', mayStillBeMined: false, explanation: 'the node refused the transfer as invalid' },
  other: { next: 'retry_later', mayStillBeMined: false, explanation: 'the node refused it for a reason it did not name' },
};

/** Ordered: the first pattern that matches the node's text wins (geth, bor, bsc, erigon, nethermind, anvil). */
const EVM_TEXTS: Array<[RegExp, RefusalKind]> = [
  [/already known|already imported|known transaction|alreadyknown/i, 'already_known'],
  [/replacement transaction underpriced|replacement fee too low|replacement.*underpriced/i, 'replacement_underpriced'],
  [/nonce too low|nonce has already been used|oldnonce/i, 'nonce_too_low'],
  [/insufficient funds|insufficient balance/i, 'insufficient_funds'],
  [/intrinsic gas too low|gas limit too low|intrinsicgas/i, 'intrinsic_gas_too_low'],
  [/execution reverted|reverted/i, 'execution_reverted'],
  [/underpriced|fee too low|less than block base fee|below minimum|gas price too low|feecap.*too low|tip.*too low|priority fee/i, 'fee_too_low'],
];

/** java-tron's response codes; OUT_OF_ENERGY arrives as a contractRet of a mined transaction, not from broadcast. */
const TRON_CODES: Record<string, RefusalKind> = {
  DUP_TRANSACTION_ERROR: 'duplicate',
  TAPOS_ERROR: 'tapos',
  TRANSACTION_EXPIRATION_ERROR: 'expired',
  BANDWITH_ERROR: 'bandwidth',
  OUT_OF_ENERGY: 'out_of_energy',
  SERVER_BUSY: 'server_busy',
  NOT_ENOUGH_EFFECTIVE_CONNECTION: 'server_busy',
  NO_CONNECTION: 'server_busy',
  BLOCK_UNSOLIDIFIED: 'server_busy',
  SIGERROR: 'signature',
  CONTRACT_VALIDATE_ERROR: 'contract_invalid',
  CONTRACT_EXE_ERROR: 'execution_reverted',
  TOO_BIG_TRANSACTION_ERROR: 'contract_invalid',
};

/** The node's own JSON-RPC error text, which ethers keeps under `error` or `info.error`. */
export function nodeMessage(error: unknown): string {
  const e = error as { error?: { message?: unknown }; info?: { error?: { message?: unknown } }; shortMessage?: unknown; message?: unknown };
  for (const candidate of [e?.info?.error?.message, e?.error?.message, e?.shortMessage, e?.message]) {
    if (typeof candidate === 'string' && candidate) return candidate;
  }
  return String(error);
}

/** An EVM node's refusal, from its message text first (codes differ between clients), then ethers' code. */
export function classifyEvmRefusal(error: unknown): RefusalKind {
  const text = nodeMessage(error);
  for (const [pattern, kind] of EVM_TEXTS) if (pattern.test(text)) return kind;
  if (isError(error, 'NONCE_EXPIRED')) return 'nonce_too_low';
  if (isError(error, 'REPLACEMENT_UNDERPRICED')) return 'replacement_underpriced';
  if (isError(error, 'INSUFFICIENT_FUNDS')) return 'insufficient_funds';
  return 'other';
}

export function classifyTronRefusal(code: string | undefined): RefusalKind {
  return (code && TRON_CODES[code]) || 'other';
}

/** The kind of a BroadcastRejectedError, or null for anything else (a dead endpoint is no refusal). */
export function refusalOf(error: unknown): RefusalKind | null {
  return error instanceof BroadcastRejectedError ? error.kind : null;
}

export function refusalStep(kind: RefusalKind): RefusalStep {
  return REFUSALS[kind].next;
}
