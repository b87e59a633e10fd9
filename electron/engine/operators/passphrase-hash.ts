import { createCipheriv, createDecipheriv, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { ScryptParams } from '../custody/seed-vault';

/** ~128 MiB and a few hundred ms per sign-in: slow for a guesser, fine for an operator. */
export const OPERATOR_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };

/**
 * A stored passphrase: `scrypt$1$N$r$p$salt$verifier`. The parameters ride with the hash, so raising the
 * default later leaves older hashes valid. scrypt gives 64 bytes: the first half is the verifier that is
 * stored, the second half is a key-encryption key that is never stored (it wraps the seed vault's key).
 */
export interface PassphraseCheck {
  matches: boolean;
  /** The key-encryption key, only when the passphrase matched. Wipe it after use. */
  kek: Buffer | null;
}

function derive(passphrase: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      passphrase.normalize('NFKC'),
      salt,
      64,
      { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r },
      (error, derived) => (error ? reject(error) : resolve(derived)),
    );
  });
}

export async function hashPassphrase(passphrase: string, params: ScryptParams = OPERATOR_SCRYPT): Promise<{ hash: string; kek: Buffer }> {
  const salt = randomBytes(16);
  const derived = await derive(passphrase, salt, params);
  const hash = ['scrypt', '1', params.N, params.r, params.p, salt.toString('base64'), derived.subarray(0, 32).toString('base64')].join('$');
  const kek = Buffer.from(derived.subarray(32));
  derived.fill(0);
  return { hash, kek };
}

function parseHash(hash: string): { params: ScryptParams; salt: Buffer; verifier: Buffer } | null {
  const parts = hash.split('$');
  if (parts.length !== 7 || parts[0] !== 'scrypt' || parts[1] !== '1') return null;
  const [N, r, p] = [Number(parts[2]), Number(parts[3]), Number(parts[4])];
  if (![N, r, p].every((n) => Number.isSafeInteger(n) && n > 0) || N > 2 ** 20 || r > 32 || p > 16) return null;
  return { params: { N, r, p }, salt: Buffer.from(parts[5]!, 'base64'), verifier: Buffer.from(parts[6]!, 'base64') };
}

export async function checkPassphrase(passphrase: string, hash: string): Promise<PassphraseCheck> {
  const parsed = parseHash(hash);
  if (!parsed) return { matches: false, kek: null };
  const derived = await derive(passphrase, parsed.salt, parsed.params);
  const candidate = derived.subarray(0, 32);
  const matches = candidate.length === parsed.verifier.length && timingSafeEqual(candidate, parsed.verifier);
  const kek = matches ? Buffer.from(derived.subarray(32)) : null;
  derived.fill(0);
  return { matches, kek };
}

/** Spends the same scrypt work as a real check, so an unknown name answers as slowly as a wrong passphrase. */
export async function spendCheck(passphrase: string, params: ScryptParams): Promise<void> {
  (await derive(passphrase, randomBytes(16), params)).fill(0);
}

/** AES-256-GCM under the KEK, bound to the operator id: `v1.iv.tag.ciphertext` in base64 parts. */
export function wrapKey(secret: Buffer, kek: Buffer, operatorId: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(Buffer.from(`treasury operator vault key ${operatorId}`));
  const ciphertext = Buffer.concat([cipher.update(secret), cipher.final()]);
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), ciphertext.toString('base64')].join('.');
}

/** Null when the wrapped key was altered or belongs to another operator. */
export function unwrapKey(wrapped: string, kek: Buffer, operatorId: string): Buffer | null {
  const parts = wrapped.split('.');
  if (parts.length !== 4 || parts[0] !== 'v1') return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(parts[1]!, 'base64'));
    decipher.setAAD(Buffer.from(`treasury operator vault key ${operatorId}`));
    decipher.setAuthTag(Buffer.from(parts[2]!, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(parts[3]!, 'base64')), decipher.final()]);
  } catch {
    return null;
  }
}
