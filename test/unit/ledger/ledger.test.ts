import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkLedgerInvariants } from '@engine/ledger/invariants';
import type { Ledger } from '@engine/ledger/ledger';
import { reconcile } from '@engine/ledger/reconciliation';
import { DomainError } from '@shared/result';
import { sql } from 'kysely';
import { callOk, startUnlockedEngine, type TestEngine } from '@test/engine';
import { BACKENDS } from '@test/backends';
import type { WalletView } from '@shared/domain/wallets';

let t: TestEngine;
let ledger: Ledger;
let alice: WalletView;
let bob: WalletView;
const USDT = 'polygon:USDT';

const wallet = (w: WalletView) => ({ kind: 'client_wallet' as const, assetId: USDT, walletId: w.id });
const fund = (w: WalletView, amount: bigint, key = `fund-${w.id}-${amount}`) =>
  ledger.transfer({ idempotencyKey: key, debit: { kind: 'uncovered_credit', assetId: USDT }, credit: wallet(w), amount, code: 'company_credit' });

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toBeInstanceOf(DomainError);
  await promise.catch((error: DomainError) => expect(error.code).toBe(code));
}

describe.each(BACKENDS)('on %s', (backend) => {
  beforeEach(async () => {
    t = await startUnlockedEngine({ backend });
    ledger = t.engine.services.ledger;
    alice = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'Alice' });
    bob = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'Bob' });
  });
  afterEach(async () => {
    expect(await checkLedgerInvariants(t.engine.database.db)).toEqual([]);
    await t.dispose();
  });

  describe('ledger transfers', () => {
    it('moves posted balances and keeps them materialized', async () => {
      await fund(alice, 1_000_000n);
      await ledger.transfer({ idempotencyKey: 'move-1', debit: wallet(alice), credit: wallet(bob), amount: 250_000n, code: 'internal_transfer' });
      expect(await ledger.balance(wallet(alice))).toEqual({ assetId: USDT, posted: '750000', pending: '0', available: '750000' });
      expect(await ledger.balance(wallet(bob))).toEqual({ assetId: USDT, posted: '250000', pending: '0', available: '250000' });
    });

    it('refuses to spend beyond the available balance and writes nothing', async () => {
      await fund(alice, 100n);
      await expectCode(
        ledger.transfer({ idempotencyKey: 'too-much', debit: wallet(alice), credit: wallet(bob), amount: 101n, code: 'internal_transfer' }),
        'insufficient_funds',
      );
      expect(await ledger.balance(wallet(alice))).toMatchObject({ posted: '100', available: '100' });
      expect(await ledger.balance(wallet(bob))).toMatchObject({ posted: '0' });
    });

    it('returns the first result for a retry with the same key and content', async () => {
      await fund(alice, 500n);
      const first = await ledger.transfer({ idempotencyKey: 'retry-1', debit: wallet(alice), credit: wallet(bob), amount: 200n, code: 'internal_transfer' });
      const again = await ledger.transfer({ idempotencyKey: 'retry-1', debit: wallet(alice), credit: wallet(bob), amount: 200n, code: 'internal_transfer' });
      expect(again.replayed).toBe(true);
      expect(again.transfer.id).toBe(first.transfer.id);
      expect(await ledger.balance(wallet(bob))).toMatchObject({ posted: '200' });
    });

    it('refuses a reused key with other content', async () => {
      await fund(alice, 500n);
      await ledger.transfer({ idempotencyKey: 'retry-2', debit: wallet(alice), credit: wallet(bob), amount: 200n, code: 'internal_transfer' });
      await expectCode(
        ledger.transfer({ idempotencyKey: 'retry-2', debit: wallet(alice), credit: wallet(bob), amount: 201n, code: 'internal_transfer' }),
        'idempotency_conflict',
      );
    });

    it.each([
      ['zero amount', { amount: 0n }, 'invalid_amount'],
      ['negative amount', { amount: -5n }, 'invalid_amount'],
      ['past uint256', { amount: 1n << 256n }, 'invalid_amount'],
      ['different assets', { credit: { kind: 'client_wallet', assetId: 'polygon:USDC', walletId: 'x' } }, 'asset_mismatch'],
    ] as const)('refuses %s', async (_name, change, code) => {
      await fund(alice, 500n);
      await expectCode(
        ledger.transfer({ idempotencyKey: `bad-${_name}`, debit: wallet(alice), credit: wallet(bob), amount: 1n, code: 'internal_transfer', ...change }),
        code,
      );
    });

    it('holds with a pending transfer, then posts exactly once', async () => {
      await fund(alice, 1000n);
      const hold = await ledger.transfer({
        idempotencyKey: 'hold-1', kind: 'pending', debit: wallet(alice), credit: { kind: 'holding', assetId: USDT }, amount: 600n, code: 'withdrawal',
      });
      expect(await ledger.balance(wallet(alice))).toEqual({ assetId: USDT, posted: '1000', pending: '-600', available: '400' });
      await expectCode(
        ledger.transfer({ idempotencyKey: 'spend-held', debit: wallet(alice), credit: wallet(bob), amount: 401n, code: 'internal_transfer' }),
        'insufficient_funds',
      );
      await ledger.post(hold.transfer.id, 'hold-1:post');
      expect(await ledger.balance(wallet(alice))).toEqual({ assetId: USDT, posted: '400', pending: '0', available: '400' });
      expect((await ledger.post(hold.transfer.id, 'hold-1:post')).replayed).toBe(true);
      await expectCode(ledger.void(hold.transfer.id, 'hold-1:void'), 'conflict');
    });

    it('voids a hold and gives the amount back', async () => {
      await fund(alice, 1000n);
      const hold = await ledger.transfer({
        idempotencyKey: 'hold-2', kind: 'pending', debit: wallet(alice), credit: { kind: 'holding', assetId: USDT }, amount: 600n, code: 'withdrawal',
      });
      await ledger.void(hold.transfer.id, 'hold-2:void');
      expect(await ledger.balance(wallet(alice))).toEqual({ assetId: USDT, posted: '1000', pending: '0', available: '1000' });
      await expectCode(ledger.post(hold.transfer.id, 'hold-2:post'), 'conflict');
    });

    it('corrects with a reversing transfer, once, and never edits the original', async () => {
      const credit = await fund(alice, 700n);
      await ledger.reverse(credit.transfer.id, { idempotencyKey: 'undo-1', code: 'correction', memo: 'credited twice by mistake' });
      expect(await ledger.balance(wallet(alice))).toMatchObject({ posted: '0' });
      await expectCode(ledger.reverse(credit.transfer.id, { idempotencyKey: 'undo-2', code: 'correction', memo: 'again' }), 'conflict');
      const db = t.engine.database.db;
      await expect(sql`update ledger_transfers set amount = '1'`.execute(db)).rejects.toThrow(/immutable/);
      await expect(sql`delete from ledger_transfers`.execute(db)).rejects.toThrow(/cannot be deleted/);
    });

    it('keeps 18-decimal amounts far past 64-bit integers exact', async () => {
      const huge = 123_456_789_012_345_678_901_234_567_890n;
      await fund(alice, huge);
      expect(await ledger.balance(wallet(alice))).toMatchObject({ posted: huge.toString() });
    });

    it('applies a batch atomically: one bad transfer and none are written', async () => {
      await fund(alice, 100n);
      await expectCode(
        ledger.transferBatch([
          { idempotencyKey: 'b-1', debit: wallet(alice), credit: wallet(bob), amount: 60n, code: 'internal_transfer' },
          { idempotencyKey: 'b-2', debit: wallet(alice), credit: wallet(bob), amount: 60n, code: 'internal_transfer' },
        ]),
        'insufficient_funds',
      );
      expect(await ledger.balance(wallet(bob))).toMatchObject({ posted: '0' });
    });

    it('pages a wallet history newest first', async () => {
      await fund(alice, 1000n);
      for (let i = 0; i < 5; i++) {
        await ledger.transfer({ idempotencyKey: `page-${i}`, debit: wallet(alice), credit: wallet(bob), amount: 10n, code: 'internal_transfer' });
      }
      const first = await ledger.history(wallet(alice), undefined, 4);
      expect(first.items).toHaveLength(4);
      expect(first.items.map((i) => i.direction)).toEqual(['out', 'out', 'out', 'out']);
      const second = await ledger.history(wallet(alice), first.nextCursor!, 4);
      expect(second.items.map((i) => i.direction)).toEqual(['out', 'in']);
      expect(second.nextCursor).toBeNull();
    });

    it('reconciles liabilities against holdings with coverage and shortfall', async () => {
      await ledger.transfer({
        idempotencyKey: 'dep-1', debit: { kind: 'deposit_in_transit', assetId: USDT, walletId: alice.id }, credit: wallet(alice), amount: 3_000_000n, code: 'deposit',
      });
      await fund(bob, 1_000_000n);
      const [line] = await reconcile(ledger);
      expect(line).toEqual({
        assetId: USDT,
        clientLiabilities: '4000000',
        companyReserve: '0',
        holdings: '3000000',
        uncoveredCredit: '1000000',
        coverageRatio: '0.7500',
        shortfall: '1000000',
      });
    });
  });
});
