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
