import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineEvent } from '@shared/ipc/events';
import type { WalletView } from '@shared/domain/wallets';
import { callOk, startUnlockedEngine, type TestEngine } from '@test/engine';
import { BACKENDS } from '@test/backends';
import { creditWallet } from '@test/controls';

describe.each(BACKENDS)('on %s', (backend) => {
  let t: TestEngine;
  let events: EngineEvent[];
  let alice: WalletView;
  let bob: WalletView;

  beforeEach(async () => {
    t = await startUnlockedEngine({ backend });
    alice = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'Alice' });
    bob = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'Bob' });
    events = [];
    t.engine.events.subscribe((event) => events.push(event));
  });
  afterEach(() => t.dispose());

  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
  const balanceEvents = () => events.filter((e) => e.type === 'balance.changed');

  it('announces the committed balances of both wallets after an internal transfer made inside a service transaction', async () => {
    await creditWallet(t, { idempotencyKey: 'credit-0001', walletId: alice.id, assetId: 'polygon:USDT', amount: '900', reason: 'opening' });
    // The approval books the credit in a service transaction and announces the committed balance itself.
    await vi.waitFor(() => expect(balanceEvents().at(-1)).toEqual({ type: 'balance.changed', walletId: alice.id, assetId: 'polygon:USDT', posted: '900', pending: '0', available: '900' }));
    events.length = 0;
    await callOk(t.engine, 'transfers:internal', { idempotencyKey: 'move-0001', fromWalletId: alice.id, toWalletId: bob.id, assetId: 'polygon:USDT', amount: '400' });
    await settle();
    const move = balanceEvents();
    // The two sides of one transfer come in no particular order.
    expect(move).toHaveLength(2);
    expect(move).toEqual(
      expect.arrayContaining([
        { type: 'balance.changed', walletId: alice.id, assetId: 'polygon:USDT', posted: '500', pending: '0', available: '500' },
        { type: 'balance.changed', walletId: bob.id, assetId: 'polygon:USDT', posted: '400', pending: '0', available: '400' },
      ]),
    );
  });

  it('announces nothing for a refused transfer', async () => {
    const refused = await t.engine.api.call(
      'transfers:internal',
      { idempotencyKey: 'move-0002', fromWalletId: alice.id, toWalletId: bob.id, assetId: 'polygon:USDT', amount: '1' },
      { door: 'test' },
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'insufficient_funds' } });
    await settle();
    expect(balanceEvents()).toEqual([]);
  });
});
