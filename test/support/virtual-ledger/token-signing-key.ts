import { createPublicKey, verify } from 'node:crypto';
import { keccak256, sha256, SigningKey, toUtf8Bytes } from 'ethers';
import { tokenDescriptorBody, type EvmTokenInfo } from '@engine/signer/token-descriptor';

/** Ledger's production key; a device that trusts it accepts exactly the descriptors Ledger signed. */
export { LEDGER_ERC20_SIGNER_PUBLIC_KEY } from '@engine/signer/token-descriptor-book';

/**
 * A stand-in for Ledger's key on devnet and in tests, where we describe our own test tokens. Its public
 * half is DEVNET_ERC20_SIGNER_PUBLIC_KEY, which only the devnet profile's virtual device trusts.
 */
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
