import { decodeBase58, getAddress, hexlify, sha256, toBeArray } from 'ethers';
import { chainFamily, type Chain } from '@shared/domain/chains';

/** Tron's base58check: 0x41 then 20 bytes, and the first four bytes of a double SHA-256 as checksum. */
function tronChecksumHolds(address: string): boolean {
  let bytes: Uint8Array;
  try {
    bytes = toBeArray(decodeBase58(address));
  } catch {
    return false;
  }
  if (bytes.length !== 25 || bytes[0] !== 0x41) return false;
  const body = bytes.slice(0, 21);
  const check = sha256(sha256(body)).slice(2, 10);
  return hexlify(bytes.slice(21)).slice(2) === check;
}

/**
 * An external address checked as it is typed: its shape, then its checksum (EIP-55 for mixed-case EVM
 * addresses, base58check for Tron). The engine's chain adapter checks again on submit.
 */
export function addressProblem(chain: Chain, address: string): string | undefined {
  const a = address.trim();
  if (a === '') return 'Enter the destination address.';
  if (chainFamily(chain) === 'evm') {
    if (!/^0x[0-9a-fA-F]{40}$/.test(a)) return 'An address on this chain is 0x followed by 40 hexadecimal characters.';
    const mixed = /[a-f]/.test(a.slice(2)) && /[A-F]/.test(a.slice(2));
    if (mixed) {
      try {
        if (getAddress(a) !== a) return checksumProblem();
      } catch {
        return checksumProblem();
      }
    }
  } else {
    if (!/^T[1-9A-HJ-NP-Za-km-z]{33}$/.test(a)) return 'A Tron address starts with T and has 34 characters (no 0, O, I or l).';
    if (!tronChecksumHolds(a)) return checksumProblem();
  }
  return undefined;
}

function checksumProblem(): string {
  return 'This address fails its checksum: a character is mistyped. Copy it again from its source.';
}

