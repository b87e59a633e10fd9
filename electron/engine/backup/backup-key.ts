import { createHash, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, type KeyObject } from 'node:crypto';

/**
 * The books' backup key pair: X25519, its private half derived from the seed (HKDF label below), so the
 * recovery words alone open every backup. The public half is all a writer needs: the scheduler encrypts to it
 * while the seed is locked, and nothing on the workstation can decrypt what it wrote.
 */
export const BACKUP_KEY_LABEL = 'treasury books backup x25519 v1';
const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_X25519 = Buffer.from('302a300506032b656e032100', 'hex');
const FILE_KEY_INFO = Buffer.from('treasury books backup file key v1');

export interface BackupPrivateKey {
  key: KeyObject;
  /** base64 of the raw 32-byte public key, as the workspace records it. */
  publicKey: string;
}

/** The key pair from the 32-byte secret `custody.secret(BACKUP_KEY_LABEL)` gives; the caller wipes the secret. */
export function backupKeyFromSecret(secret: Buffer): BackupPrivateKey {
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_X25519, secret]), format: 'der', type: 'pkcs8' });
  return { key, publicKey: rawPublic(createPublicKey(key)).toString('base64') };
}

/** A short public name of a backup key (hex of its SHA-256), shown and stored beside every backup. */
export function keyId(publicKey: string): string {
  return createHash('sha256').update(Buffer.from(publicKey, 'base64')).digest('hex').slice(0, 16);
}

/** A fresh file key for one backup and what the reader needs to rebuild it: ECDH with a one-time key pair. */
export function fileKeyFor(recipientPublicKey: string): { fileKey: Buffer; ephemeralPublicKey: string } {
  const recipient = publicKeyObject(recipientPublicKey);
  const ephemeral = generateKeyPairSync('x25519');
  const ephemeralPublicKey = rawPublic(ephemeral.publicKey).toString('base64');
  const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipient });
  return { fileKey: deriveFileKey(shared, ephemeralPublicKey, recipientPublicKey), ephemeralPublicKey };
}

/** The file key of a backup, with the private half of the key pair it was written to. */
export function fileKeyFrom(privateKey: BackupPrivateKey, ephemeralPublicKey: string): Buffer {
  const shared = diffieHellman({ privateKey: privateKey.key, publicKey: publicKeyObject(ephemeralPublicKey) });
  return deriveFileKey(shared, ephemeralPublicKey, privateKey.publicKey);
}

function deriveFileKey(shared: Buffer, ephemeralPublicKey: string, recipientPublicKey: string): Buffer {
  // Both public keys in the salt bind the file key to this exchange (no key reuse across recipients).
  const salt = Buffer.concat([Buffer.from(ephemeralPublicKey, 'base64'), Buffer.from(recipientPublicKey, 'base64')]);
  const key = Buffer.from(hkdfSync('sha256', shared, salt, FILE_KEY_INFO, 32));
  shared.fill(0);
  return key;
}

function publicKeyObject(raw: string): KeyObject {
  const bytes = Buffer.from(raw, 'base64');
  if (bytes.length !== 32) throw new Error('not an X25519 public key');
  return createPublicKey({ key: Buffer.concat([SPKI_X25519, bytes]), format: 'der', type: 'spki' });
}

function rawPublic(key: KeyObject): Buffer {
  return (key.export({ format: 'der', type: 'spki' }) as Buffer).subarray(SPKI_X25519.length);
}
