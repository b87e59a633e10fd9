import type { CustodyStatus } from '@shared/domain/system';
import { DomainError } from '@shared/result';
import type { SeedKeyring } from './derivation';
import { mnemonicFingerprint, SeedVault, SeedVaultError, seedSecretFromMnemonic, type ScryptParams } from './seed-vault';

/**
 * Holds the one seed vault of this data folder and whether it is unlocked. The mnemonic itself never
 * leaves the vault; callers get a keyring that stops working when the vault locks.
 */
export class CustodyService {
  private vault: SeedVault | null = null;

  constructor(
    private readonly home: string,
    private readonly scrypt?: ScryptParams,
  ) {}

  initialized(): boolean {
    return SeedVault.exists(this.home);
  }

  unlocked(): boolean {
    return this.vault?.isUnlocked ?? false;
  }

  /** First start: make a new seed sealed under the officer's passphrase. */
  async initialize(passphrase: string): Promise<{ fingerprint: string }> {
    if (this.initialized()) throw new DomainError('conflict', 'This workstation already has a seed vault.');
    try {
      this.vault = await SeedVault.create(this.home, passphrase, this.scrypt ? { scrypt: this.scrypt } : {});
    } catch (error) {
      throw asDomainError(error);
    }
    return { fingerprint: this.vault.fingerprint };
  }

  async unlock(passphrase: string): Promise<{ fingerprint: string }> {
    if (!this.initialized()) throw new DomainError('not_found', 'No seed vault yet: set one up first.');
    try {
      this.vault ??= await SeedVault.open(this.home);
      await this.vault.unlock(passphrase);
    } catch (error) {
      throw asDomainError(error);
    }
    return { fingerprint: this.vault.fingerprint };
  }

  /** Restores the seed on a workstation that has none, from the words written down at first start. */
  async restoreFromMnemonic(mnemonic: string, passphrase: string): Promise<{ fingerprint: string }> {
    if (this.initialized()) {
      throw new DomainError('conflict', 'This workstation already has a seed vault; restoring would orphan its wallets.');
    }
    try {
      this.vault = await SeedVault.restoreFromMnemonic(this.home, mnemonic, passphrase, this.scrypt ? { scrypt: this.scrypt } : {});
      await this.vault.unlock(passphrase);
    } catch (error) {
      throw asDomainError(error);
    }
    return { fingerprint: this.vault.fingerprint };
  }

  /** Which seed these recovery words are, before anything is written; invalid words are refused in words. */
  async fingerprintOf(mnemonic: string): Promise<string> {
    try {
      return await mnemonicFingerprint(mnemonic);
    } catch (error) {
      throw asDomainError(error);
    }
  }

  /** An encrypted copy of the seed under a separate backup passphrase; asks for the officer passphrase again. */
  async exportBackup(passphrase: string, backupPassphrase: string): Promise<string> {
    if (!this.initialized()) throw new DomainError('not_found', 'No seed vault yet.');
    try {
      this.vault ??= await SeedVault.open(this.home);
      return await this.vault.exportBackup(passphrase, backupPassphrase);
    } catch (error) {
      throw asDomainError(error);
    }
  }

  /** The written-down words of the seed (shown once at first start); asks for the vault passphrase again. */
  async recoveryWords(passphrase: string): Promise<string[]> {
    if (!this.initialized()) throw new DomainError('not_found', 'No seed vault yet.');
    try {
      this.vault ??= await SeedVault.open(this.home);
      return await this.vault.recoveryPhrase(passphrase);
    } catch (error) {
      throw asDomainError(error);
    }
  }

  lock(): void {
    this.vault?.lock();
  }

  async status(): Promise<CustodyStatus> {
    if (!this.initialized()) return { initialized: false, unlocked: false, fingerprint: null };
    this.vault ??= await SeedVault.open(this.home);
    return { initialized: true, unlocked: this.vault.isUnlocked, fingerprint: this.vault.fingerprint };
  }

  /** A purpose-bound secret derived from the open seed (the books' backup key); refused while locked. */
  secret(label: string): Buffer {
    if (!this.vault?.isUnlocked) throw new DomainError('locked', 'The app is locked: unlock it with the officer passphrase first.');
    return this.vault.secret(label);
  }

  /** The same secret from the written-down words, without touching this folder's vault. */
  async secretFromWords(mnemonic: string, label: string): Promise<Buffer> {
    try {
      return await seedSecretFromMnemonic(mnemonic, label);
    } catch (error) {
      throw asDomainError(error);
    }
  }

  keyring(): SeedKeyring {
    if (!this.vault?.isUnlocked) throw new DomainError('locked', 'The app is locked: unlock it with the officer passphrase first.');
    return this.vault.keyring();
  }
}

function asDomainError(error: unknown): DomainError {
  if (error instanceof SeedVaultError) {
    const code = error.code === 'wrong_passphrase' ? 'forbidden' : 'validation';
    return new DomainError(code, error.message);
  }
  return error instanceof DomainError ? error : new DomainError('internal', 'The seed vault could not be opened.');
}
