import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WalletView } from '@shared/domain/wallets';
import { callOk, databaseFileHash, snapshotRows, startUnlockedEngine, type TestEngine } from '@test/engine';
import { BACKENDS } from '@test/backends';
import { creditWallet } from '@test/controls';

describe.each(BACKENDS)('on %s', (backend) => {
  let t: TestEngine;
  let alice: WalletView;
  let bob: WalletView;
  let closed: WalletView;
  let tronWallet: WalletView;

  beforeAll(async () => {
    t = await startUnlockedEngine({ backend });
    alice = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'Alice' });
    bob = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'Bob' });
    closed = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'Closed' });
    tronWallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'tron', label: 'Tron' });
    await callOk(t.engine, 'wallets:setStatus', { walletId: closed.id, status: 'closed' });
    await creditWallet(t, { idempotencyKey: 'seed-alice-0001', walletId: alice.id, assetId: 'polygon:USDT', amount: '5000000', reason: 'opening balance' });
  });
  afterAll(() => t.dispose());
  // On SQLite "unchanged" also means the file's bytes; on PostgreSQL the rows are the whole truth.
  const fileHash = () => (backend === 'sqlite' ? databaseFileHash(t.engine) : null);

  const transfer = (change: Record<string, unknown>) => ({
    idempotencyKey: `bad-${Math.random().toString(36).slice(2, 12)}`,
    fromWalletId: alice.id,
    toWalletId: bob.id,
    assetId: 'polygon:USDT',
    amount: '1000',
    ...change,
  });

  describe('bad input through IPC is refused with a typed error and changes nothing', () => {
    const cases: Array<[string, string, () => unknown, string]> = [
      ['an unknown asset', 'transfers:internal', () => transfer({ assetId: 'polygon:DOGE' }), 'not_found'],
      ['an asset of another chain', 'transfers:internal', () => transfer({ assetId: 'tron:USDT' }), 'asset_mismatch'],
      ['a wallet of another chain', 'transfers:internal', () => transfer({ toWalletId: tronWallet.id }), 'asset_mismatch'],
      ['a decimal amount (base units are whole)', 'transfers:internal', () => transfer({ amount: '1.5' }), 'validation'],
      ['a negative amount', 'transfers:internal', () => transfer({ amount: '-1000' }), 'validation'],
      ['a zero amount', 'transfers:internal', () => transfer({ amount: '0' }), 'validation'],
      ['an amount past 2^256-1', 'transfers:internal', () => transfer({ amount: (1n << 256n).toString() }), 'validation'],
      ['an amount as a JS number', 'transfers:internal', () => transfer({ amount: 1000 }), 'validation'],
      ['an exponent', 'transfers:internal', () => transfer({ amount: '1e6' }), 'validation'],
      ['a missing wallet', 'transfers:internal', () => transfer({ toWalletId: 'no-such-wallet' }), 'not_found'],
      ['a closed wallet', 'transfers:internal', () => transfer({ toWalletId: closed.id }), 'inactive_wallet'],
      ['the same source and destination', 'transfers:internal', () => transfer({ toWalletId: alice.id }), 'validation'],
      ['more than the balance', 'transfers:internal', () => transfer({ amount: '5000001' }), 'insufficient_funds'],
      ['a missing idempotency key', 'transfers:internal', () => ({ ...transfer({}), idempotencyKey: undefined }), 'validation'],
      ['an unexpected field', 'transfers:internal', () => transfer({ sneaky: true }), 'validation'],
      ['company credit without a reason', 'transfers:companyCredit', () => ({ idempotencyKey: 'credit-no-reason', walletId: alice.id, assetId: 'polygon:USDT', amount: '1' }), 'validation'],
      ['company credit to a closed wallet', 'transfers:companyCredit', () => ({ idempotencyKey: 'credit-closed-1', walletId: closed.id, assetId: 'polygon:USDT', amount: '1', reason: 'goodwill' }), 'inactive_wallet'],
      ['a reused key with other content', 'transfers:companyCredit', () => ({ idempotencyKey: 'seed-alice-0001', walletId: alice.id, assetId: 'polygon:USDT', amount: '6000000', reason: 'opening balance' }), 'idempotency_conflict'],
      ['a wallet on an unknown chain', 'wallets:create', () => ({ chain: 'solana', label: 'x' }), 'validation'],
      ['reopening a closed wallet', 'wallets:setStatus', () => ({ walletId: closed.id, status: 'active' }), 'wallet_closed'],
    ];

    it.each(cases)('%s', async (_name, channel, payload, code) => {
      const rows = await snapshotRows(t.engine);
      const bytes = fileHash();
      const result = await t.engine.api.call(channel, payload(), { door: 'test' });
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe(code);
        expect(result.error.message.length).toBeGreaterThan(5);
      }
      expect(await snapshotRows(t.engine)).toBe(rows);
      expect(fileHash()).toBe(bytes);
    });

    it('an internal transfer moves the balance, and its retry answers the same receipt', async () => {
      const request = transfer({ idempotencyKey: 'good-transfer-1', amount: '1250000' });
      const first = await callOk<{ transferId: string; replayed: boolean }>(t.engine, 'transfers:internal', request);
      const rows = await snapshotRows(t.engine);
      const bytes = fileHash();
      const again = await callOk<{ transferId: string; replayed: boolean }>(t.engine, 'transfers:internal', request);
      expect(again).toMatchObject({ transferId: first.transferId, replayed: true });
      expect(await snapshotRows(t.engine)).toBe(rows);
      expect(fileHash()).toBe(bytes);
      const wallet = await callOk<WalletView>(t.engine, 'wallets:get', { walletId: bob.id });
      expect(wallet.balances).toEqual([{ assetId: 'polygon:USDT', posted: '1250000', pending: '0', available: '1250000' }]);
    });

    it('a locked app cannot create wallets', async () => {
      await callOk(t.engine, 'system:lock', {});
      const result = await t.engine.api.call('wallets:create', { chain: 'polygon', label: 'x' }, { door: 'test' });
      expect(result).toMatchObject({ ok: false, error: { code: 'locked' } });
      const wrong = await t.engine.api.call('system:unlock', { passphrase: 'not the passphrase' }, { door: 'test' });
      expect(wrong).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    });
  });
});
