import { topUpCompanyNative } from '@test/company-reserve';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Asset } from '@shared/domain/assets';
import type { BackupEntry, RestorePreview } from '@shared/domain/backups';
import type { WalletView } from '@shared/domain/wallets';
import type { HoldingAddressView, WithdrawalView } from '@shared/domain/withdrawals';
import type { Result } from '@shared/result';
import { createEngine, type Engine, type EngineConfig } from '@engine/engine';
import { TEST_PASSPHRASE, TEST_SCRYPT } from '@test/engine';
import { TEST_TOKEN_SIGNING_PUBLIC_KEY, withTestSignature } from '@test/virtual-ledger/token-signing-key';
import { VirtualLedger } from '@test/virtual-ledger/virtual-ledger';
import { startDevChain, type DevChain } from '../watch/devnet-chain';
import { openEngine, type CallContext } from '../withdraw/harness';

/**
 * The restore drill on a real anvil chain: back up, keep working (deposits, a withdrawal), lose the data folder,
 * restore the newest backup on a fresh folder with the recovery words, restore the seed, let the watcher rescan
 * from the backup's cursors: every balance equals the run that never crashed, and no deposit is credited twice.
 */
const DEPTH = 3;
const DEVICE_MNEMONIC = 'test test test test test test test test test test test junk';
// An ordinary outside address (the doors refuse burn addresses such as 0x…dEaD as destinations).
const DESTINATION = '0x1111111111111111111111111111111111111111';

describe('restore drill (Polygon devnet)', () => {
  const device = new VirtualLedger({ mnemonic: DEVICE_MNEMONIC, app: 'eth', ethereum: { tokenSignerPublicKey: TEST_TOKEN_SIGNING_PUBLIC_KEY } });
  const config = (): Partial<EngineConfig> => ({
    withdrawalTrackIntervalMs: 0,
    rampExpiryIntervalMs: 0,
    backups: { checkEveryMs: 3_600_000 },
    signer: {
      openTransport: device.factory(),
      software: true,
      evmTokenInfo: (a: Asset, chainId: number) => withTestSignature({ ticker: a.symbol, contractAddress: a.contract!, decimals: a.decimals, chainId }),
    },
  });
  const folders: string[] = [];
  const made = (prefix: string) => {
    const path = mkdtempSync(join(tmpdir(), prefix));
    folders.push(path);
    return path;
  };
  let dev: DevChain;
  const closers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await dev?.stop();
    for (const f of folders) rmSync(f, { recursive: true, force: true });
  });

  async function ok<T>(engine: Engine, channel: string, payload: unknown, context: CallContext): Promise<T> {
    const result = (await engine.api.call(channel, payload, context as never)) as Result<T>;
    if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
    return result.data;
  }

  /** Mines past the confirmation depth and lets the watcher and the withdrawal tracker catch up. */
  async function settle(engine: Engine) {
    for (let i = 0; i < 3; i++) {
      await dev.mine(DEPTH + 1);
      await engine.services.watch.tick('polygon');
      await engine.services.withdraw.tracker.track();
    }
  }

  async function books(engine: Engine, walletIds: string[]) {
    const balances: Record<string, unknown> = {};
    for (const walletId of walletIds) balances[walletId] = await engine.services.ledger.balance({ kind: 'client_wallet', assetId: 'polygon:USDT', walletId });
    const credited = engine.database.sqlite!.prepare("select tx_hash, log_index, amount from deposits where state = 'confirmed' order by tx_hash, log_index").all();
    const credits = engine.database.sqlite!.prepare("select count(*) as n from ledger_transfers where kind = 'deposit'").get();
    return { balances, credited, credits };
  }

  it('restores the books after the data folder is lost: balances equal the run that never crashed', async () => {
    dev = await startDevChain('polygon');
    const backupFolder = made('treasury-drill-backups-');
    const { t, ops } = await openEngine(config());
    let live: Engine = t.engine;
    closers.push(() => live.close());
    const admin = ops.admin;
    await ok(live, 'configuration:update', { chain: 'polygon', rpcUrl: dev.url, confirmations: DEPTH }, admin);
    const holding = await ok<HoldingAddressView>(live, 'holding:register', { chain: 'polygon' }, admin);
    await dev.fundNative(holding.address, 10n ** 19n);
    // The withdrawal's network fee is the company's: it sends POL of its own, booked as reserve by the watcher.
    await topUpCompanyNative(t, 'polygon', { rpcUrl: dev.url, mine: (n) => dev.mine(n) }, holding.address, 10n ** 18n);
    await dev.sendToken(holding.address, 1_000n * dev.unit);
    const alice = await ok<WalletView>(live, 'wallets:create', { chain: 'polygon', label: 'alice corp' }, ops.alice);
    const bruno = await ok<WalletView>(live, 'wallets:create', { chain: 'polygon', label: 'bruno sa' }, ops.alice);
    await dev.sendToken(alice.address, 100n * dev.unit);
    await settle(live);

    // The first backup, then the schedule and the backup after each withdrawal.
    await ok(live, 'backups:updateSettings', { folders: [backupFolder], intervalMinutes: 60, keepHourlyHours: 48, keepDailyDays: 30, keepMonthlyMonths: 12 }, admin);
    await ok(live, 'backups:run', {}, admin);
    live.services.backups.start();
    const words = (await ok<{ words: string[] }>(live, 'system:recovery:reveal', { passphrase: TEST_PASSPHRASE }, admin)).words.join(' ');

    // Work after the backup: deposits to both clients, a withdrawal from alice's.
    await dev.sendToken(alice.address, 20n * dev.unit);
    await dev.sendToken(bruno.address, 30n * dev.unit);
    await settle(live);
    const requested = await ok<WithdrawalView>(live, 'withdrawals:request', { idempotencyKey: 'drill-w-1', walletId: alice.id, assetId: 'polygon:USDT', amount: (15n * dev.unit).toString(), destination: DESTINATION }, ops.alice);
    await ok(live, 'withdrawals:approve', { withdrawalId: requested.id }, ops.bob);
    const sent = await ok<WithdrawalView>(live, 'withdrawals:sign', { withdrawalId: requested.id }, ops.bob);
    expect(sent.state).toBe('broadcast');
    await live.services.backups.idle();
    // After the newest backup: another deposit, credited, and one still confirming when the folder is lost.
    await dev.sendToken(bruno.address, 5n * dev.unit);
    await settle(live);
    await dev.sendToken(alice.address, 7n * dev.unit);
    await dev.mine(1);
    await live.services.watch.tick('polygon');

    const backups = await ok<BackupEntry[]>(live, 'backups:list', {}, admin);
    expect(backups.map((b) => b.manifest.trigger)).toEqual(['withdrawal', 'manual']);
    // Restoring the older backup would lose the withdrawal: the preview names its transaction to reconcile.
    const olderPreview = await ok<RestorePreview>(live, 'backups:preview', { file: backups[1]!.file }, admin);
    expect(olderPreview.since).toMatchObject({ continues: true, depositsCredited: 3, withdrawals: [{ withdrawalId: requested.id, txHash: sent.txHash }] });
    const newest = await ok<RestorePreview>(live, 'backups:preview', { file: backups[0]!.file }, admin);
    expect(newest.since!.withdrawals.filter((w) => w.action !== 'withdrawal.confirmed')).toEqual([]);
    expect(newest.withdrawalsInFlight).toBe(1);

    // The run that never crashed, settled.
    await settle(live);
    const reference = await books(live, [alice.id, bruno.id]);
    expect(reference.balances[alice.id]).toMatchObject({ posted: (112n * dev.unit).toString(), pending: '0' });
    expect(reference.balances[bruno.id]).toMatchObject({ posted: (35n * dev.unit).toString() });

    // The workstation is lost.
    await live.close();
    closers.pop();
    rmSync(t.home, { recursive: true, force: true });

    // A new workstation: fresh folder, the backup share, the recovery words.
    const home = made('treasury-drill-fresh-');
    const engineConfig = { home, network: 'devnet' as const, host: 'headless' as const, scrypt: TEST_SCRYPT, log: () => {}, ...config() };
    const fresh = await createEngine(engineConfig);
    const anonymous = { door: 'test' } as CallContext;
    const [latest] = await ok<BackupEntry[]>(fresh, 'backups:list', { folder: backupFolder }, anonymous);
    await ok(fresh, 'backups:restore', { file: latest!.file, words, confirm: 'restore' }, anonymous);
    await fresh.close();
    const restored = await createEngine(engineConfig);
    live = restored;
    closers.push(() => restored.close());
    const signedIn = await ok<{ session: { token: string } }>(restored, 'system:signIn', { operator: 'admin', passphrase: TEST_PASSPHRASE }, anonymous);
    const session = { door: 'test', session: signedIn.session.token } as CallContext;
    await ok(restored, 'system:restore', { mnemonic: words, passphrase: TEST_PASSPHRASE }, session);

    // The watcher rescans from the backup's cursors; the tracker finds the withdrawal's receipt.
    await settle(restored);
    const after = await books(restored, [alice.id, bruno.id]);
    expect(after).toEqual(reference);
    expect((await restored.services.auditTrail.integrity()).ok).toBe(true);
    const withdrawal = await ok<WithdrawalView>(restored, 'withdrawals:get', { withdrawalId: requested.id }, session);
    expect(withdrawal).toMatchObject({ state: 'confirmed', txHash: sent.txHash });
    // The newest backup knew the withdrawal: the holding wallet holds nothing these books lack.
    expect(await restored.services.backups.checkAfterRestore()).toEqual([]);
    expect(await restored.services.backups.checkAfterRestore()).toBeNull();
    await restored.close();
    closers.pop();

    // Had only the older backup survived: deposits since are found again, and the withdrawal it never knew is
    // named from the chain (the holding wallet's nonce) for the officer to reconcile.
    const olderHome = made('treasury-drill-older-');
    const olderConfig = { ...engineConfig, home: olderHome };
    const blank = await createEngine(olderConfig);
    await ok(blank, 'backups:restore', { file: backups[1]!.file, words, confirm: 'restore' }, anonymous);
    await blank.close();
    const older = await createEngine(olderConfig);
    closers.push(() => older.close());
    const olderSession = { door: 'test', session: (await ok<{ session: { token: string } }>(older, 'system:signIn', { operator: 'admin', passphrase: TEST_PASSPHRASE }, anonymous)).session.token } as CallContext;
    await ok(older, 'system:restore', { mnemonic: words, passphrase: TEST_PASSPHRASE }, olderSession);
    await settle(older);
    const olderBooks = await books(older, [alice.id, bruno.id]);
    expect(olderBooks.credited).toEqual(reference.credited);
    expect(olderBooks.balances[alice.id]).toMatchObject({ posted: (127n * dev.unit).toString() });
    expect(await older.services.backups.checkAfterRestore()).toEqual([{ chain: 'polygon', address: holding.address, fromNonce: 0, toNonce: 0 }]);
    const alerts = await ok<Array<{ kind: string; message: string }>>(older, 'sweeps:alerts', { chain: 'polygon', limit: 10 }, olderSession);
    expect(alerts).toContainEqual(expect.objectContaining({ kind: 'unknown_holding_transactions', message: expect.stringContaining('1 transaction left the holding wallet') }));
  });
});
