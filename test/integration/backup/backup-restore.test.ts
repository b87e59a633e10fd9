import BetterSqlite3 from 'better-sqlite3';
import { creditWallet } from '@test/controls';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackupEntry, BackupStatus, RestorePreview } from '@shared/domain/backups';
import type { WalletView } from '@shared/domain/wallets';
import { createEngine, type Engine } from '@engine/engine';
import { CLIENT, IDENTITY, PROOF } from '../clients/kyc-fixtures';
import { callOk, startTestEngine, startUnlockedEngine, TEST_PASSPHRASE, TEST_SCRYPT, type TestEngine } from '@test/engine';

/**
 * Backups of the books on a real SQLite workspace: made while the app writes, encrypted to the backup key the
 * seed gives, refused for another network, another seed or an edited manifest, and restored into the same
 * workspace (later work named as lost) and into a fresh data folder with the recovery words alone.
 */
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function folder(prefix: string): string {
  const path = mkdtempSync(join(tmpdir(), prefix));
  cleanup.push(() => rmSync(path, { recursive: true, force: true }));
  return path;
}

async function workspace(network: 'devnet' | 'testnet' = 'devnet'): Promise<TestEngine> {
  const t = await startUnlockedEngine({ network, withdrawalTrackIntervalMs: 0, rampExpiryIntervalMs: 0 });
  cleanup.push(() => t.dispose());
  return t;
}

async function backupTo(t: TestEngine, target: string) {
  await callOk(t.engine, 'backups:updateSettings', { folders: [target], intervalMinutes: 60, keepHourlyHours: 48, keepDailyDays: 30, keepMonthlyMonths: 12 });
  return callOk<{ name: string; written: number }>(t.engine, 'backups:run', {});
}

/** A company credit as four eyes book it: the test admin asks, a second operator approves. */
async function credit(t: TestEngine, walletId: string, key: string, amount: bigint) {
  await creditWallet(t, { idempotencyKey: key, walletId, assetId: 'polygon:USDT', amount: amount.toString(), reason: 'test balance' });
}

const balanceOf = (engine: Engine, walletId: string) => engine.services.ledger.balance({ kind: 'client_wallet', assetId: 'polygon:USDT', walletId });

async function reopen(t: TestEngine): Promise<Engine> {
  await t.engine.close();
  const engine = await createEngine({ home: t.home, database: t.database, network: t.engine.services.configuration.network, host: 'headless', scrypt: TEST_SCRYPT, log: () => {}, withdrawalTrackIntervalMs: 0, rampExpiryIntervalMs: 0 });
  t.engine = engine;
  return engine;
}

describe('backups of the books', () => {
  it('writes an encrypted backup with its manifest, keeps working, and restores the books as they were', async () => {
    const t = await workspace();
    const target = folder('treasury-backups-');
    const wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'Acme Holdings' });
    await credit(t, wallet.id, 'credit-before-backup', 1_000_000n);

    const made = await backupTo(t, target);
    expect(made.written).toBe(1);
    const files = readdirSync(target).sort();
    expect(files).toEqual([made.name, made.name.replace('.tbak', '.manifest.json')].sort());
    const bytes = readFileSync(join(target, made.name));
    // Nothing of the books in clear: not SQLite's header, not a wallet label.
    expect(bytes.includes(Buffer.from('SQLite format 3'))).toBe(false);
    expect(bytes.includes(Buffer.from('Acme Holdings'))).toBe(false);

    const [entry] = await callOk<BackupEntry[]>(t.engine, 'backups:list', {});
    expect(entry!.manifest).toMatchObject({ network: 'devnet', trigger: 'manual', rowCounts: expect.objectContaining({ ledger_transfers: 1, wallets: 1 }) });
    expect(entry!.manifest.schemaVersion).toMatch(/^\d{4}-\d{2}-\d{2}_\d{4}[a-z]?_/);
    expect(entry!.manifest.databaseSha256).toMatch(/^[0-9a-f]{64}$/);
    const status = await callOk<BackupStatus>(t.engine, 'backups:status', {});
    expect(status).toMatchObject({ health: 'ok', lastGood: { name: made.name, folders: 1, trigger: 'manual' } });

    // More work after the backup: a restore loses it, and the preview says so.
    await credit(t, wallet.id, 'credit-after-backup', 500_000n);
    const late = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'Late client' });
    const preview = await callOk<RestorePreview>(t.engine, 'backups:preview', { file: entry!.file });
    expect(preview.integrity).toMatchObject({ ok: true, findings: 0 });
    expect(preview.since).toMatchObject({ continues: true, depositsCredited: 0, withdrawals: [] });
    expect(preview.since!.otherChanges).toMatchObject({ 'ledger.posted': 1, 'wallet.created': 1 });

    const restored = await callOk<RestorePreview & { reopening: boolean }>(t.engine, 'backups:restore', { file: entry!.file, confirm: 'RESTORE' });
    expect(restored.reopening).toBe(false);
    const engine = await reopen(t);
    expect(await balanceOf(engine, wallet.id)).toMatchObject({ posted: '1000000' });
    expect(await engine.services.wallets.get(late.id).catch(() => null)).toBeNull();
    const integrity = await engine.services.auditTrail.integrity();
    expect(integrity.ok).toBe(true);
    const head = await engine.services.audit.list({ limit: 1 });
    expect(head[0]).toMatchObject({ action: 'backup.restored', entity_id: made.name });
    // The database it replaced is kept, not deleted.
    expect(readdirSync(join(t.home, 'replaced'))).toHaveLength(1);
  });

  it('refuses a backup of another network’s workspace before decrypting it, and changes nothing', async () => {
    const devnet = await workspace('devnet');
    const target = folder('treasury-backups-');
    const made = await backupTo(devnet, target);
    const testnet = await workspace('testnet');
    const before = (await testnet.engine.services.audit.head()).seq;
    for (const channel of ['backups:preview', 'backups:restore']) {
      const refused = await testnet.engine.api.call(channel, { file: join(target, made.name), ...(channel === 'backups:restore' ? { confirm: 'restore' } : {}) }, { door: 'test' });
      expect(refused).toMatchObject({ ok: false, error: { code: 'wrong_network', details: { belongsTo: 'devnet', asked: 'testnet' } } });
    }
    expect((await testnet.engine.services.audit.head()).seq).toBe(before);
    expect(readdirSync(testnet.home)).not.toContain('restore.json');
  });

  it('refuses an edited manifest, a damaged file and another seed’s words', async () => {
    const t = await workspace();
    const target = folder('treasury-backups-');
    const made = await backupTo(t, target);
    const file = join(target, made.name);
    const original = readFileSync(file);
    const newline = original.indexOf(0x0a);
    const header = JSON.parse(original.subarray(0, newline).toString('utf8'));

    const cases: Array<{ name: string; bytes: Buffer; words?: string; code: string; reason?: string }> = [
      {
        name: 'audit head edited in the manifest',
        bytes: Buffer.concat([Buffer.from(JSON.stringify({ ...header, manifest: { ...header.manifest, auditHead: { ...header.manifest.auditHead, seq: 1 } } })), original.subarray(newline)]),
        code: 'validation',
        reason: 'decryption_failed',
      },
      { name: 'a flipped byte in the ciphertext', bytes: Buffer.from(original.map((b, i) => (i === newline + 100 ? b ^ 1 : b))), code: 'validation', reason: 'decryption_failed' },
      { name: 'cut short', bytes: original.subarray(0, newline + 5), code: 'validation', reason: 'truncated' },
      { name: 'not a backup', bytes: Buffer.from('hello\n'), code: 'validation', reason: 'not_a_backup' },
      { name: 'another seed’s words', bytes: original, words: 'legal winner thank year wave sausage worth useful legal winner thank yellow', code: 'forbidden', reason: 'wrong_key' },
    ];
    for (const c of cases) {
      const path = join(target, `case.tbak`);
      writeFileSync(path, c.bytes);
      const refused = await t.engine.api.call('backups:restore', { file: path, confirm: 'restore', ...(c.words ? { words: c.words } : {}) }, { door: 'test' });
      expect(refused, c.name).toMatchObject({ ok: false, error: { code: c.code, ...(c.reason ? { details: { reason: c.reason } } : {}) } });
    }
    expect(readdirSync(t.home)).not.toContain('restore.json');
  });

  it('restores into a fresh data folder with the recovery words alone; the operators sign in and restore the seed', async () => {
    // The lost workstation: its folder is gone after the backup.
    const t = await startUnlockedEngine({ withdrawalTrackIntervalMs: 0, rampExpiryIntervalMs: 0 });
    const target = folder('treasury-backups-');
    const wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'client' });
    await credit(t, wallet.id, 'credit-1', 7_000_000n);
    // KYC scans are files beside the database: the backup carries them too.
    const client = await callOk<{ id: string }>(t.engine, 'clients:create', CLIENT);
    await callOk(t.engine, 'clients:kyc:addIdentityDocument', { clientId: client.id, ...IDENTITY });
    await callOk(t.engine, 'clients:kyc:addProofOfAddress', { clientId: client.id, ...PROOF });
    const scans = readdirSync(join(t.home, 'kyc')).sort();
    expect(scans).toHaveLength(3);
    const words = (await callOk<{ words: string[] }>(t.engine, 'system:recovery:reveal', { passphrase: TEST_PASSPHRASE })).words.join(' ');
    const made = await backupTo(t, target);
    await t.dispose();

    // A new workstation: its empty workspace, nobody signed in.
    const home = folder('treasury-fresh-');
    const fresh = await createEngine({ home, network: 'devnet', host: 'headless', scrypt: TEST_SCRYPT, log: () => {}, withdrawalTrackIntervalMs: 0, rampExpiryIntervalMs: 0 });
    const listed = await fresh.api.call('backups:list', { folder: target }, { door: 'test' });
    expect(listed).toMatchObject({ ok: true, data: [{ name: made.name, sameNetwork: true }] });
    const locked = await fresh.api.call('backups:preview', { file: join(target, made.name) }, { door: 'test' });
    expect(locked).toMatchObject({ ok: false, error: { code: 'locked' } });
    const restored = await fresh.api.call('backups:restore', { file: join(target, made.name), words, confirm: 'restore' }, { door: 'test' });
    // The fresh books hold nothing but their creation: nothing is lost.
    expect(restored).toMatchObject({ ok: true, data: { since: null, integrity: { ok: true } } });
    await fresh.close();

    const engine = await createEngine({ home, network: 'devnet', host: 'headless', scrypt: TEST_SCRYPT, log: () => {}, withdrawalTrackIntervalMs: 0, rampExpiryIntervalMs: 0 });
    cleanup.push(() => engine.close());
    expect(await engine.services.operators.setupRequired()).toBe(false);
    const signedIn = await engine.api.call('system:signIn', { operator: 'admin', passphrase: TEST_PASSPHRASE }, { door: 'test' });
    expect(signedIn.ok).toBe(true);
    const session = (signedIn as { data: { session: { token: string } } }).data.session.token;
    const seed = await engine.api.call('system:restore', { mnemonic: words, passphrase: TEST_PASSPHRASE }, { door: 'test', session });
    expect(seed).toMatchObject({ ok: true, data: { initialized: true, unlocked: true } });
    expect(await balanceOf(engine, wallet.id)).toMatchObject({ posted: '7000000' });
    expect((await engine.services.auditTrail.integrity()).ok).toBe(true);
    expect(readdirSync(join(home, 'kyc')).sort()).toEqual(scans);
    const files = await engine.api.call('clients:kyc:verifyFiles', {}, { door: 'test', session });
    expect(files).toMatchObject({ ok: true, data: scans.map((sha256) => ({ sha256, state: 'intact' })) });
    // Client data is sealed under the seed: the words that restored it open the client and the scans again.
    const opened = await engine.api.call('clients:get', { clientId: client.id }, { door: 'test', session });
    expect(opened).toMatchObject({ ok: true, data: { legalName: CLIENT.legalName, email: 'juan.garcia@example.com', identityDocument: { number: IDENTITY.number } } });
    expect((await engine.services.clients.files.read(scans[0]!))?.length).toBeGreaterThan(0);
  });

  it('shows a backup whose audit chain inside is broken as failing the check, and refuses to restore it', async () => {
    const t = await workspace();
    const target = folder('treasury-backups-');
    const wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'client' });
    await credit(t, wallet.id, 'credit-tampered', 250_000n);
    // Someone edits a journal record in the file behind the app's back; the next backup carries the edit.
    const intruder = new BetterSqlite3(t.engine.database.location);
    intruder.exec('drop trigger if exists audit_log_immutable');
    intruder.prepare(`update audit_log set change = replace(change, '"250000"', '"25000"') where action = 'ledger.posted'`).run();
    intruder.close();
    const made = await backupTo(t, target);
    const file = join(target, made.name);
    const preview = await callOk<RestorePreview>(t.engine, 'backups:preview', { file });
    expect(preview.integrity).toMatchObject({ ok: false, message: expect.stringMatching(/audit chain inside the backup is broken at record \d+/) });
    const refused = await t.engine.api.call('backups:restore', { file, confirm: 'restore' }, { door: 'test' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'validation', details: { reason: 'integrity' } } });
    expect(readdirSync(t.home)).not.toContain('restore.json');
  });

  it('a workspace without a folder or before its seed was ever open says so instead of backing up', async () => {
    const t = await startTestEngine({ withdrawalTrackIntervalMs: 0, rampExpiryIntervalMs: 0 });
    cleanup.push(() => t.dispose());
    expect(await callOk<BackupStatus>(t.engine, 'backups:status', {})).toMatchObject({ health: 'not_configured', lastGood: null });
    await callOk(t.engine, 'backups:updateSettings', { folders: [folder('treasury-backups-')], intervalMinutes: 60, keepHourlyHours: 48, keepDailyDays: 30, keepMonthlyMonths: 12 });
    expect(await callOk<BackupStatus>(t.engine, 'backups:status', {})).toMatchObject({ health: 'no_key' });
    expect(await t.engine.api.call('backups:run', {}, { door: 'test' })).toMatchObject({ ok: false, error: { code: 'locked' } });
    const relative = await t.engine.api.call('backups:updateSettings', { folders: ['backups'], intervalMinutes: 60, keepHourlyHours: 48, keepDailyDays: 30, keepMonthlyMonths: 12 }, { door: 'test' });
    expect(relative).toMatchObject({ ok: false, error: { code: 'validation' } });
  });
});
