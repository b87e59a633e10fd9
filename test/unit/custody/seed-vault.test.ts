import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SeedVault, SeedVaultError, type SeedVaultErrorCode } from '@engine/custody/seed-vault';

const TEST_MNEMONIC = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const PASSPHRASE = 'correct horse battery staple';
// The production cost (2^17) is exercised once below; the rest stay fast.
const FAST = { scrypt: { N: 2 ** 10, r: 8, p: 1 } };

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'seed-vault-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function expectVaultError(promise: Promise<unknown>, code: SeedVaultErrorCode) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SeedVaultError);
  expect((error as SeedVaultError).code).toBe(code);
}

describe('seed vault', () => {
  it('creates a 24-word seed and reopens it with the passphrase', async () => {
    const created = await SeedVault.create(folder, PASSPHRASE);
    const address = created.keyring().depositAddress('polygon', 0);

    const reopened = await SeedVault.open(folder);
    expect(reopened.isUnlocked).toBe(false);
    await reopened.unlock(PASSPHRASE);
    expect(reopened.keyring().depositAddress('polygon', 0)).toBe(address);
    expect(reopened.fingerprint).toBe(created.fingerprint);
  });

  it('keeps no mnemonic word in the file', async () => {
    const vault = await SeedVault.create(folder, PASSPHRASE, FAST);
    const words = await vault.recoveryPhrase(PASSPHRASE);
    expect(words).toHaveLength(24);
    const file = await readFile(SeedVault.pathIn(folder), 'utf8');
    expect(file).not.toContain(words.join(' '));
    // The file's values, not its field names: "version" is a field and also a BIP-39 word.
    const values = (function collect(node: unknown): string[] {
      if (node !== null && typeof node === 'object') return Object.values(node).flatMap(collect);
      return [String(node)];
    })(JSON.parse(file)).join('\n');
    // Long words only: a three-letter word can turn up inside base64 by chance.
    for (const word of words.filter((w) => w.length >= 6)) expect(values).not.toContain(word);
    expect(file).not.toContain(PASSPHRASE);
  });

  it('writes the vault readable by its owner only', async () => {
    await SeedVault.create(folder, PASSPHRASE, FAST);
    const { mode } = await stat(SeedVault.pathIn(folder));
    if (process.platform !== 'win32') expect(mode & 0o777).toBe(0o600);
    expect(await readdir(folder)).toEqual(['seed-vault.json']);
  });

  it('restores from the mnemonic to the published addresses', async () => {
    const vault = await SeedVault.restoreFromMnemonic(folder, `  ${TEST_MNEMONIC.toUpperCase()} \n`, PASSPHRASE, FAST);
    expect(vault.fingerprint).toBe('73c5da0a');
    expect(vault.keyring().depositAddress('polygon', 0)).toBe('0x9858EfFD232B4033E47d90003D41EC34EcaEda94');
    expect(vault.keyring().depositAddress('tron', 0)).toBe('TUEZSdKsoDHQMeZwihtdoBiN46zxhGWYdH');
  });

  it('refuses a wrong passphrase and stays locked', async () => {
    await SeedVault.restoreFromMnemonic(folder, TEST_MNEMONIC, PASSPHRASE, FAST);
    const vault = await SeedVault.open(folder);
    await expectVaultError(vault.unlock('not the passphrase'), 'wrong_passphrase');
    expect(vault.isUnlocked).toBe(false);
    expect(() => vault.keyring()).toThrow(SeedVaultError);
  });

  it.each([
    ['ciphertext', (f: Record<string, any>) => (f.ciphertext = flipFirstByte(f.ciphertext))],
    ['auth tag', (f: Record<string, any>) => (f.cipher.tag = flipFirstByte(f.cipher.tag))],
    ['fingerprint', (f: Record<string, any>) => (f.fingerprint = '00000000')],
  ])('refuses a vault whose %s was tampered with', async (_field, tamper) => {
    await SeedVault.restoreFromMnemonic(folder, TEST_MNEMONIC, PASSPHRASE, FAST);
    const file = JSON.parse(await readFile(SeedVault.pathIn(folder), 'utf8'));
    tamper(file);
    await writeFile(SeedVault.pathIn(folder), JSON.stringify(file));
    const vault = await SeedVault.open(folder);
    await expectVaultError(vault.unlock(PASSPHRASE), 'vault_corrupted');
  });

  it('refuses a file that is not a vault', async () => {
    await writeFile(SeedVault.pathIn(folder), '{"format":"something else"}');
    await expectVaultError(SeedVault.open(folder), 'vault_corrupted');
  });

  it('locks: the keyring stops deriving and the seed is gone', async () => {
    const vault = await SeedVault.restoreFromMnemonic(folder, TEST_MNEMONIC, PASSPHRASE, FAST);
    const keyring = vault.keyring();
    keyring.depositAddress('bsc', 0);
    vault.lock();
    expect(() => keyring.depositAddress('bsc', 0)).toThrow(/locked/);
    expect(() => keyring.depositKey('bsc', 0)).toThrow(/locked/);
  });

  it('never shows a secret when logged or serialized', async () => {
    const vault = await SeedVault.restoreFromMnemonic(folder, TEST_MNEMONIC, PASSPHRASE, FAST);
    const shown = `${inspect(vault, { depth: 10, showHidden: true })} ${JSON.stringify(vault)}`;
    expect(shown).not.toContain('abandon');
    expect(shown).toContain('73c5da0a');
  });

  it('exports an encrypted backup that restores the same addresses elsewhere', async () => {
    const vault = await SeedVault.restoreFromMnemonic(folder, TEST_MNEMONIC, PASSPHRASE, FAST);
    const backup = await vault.exportBackup(PASSPHRASE, 'backup passphrase 2');
    expect(backup).not.toContain('abandon');
    await expectVaultError(vault.exportBackup('not the passphrase', 'backup passphrase 2'), 'wrong_passphrase');

    const other = await mkdtemp(join(tmpdir(), 'seed-vault-restore-'));
    try {
      await expectVaultError(SeedVault.restoreFromBackup(other, backup, 'wrong backup pass', PASSPHRASE, FAST), 'wrong_passphrase');
      const restored = await SeedVault.restoreFromBackup(other, backup, 'backup passphrase 2', 'new officer pass', FAST);
      expect(restored.keyring().depositAddress('polygon', 0)).toBe('0x9858EfFD232B4033E47d90003D41EC34EcaEda94');
      const reopened = await SeedVault.open(other);
      await reopened.unlock('new officer pass');
      expect(reopened.isUnlocked).toBe(true);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it('never overwrites an existing seed unless asked to', async () => {
    await SeedVault.create(folder, PASSPHRASE, FAST);
    await expectVaultError(SeedVault.restoreFromMnemonic(folder, TEST_MNEMONIC, PASSPHRASE, FAST), 'vault_exists');
    const replaced = await SeedVault.restoreFromMnemonic(folder, TEST_MNEMONIC, PASSPHRASE, { ...FAST, replace: true });
    expect(replaced.fingerprint).toBe('73c5da0a');
  });

  it.each([
    ['an unknown word', TEST_MNEMONIC.replace(/about$/, 'aboutt')],
    ['a bad checksum', TEST_MNEMONIC.replace(/about$/, 'abandon')],
    ['too few words', 'abandon abandon about'],
  ])('refuses a mnemonic with %s', async (_case, mnemonic) => {
    await expectVaultError(SeedVault.restoreFromMnemonic(folder, mnemonic, PASSPHRASE, FAST), 'invalid_mnemonic');
  });

  it('refuses a short passphrase', async () => {
    await expectVaultError(SeedVault.create(folder, 'short', FAST), 'weak_passphrase');
    expect(SeedVault.exists(folder)).toBe(false);
  });

  it('changes the passphrase without changing the seed', async () => {
    const vault = await SeedVault.restoreFromMnemonic(folder, TEST_MNEMONIC, PASSPHRASE, FAST);
    await vault.changePassphrase(PASSPHRASE, 'a brand new passphrase');
    const reopened = await SeedVault.open(folder);
    await expectVaultError(reopened.unlock(PASSPHRASE), 'wrong_passphrase');
    await reopened.unlock('a brand new passphrase');
    expect(reopened.keyring().depositAddress('tron', 0)).toBe('TUEZSdKsoDHQMeZwihtdoBiN46zxhGWYdH');
  });
});

function flipFirstByte(base64: string): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[0] = (bytes[0] ?? 0) ^ 0xff;
  return bytes.toString('base64');
}
