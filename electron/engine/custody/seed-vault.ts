import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { generateMnemonic, mnemonicToSeed, validateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { HDNodeWallet } from 'ethers';
import { SeedKeyring } from './derivation';

export type SeedVaultErrorCode =
  | 'wrong_passphrase'
  | 'vault_corrupted'
  | 'vault_locked'
  | 'vault_missing'
  | 'vault_exists'
  | 'invalid_mnemonic'
  | 'weak_passphrase';

export class SeedVaultError extends Error {
  override readonly name = 'SeedVaultError';
  constructor(
    readonly code: SeedVaultErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
}

/** ~128 MiB and a few hundred ms per unlock on a workstation: slow for a guesser, fine for an officer. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };
export const MIN_PASSPHRASE_LENGTH = 8;
export const SEED_VAULT_FILE = 'seed-vault.json';

type SealFormat = 'treasury-seed-vault' | 'treasury-seed-backup';

/** What is written to disk (the vault) or handed out (a backup). Binary fields are base64. */
export interface SealedSeed {
  format: SealFormat;
  version: 1;
  /** BIP-32 master key fingerprint (hex): public, tells two seeds apart without decrypting. */
  fingerprint: string;
  createdAt: string;
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  /** HMAC from the second half of the scrypt output: tells a wrong passphrase from a damaged file. */
  passphraseCheck: string;
  cipher: { name: 'aes-256-gcm'; iv: string; tag: string };
  ciphertext: string;
}

export interface SeedVaultOptions {
  /** Lower only in tests; the cost is stored in the file, so a vault opens whatever the current default. */
  scrypt?: ScryptParams;
  /** Overwrite an existing vault (restore onto a workstation that has a different seed). */
  replace?: boolean;
}

const PASSPHRASE_CHECK_LABEL = 'treasury seed vault passphrase check';

function deriveKeys(passphrase: string, salt: Buffer, params: ScryptParams): Promise<{ key: Buffer; checkKey: Buffer }> {
  return new Promise((resolve, reject) => {
    scrypt(
      passphrase.normalize('NFKC'),
      salt,
      64,
      { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r },
      (error, derived) => {
        if (error) reject(error);
        else resolve({ key: derived.subarray(0, 32), checkKey: derived.subarray(32) });
      },
    );
  });
}

/** The header fields the ciphertext is bound to, so editing any of them fails decryption. */
function associatedData(sealed: Pick<SealedSeed, 'format' | 'version' | 'fingerprint' | 'kdf'>): Buffer {
  return Buffer.from(JSON.stringify([sealed.format, sealed.version, sealed.fingerprint, sealed.kdf]));
}

async function seal(format: SealFormat, mnemonic: string, passphrase: string, params: ScryptParams): Promise<SealedSeed> {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new SeedVaultError('weak_passphrase', `passphrase must be at least ${MIN_PASSPHRASE_LENGTH} characters`);
  }
  const fingerprint = await fingerprintOf(mnemonic);
  const salt = randomBytes(32);
  const iv = randomBytes(12);
  const { key, checkKey } = await deriveKeys(passphrase, salt, params);
  const header = {
    format,
    version: 1 as const,
    fingerprint,
    kdf: { name: 'scrypt' as const, N: params.N, r: params.r, p: params.p, salt: salt.toString('base64') },
  };
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(associatedData(header));
  const plaintext = Buffer.from(mnemonic, 'utf8');
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  plaintext.fill(0);
  const sealed: SealedSeed = {
    ...header,
    createdAt: new Date().toISOString(),
    passphraseCheck: createHmac('sha256', checkKey).update(PASSPHRASE_CHECK_LABEL).digest('base64'),
    cipher: { name: 'aes-256-gcm', iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64') },
    ciphertext: ciphertext.toString('base64'),
  };
  key.fill(0);
  checkKey.fill(0);
  return sealed;
}

async function unseal(sealed: SealedSeed, passphrase: string): Promise<string> {
  const { key, checkKey } = await deriveKeys(passphrase, Buffer.from(sealed.kdf.salt, 'base64'), sealed.kdf);
  try {
    const check = createHmac('sha256', checkKey).update(PASSPHRASE_CHECK_LABEL).digest();
    const stored = Buffer.from(sealed.passphraseCheck, 'base64');
    if (stored.length !== check.length || !timingSafeEqual(stored, check)) {
      throw new SeedVaultError('wrong_passphrase', 'wrong passphrase');
    }
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.cipher.iv, 'base64'));
    decipher.setAAD(associatedData(sealed));
    decipher.setAuthTag(Buffer.from(sealed.cipher.tag, 'base64'));
    let plaintext: Buffer;
    try {
      plaintext = Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
    } catch {
      throw new SeedVaultError('vault_corrupted', 'the seed file was altered or damaged: authentication failed');
    }
    const mnemonic = plaintext.toString('utf8');
    plaintext.fill(0);
    if (!validateMnemonic(mnemonic, wordlist)) {
      throw new SeedVaultError('vault_corrupted', 'the seed file decrypted to an invalid mnemonic');
    }
    return mnemonic;
  } finally {
    key.fill(0);
    checkKey.fill(0);
  }
}

function parseSealed(text: string, format: SealFormat): SealedSeed {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SeedVaultError('vault_corrupted', `not a ${format} file: invalid JSON`);
  }
  const v = value as Partial<SealedSeed> | null;
  const isString = (x: unknown) => typeof x === 'string';
  const valid =
    v !== null &&
    typeof v === 'object' &&
    v.format === format &&
    v.version === 1 &&
    isString(v.fingerprint) &&
    isString(v.passphraseCheck) &&
    isString(v.ciphertext) &&
    v.kdf?.name === 'scrypt' &&
    Number.isInteger(v.kdf.N) &&
    Number.isInteger(v.kdf.r) &&
    Number.isInteger(v.kdf.p) &&
    isString(v.kdf.salt) &&
    v.cipher?.name === 'aes-256-gcm' &&
    isString(v.cipher.iv) &&
    isString(v.cipher.tag);
  if (!valid) throw new SeedVaultError('vault_corrupted', `not a ${format} file, or an unsupported version`);
  return v as SealedSeed;
}

/** BIP-32 master key fingerprint of a mnemonic (hex), without sealing anything. */
async function fingerprintOf(mnemonic: string): Promise<string> {
  const seed = await mnemonicToSeed(mnemonic);
  const fingerprint = HDNodeWallet.fromSeed(seed).fingerprint.slice(2);
  seed.fill(0);
  return fingerprint;
}

/** The fingerprint the vault would record for these recovery words; refuses words that are not a mnemonic. */
export async function mnemonicFingerprint(mnemonic: string): Promise<string> {
  return fingerprintOf(canonicalMnemonic(mnemonic));
}

/**
 * A 32-byte secret for one purpose (`label`), derived from the BIP-39 seed by HKDF-SHA256: the recovery words
 * alone bring it back, and no other key derived from the seed (addresses, other labels) tells anything about it.
 */
export function seedSecret(seed: Uint8Array, label: string): Buffer {
  return Buffer.from(hkdfSync('sha256', seed, Buffer.from('treasury seed secret'), Buffer.from(label, 'utf8'), 32));
}

/** `seedSecret` from the written-down words, for a workstation that has only them. */
export async function seedSecretFromMnemonic(mnemonic: string, label: string): Promise<Buffer> {
  const seed = await mnemonicToSeed(canonicalMnemonic(mnemonic));
  try {
    return seedSecret(seed, label);
  } finally {
    seed.fill(0);
  }
}

/** Canonical BIP-39 form: lowercase words separated by single spaces. */
function canonicalMnemonic(mnemonic: string): string {
  const canonical = mnemonic.normalize('NFKD').trim().toLowerCase().split(/\s+/).join(' ');
  if (!validateMnemonic(canonical, wordlist)) {
    throw new SeedVaultError('invalid_mnemonic', 'not a valid BIP-39 English mnemonic (check the words and their order)');
  }
  return canonical;
}

async function writeAtomically(path: string, sealed: SealedSeed): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(sealed, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, path);
}

/**
 * The deposit-address seed: one BIP-39 mnemonic per installation, encrypted at rest under the officer
 * passphrase. While unlocked it holds only the 64-byte BIP-39 seed in memory; `lock()` wipes it.
 * Nothing here serializes a secret: `toJSON` and `inspect` show only the lock state.
 */
export class SeedVault {
  private seed: Uint8Array | null = null;
  private readonly keys = new SeedKeyring(() => this.unlockedSeed());

  private constructor(
    private readonly path: string,
    private sealed: SealedSeed,
  ) {}

  static pathIn(folder: string): string {
    return join(folder, SEED_VAULT_FILE);
  }

  static exists(folder: string): boolean {
    return existsSync(SeedVault.pathIn(folder));
  }

  /** First start: a new 24-word mnemonic, sealed and saved; the vault comes back unlocked. */
  static async create(folder: string, passphrase: string, options: SeedVaultOptions = {}): Promise<SeedVault> {
    return SeedVault.install(folder, generateMnemonic(wordlist, 256), passphrase, options);
  }

  /** Rebuilds the vault from the written-down mnemonic; the same mnemonic gives the same addresses. */
  static async restoreFromMnemonic(
    folder: string,
    mnemonic: string,
    passphrase: string,
    options: SeedVaultOptions = {},
  ): Promise<SeedVault> {
    return SeedVault.install(folder, canonicalMnemonic(mnemonic), passphrase, options);
  }

  /** Rebuilds the vault from an `exportBackup()` file, re-sealed under the (possibly new) officer passphrase. */
  static async restoreFromBackup(
    folder: string,
    backup: string,
    backupPassphrase: string,
    passphrase: string,
    options: SeedVaultOptions = {},
  ): Promise<SeedVault> {
    const mnemonic = await unseal(parseSealed(backup, 'treasury-seed-backup'), backupPassphrase);
    return SeedVault.install(folder, mnemonic, passphrase, options);
  }

  /** Opens an existing vault, locked. */
  static async open(folder: string): Promise<SeedVault> {
    const path = SeedVault.pathIn(folder);
    if (!existsSync(path)) throw new SeedVaultError('vault_missing', `no seed vault in ${folder}`);
    return new SeedVault(path, parseSealed(await readFile(path, 'utf8'), 'treasury-seed-vault'));
  }

  private static async install(
    folder: string,
    mnemonic: string,
    passphrase: string,
    options: SeedVaultOptions,
  ): Promise<SeedVault> {
    const path = SeedVault.pathIn(folder);
    // Replacing a seed orphans every deposit address derived from it, so it takes an explicit request.
    if (existsSync(path) && !options.replace) {
      throw new SeedVaultError('vault_exists', `a seed vault already exists in ${folder}`);
    }
    const sealed = await seal('treasury-seed-vault', mnemonic, passphrase, options.scrypt ?? DEFAULT_SCRYPT);
    await mkdir(folder, { recursive: true });
    await writeAtomically(path, sealed);
    const vault = new SeedVault(path, sealed);
    vault.seed = await mnemonicToSeed(mnemonic);
    return vault;
  }

  get fingerprint(): string {
    return this.sealed.fingerprint;
  }

  get isUnlocked(): boolean {
    return this.seed !== null;
  }

  /** Throws SeedVaultError 'wrong_passphrase' or 'vault_corrupted'; the vault stays locked then. */
  async unlock(passphrase: string): Promise<void> {
    const mnemonic = await unseal(this.sealed, passphrase);
    const seed = await mnemonicToSeed(mnemonic);
    this.lock();
    this.seed = seed;
  }

  /** A purpose-bound secret from the open seed (see `seedSecret`); throws 'vault_locked' when locked. */
  secret(label: string): Buffer {
    return seedSecret(this.unlockedSeed(), label);
  }

  lock(): void {
    this.seed?.fill(0);
    this.seed = null;
    this.keys.forget();
  }

  /** Deposit and gas-tank addresses and keys; every call throws 'vault_locked' once the vault is locked. */
  keyring(): SeedKeyring {
    this.unlockedSeed();
    return this.keys;
  }

  /**
   * The encrypted backup an officer stores off the workstation: the mnemonic sealed under a backup
   * passphrase with a fresh salt. Asks for the officer passphrase again, as it hands the seed out.
   */
  async exportBackup(passphrase: string, backupPassphrase: string): Promise<string> {
    const mnemonic = await unseal(this.sealed, passphrase);
    const backup = await seal('treasury-seed-backup', mnemonic, backupPassphrase, this.sealed.kdf);
    return `${JSON.stringify(backup, null, 2)}\n`;
  }

  /**
   * The words, for the one moment they are written down (first start) or re-checked. Asks for the
   * passphrase again. For a main-process screen only: DESIGN.md keeps secrets off IPC.
   */
  async recoveryPhrase(passphrase: string): Promise<string[]> {
    return (await unseal(this.sealed, passphrase)).split(' ');
  }

  async changePassphrase(current: string, next: string): Promise<void> {
    const mnemonic = await unseal(this.sealed, current);
    const sealed = await seal('treasury-seed-vault', mnemonic, next, this.sealed.kdf);
    await writeAtomically(this.path, sealed);
    this.sealed = sealed;
  }

  toJSON(): { unlocked: boolean; fingerprint: string } {
    return { unlocked: this.isUnlocked, fingerprint: this.fingerprint };
  }

  [inspect.custom](): string {
    return `SeedVault { ${this.isUnlocked ? 'unlocked' : 'locked'}, fingerprint: ${this.fingerprint} }`;
  }

  private unlockedSeed(): Uint8Array {
    if (!this.seed) throw new SeedVaultError('vault_locked', 'the seed vault is locked');
    return this.seed;
  }
}
