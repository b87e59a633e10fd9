import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WalletView } from '@shared/domain/wallets';
import { callOk, snapshotDatabase, startUnlockedEngine, type TestEngine } from '@test/engine';

let t: TestEngine;
beforeAll(async () => {
  t = await startUnlockedEngine();
});
afterAll(() => t.dispose());

describe('free text on the channels', () => {
  it.each([
    ['wallets:create', 'a NUL in a label', { chain: 'polygon', label: 'Treasury\u0000ops' }],
    ['wallets:create', 'a lone surrogate in a label', { chain: 'polygon', label: 'Treasury \ud800' }],
    ['clients:create', 'a NUL in a legal name', { legalName: 'Acme\u0000 Ltd' }],
    ['clients:create', 'a lone surrogate in a legal name', { legalName: 'Acme \udfff Ltd' }],
    ['clients:create', 'an escape sequence in an address line', { legalName: 'Acme Ltd', address: { line1: 'Main St 1\u001b[2J', city: 'Lima', country: 'PE' } }],
    ['withdrawals:addressBookAdd', 'a NUL in an address', { chain: 'polygon', address: '0x8ba1f109551bD432803012645Ac136ddd64DBA72\u0000', label: 'x', whitelisted: false }],
  ])('%s refuses %s and stores nothing', async (channel, _case, payload) => {
    const before = snapshotDatabase(t.engine);
    const result = await t.engine.api.call(channel, payload, { door: 'test' });
    expect(result).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(snapshotDatabase(t.engine)).toBe(before);
  });

  it('stores a label typed with a combining accent as the composed letter, and reads it back the same', async () => {
    const wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'Cafe\u0301 fund 🚀' });
    expect(wallet.label).toBe('Café fund 🚀');
    expect((await callOk<WalletView>(t.engine, 'wallets:get', { walletId: wallet.id })).label).toBe('Café fund 🚀');
  });
});
