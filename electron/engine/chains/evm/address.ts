import { getAddress } from 'ethers';
import type { Chain } from '@shared/domain/chains';
import { AddressError } from '@engine/chains/errors';

const HEX_ADDRESS = /^0x[0-9a-fA-F]{40}$/;
/** Base58 T-address, or the 0x41-prefixed hex form Tron also uses. */
const TRON_LOOKING = /^(T[1-9A-HJ-NP-Za-km-z]{33}|(0x)?41[0-9a-fA-F]{40})$/;

/**
 * The EIP-55 checksummed form of an EVM address. All-lowercase (or all-uppercase) hex carries no
 * checksum and is accepted; mixed case must pass EIP-55, since a failed checksum means a typo.
 */
export function normalizeEvmAddress(chain: Chain, address: string): string {
  const candidate = address.trim();
  if (candidate === '') throw new AddressError(chain, address, 'empty');
  if (TRON_LOOKING.test(candidate)) {
    throw new AddressError(chain, address, 'wrong_chain', `"${address}" is a Tron address, not a ${chain} address`);
  }
  if (!HEX_ADDRESS.test(candidate)) {
    const reason = /^[0-9a-fA-F]{40}$/.test(candidate) ? 'wrong_prefix' : 'malformed';
    throw new AddressError(chain, address, reason);
  }
  const body = candidate.slice(2);
  const checksummed = getAddress(candidate.toLowerCase());
  const hasChecksum = body !== body.toLowerCase() && body !== body.toUpperCase();
  if (hasChecksum && checksummed !== candidate) throw new AddressError(chain, address, 'bad_checksum');
  return checksummed;
}
