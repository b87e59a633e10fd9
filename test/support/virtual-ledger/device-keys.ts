import {
  computeAddress,
  concat,
  dataSlice,
  encodeBase58,
  HDNodeWallet,
  keccak256,
  Mnemonic,
  sha256,
  SigningKey,
} from 'ethers';

const HARDENED = 0x80000000;

/** A key of the virtual device at one BIP-32 path. */
export interface DeviceKey {
  /** Uncompressed public key, 65 bytes, as the apps answer it. */
  publicKey: Buffer;
  chainCode: Buffer;
  signingKey: SigningKey;
}

export interface DeviceSignature {
  r: Buffer;
  s: Buffer;
  /** 0 or 1: the parity of the nonce point's y. */
  yParity: 0 | 1;
}

/**
 * The secret side of the virtual device: BIP-39 mnemonic → BIP-32 keys, and deterministic RFC 6979
 * ECDSA (ethers' SigningKey, low-s like the device) so a recording made once answers the same forever.
 */
export class DeviceKeys {
  private readonly root: HDNodeWallet;
  private readonly cache = new Map<string, DeviceKey>();

  constructor(mnemonic: string, passphrase = '') {
    this.root = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(mnemonic, passphrase), 'm');
  }

  key(path: readonly number[]): DeviceKey {
    const text = pathToString(path);
    const cached = this.cache.get(text);
    if (cached) return cached;
    const node = this.root.derivePath(text);
    const key: DeviceKey = {
      publicKey: Buffer.from(SigningKey.computePublicKey(node.publicKey, false).slice(2), 'hex'),
      chainCode: Buffer.from(node.chainCode.slice(2), 'hex'),
      signingKey: node.signingKey,
    };
    this.cache.set(text, key);
    return key;
  }

  sign(path: readonly number[], digest: Uint8Array): DeviceSignature {
    const signature = this.key(path).signingKey.sign(digest);
    return {
      r: Buffer.from(signature.r.slice(2), 'hex'),
      s: Buffer.from(signature.s.slice(2), 'hex'),
      yParity: signature.yParity,
    };
  }
}

export function pathToString(path: readonly number[]): string {
  const levels = path.map((index) => (index >= HARDENED ? `${index - HARDENED}'` : `${index}`));
  return ['m', ...levels].join('/');
}

/** EIP-55 address without 0x, the way the Ethereum app spells it on the wire. */
export function evmAddressText(publicKey: Buffer): string {
  return computeAddress(`0x${publicKey.toString('hex')}`).slice(2);
}

/** Base58check T-address, the way the Tron app spells it on the wire. */
export function tronAddressText(publicKey: Buffer): string {
  const body = concat(['0x41', dataSlice(keccak256(publicKey.subarray(1)), 12)]);
  return encodeBase58(concat([body, dataSlice(sha256(sha256(body)), 0, 4)]));
}
