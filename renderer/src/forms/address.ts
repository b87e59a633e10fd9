import { chainFamily, type Chain } from '@shared/domain/chains';

/**
 * A first, shape-only check of an external address as it is typed; the engine's chain adapter has the
 * last word (EIP-55 checksum, Tron base58check) and its refusal is shown as is.
 */
export function addressProblem(chain: Chain, address: string): string | undefined {
  const a = address.trim();
  if (a === '') return 'Enter the destination address.';
  if (chainFamily(chain) === 'evm') {
    if (!/^0x[0-9a-fA-F]{40}$/.test(a)) return 'An address on this chain is 0x followed by 40 hexadecimal characters.';
  } else if (!/^T[1-9A-HJ-NP-Za-km-z]{33}$/.test(a)) {
    return 'A Tron address starts with T and has 34 base58 characters.';
  }
  return undefined;
}
