import { createPublicKey, verify } from 'node:crypto';
import { keccak256, sha256, SigningKey, toUtf8Bytes } from 'ethers';
import { tokenDescriptorBody, type EvmTokenInfo } from '@engine/signer/token-descriptor';

/**
 * Ledger's published production key for ERC-20 descriptors ("erc20signer", 2019), as compiled into the
 * Ethereum app. A device that trusts it accepts exactly the descriptors Ledger signed.
 */
export const LEDGER_ERC20_SIGNER_PUBLIC_KEY =
  '045e6c1020c14dc46442fe89f97c0b68cdb15976dc24f24c316e7b30fe4e8cc76b1489150c21514ebf440ff5dea5393d83de5358cd098fce8fd0f81daa94979183';

/** A stand-in for Ledger's key on devnet and in tests, where we describe our own test tokens. */
export const TEST_TOKEN_SIGNING_PRIVATE_KEY = keccak256(toUtf8Bytes('treasury virtual ledger token list key'));
export const TEST_TOKEN_SIGNING_PUBLIC_KEY = SigningKey.computePublicKey(TEST_TOKEN_SIGNING_PRIVATE_KEY, false).slice(2);

/** Signs a token descriptor the way Ledger's list service does: ECDSA over sha256(body), DER. */
export function signTokenDescriptor(
  token: Omit<EvmTokenInfo, 'signature'>,
  privateKey: string = TEST_TOKEN_SIGNING_PRIVATE_KEY,
): string {
  const signature = new SigningKey(privateKey).sign(sha256(tokenDescriptorBody(token)));
  return derSignature(Buffer.from(signature.r.slice(2), 'hex'), Buffer.from(signature.s.slice(2), 'hex'));
}

export function withTestSignature(token: Omit<EvmTokenInfo, 'signature'>): EvmTokenInfo {
  return { ...token, signature: signTokenDescriptor(token) };
}

/** What the Ethereum app does with a descriptor: verify the signature over the body with its key. */
export function tokenDescriptorTrusted(body: Buffer, derSignatureBytes: Buffer, publicKeyHex: string): boolean {
  const spkiPrefix = '3056301006072a8648ce3d020106052b8104000a034200';
  try {
    const key = createPublicKey({ key: Buffer.from(spkiPrefix + publicKeyHex, 'hex'), format: 'der', type: 'spki' });
    return verify('sha256', body, key, derSignatureBytes);
  } catch {
    return false;
  }
}

function derInteger(value: Buffer): Buffer {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start += 1;
  let bytes = value.subarray(start);
  if ((bytes[0] ?? 0) & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
}

function derSignature(r: Buffer, s: Buffer): string {
  const body = Buffer.concat([derInteger(r), derInteger(s)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]).toString('hex');
}
