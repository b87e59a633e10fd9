import type { RefusalKind } from '../outgoing/refusals';

/** Why an address was refused, so callers can tell a wrong-chain paste from a typo. */
export type AddressErrorReason =
  | 'empty'
  | 'wrong_chain'
  | 'malformed'
  | 'bad_checksum'
  | 'wrong_prefix';

/**
 * Thrown by `ChainAdapter.normalizeAddress` (and anything that validates addresses through it) when an
 * address is not a valid address of that chain. Carries a stable code so the api layer can map it.
 */
export class AddressError extends Error {
  readonly code = 'invalid_address' as const;
  override readonly name = 'AddressError';

  constructor(
    readonly chain: string,
    readonly address: string,
    readonly reason: AddressErrorReason,
    message?: string,
  ) {
    super(message ?? `Invalid ${chain} address "${address}": ${reason.replace(/_/g, ' ')}`);
  }
}

/**
 * A node refused a signed transaction (bad signature, expired, insufficient balance, ...). `reason` is
 * the chain's own code (java-tron's SIGERROR; for EVM nodes, which share no codes, the kind), `kind` the
 * class outgoing/refusals.ts gives it, from which a flow decides whether to reprice, rebuild, wait or give
 * up; the message is the node's text.
 */
export class BroadcastRejectedError extends Error {
  readonly code = 'broadcast_rejected' as const;
  override readonly name = 'BroadcastRejectedError';

  constructor(
    readonly chain: string,
    readonly txHash: string,
    readonly reason: string,
    message: string,
    readonly kind: RefusalKind = 'other',
  ) {
    super(`${chain} node refused transaction ${txHash}: ${reason}${message ? ` (${message})` : ''}`);
  }
}

/** The node answered, and it serves another network than the workspace's (chain id, Tron genesis). */
export class NetworkMismatchError extends Error {
  override readonly name = 'NetworkMismatchError';
}
