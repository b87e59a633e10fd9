import { computeAddress, concat, encodeBase58, getBytes, hexlify, HDNodeWallet, sha256 } from 'ethers';
import { chainFamily, type Chain } from '@shared/domain/chains';

/**
 * BIP-44 paths. Deposit addresses use account 0 (m/44'/coin'/0'/0/i) so any BIP-44 wallet restored from
 * the mnemonic finds them; the gas tank sits on account 1, apart from every deposit index.
 * Polygon and BNB Chain share coin type 60, so deposit i (and the gas tank) is one address on both.
 */
const COIN_TYPE = { evm: 60, tron: 195 } as const;

export const MAX_DEPOSIT_INDEX = 0x7fffffff;

export function depositPath(chain: Chain, index: number): string {
  if (!Number.isInteger(index) || index < 0 || index > MAX_DEPOSIT_INDEX) {
    throw new RangeError(`deposit index must be an integer in [0, 2^31), got ${index}`);
  }
  return `m/44'/${COIN_TYPE[chainFamily(chain)]}'/0'/0/${index}`;
}

export function gasTankPath(chain: Chain): string {
  return `m/44'/${COIN_TYPE[chainFamily(chain)]}'/1'/0/0`;
}

/** Tron address: 0x41 then the last 20 bytes of keccak256 of the uncompressed public key, base58check. */
export function tronAddressFromPublicKey(publicKey: string | Uint8Array): string {
  const payload = getBytes(concat(['0x41', computeAddress(hexlify(publicKey))]));
  const checksum = getBytes(sha256(sha256(payload))).slice(0, 4);
  return encodeBase58(concat([payload, checksum]));
}

/** The chain's canonical address of a public key: EIP-55 for EVM chains, base58 T-address for Tron. */
export function addressFromPublicKey(chain: Chain, publicKey: string): string {
  return chainFamily(chain) === 'tron' ? tronAddressFromPublicKey(publicKey) : computeAddress(publicKey);
}

export interface DerivedKey {
  chain: Chain;
  path: string;
  address: string;
  /** 0x-prefixed hex, 32 bytes. Hold only as long as one signature needs it. */
  privateKey: string;
}

/**
 * Derives deposit and gas-tank keys from a BIP-39 seed. It asks for the seed on every use instead of
 * holding it, so once the vault locks, a keyring someone kept a reference to stops working.
 */
export class SeedKeyring {
  /** Account-level nodes (m/44'/coin'/0'/0), so deposit i costs one child derivation; dropped on lock. */
  private accountNodes = new Map<string, { seed: Uint8Array; node: HDNodeWallet }>();

  constructor(private readonly seed: () => Uint8Array) {}

  depositAddress(chain: Chain, index: number): string {
    return this.depositKey(chain, index).address;
  }

  gasTankAddress(chain: Chain): string {
    return this.gasTankKey(chain).address;
  }

  depositKey(chain: Chain, index: number): DerivedKey {
    const path = depositPath(chain, index);
    const node = this.accountNode(chain).deriveChild(index);
    return { chain, path, address: addressFromPublicKey(chain, node.publicKey), privateKey: node.privateKey };
  }

  gasTankKey(chain: Chain): DerivedKey {
    const path = gasTankPath(chain);
    const node = HDNodeWallet.fromSeed(this.seed()).derivePath(path);
    return { chain, path, address: addressFromPublicKey(chain, node.publicKey), privateKey: node.privateKey };
  }

  private accountNode(chain: Chain): HDNodeWallet {
    const seed = this.seed();
    const family = chainFamily(chain);
    const cached = this.accountNodes.get(family);
    // Compared by identity: a vault re-unlocked (or restored) hands out a new seed buffer.
    if (cached && cached.seed === seed) return cached.node;
    const node = HDNodeWallet.fromSeed(seed).derivePath(depositPath(chain, 0).replace(/\/0$/, ''));
    this.accountNodes.set(family, { seed, node });
    return node;
  }

  forget(): void {
    this.accountNodes.clear();
  }
}
