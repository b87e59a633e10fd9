import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GasTankView, SweepRuleView } from '@shared/domain/sweeps';
import type { WalletView } from '@shared/domain/wallets';
import { callOk, startUnlockedEngine, type TestEngine } from '@test/engine';

let t: TestEngine;
const call = (channel: string, payload: unknown) => t.engine.api.call(channel, payload, { door: 'test' });

beforeAll(async () => {
  t = await startUnlockedEngine();
});
afterAll(async () => {
  await t?.dispose();
});

describe('sweep rules', () => {
  it('shows a default for every asset of the profile: on confirmation, from one whole coin or token', async () => {
    const rules = await callOk<SweepRuleView[]>(t.engine, 'sweeps:rules', {});
    expect(rules.map((r) => r.assetId)).toEqual(['polygon:POL', 'polygon:USDT', 'polygon:USDC', 'bsc:BNB', 'bsc:USDT', 'bsc:USDC', 'tron:TRX', 'tron:USDT']);
    expect(rules.find((r) => r.assetId === 'bsc:USDT')).toEqual({
      assetId: 'bsc:USDT',
      chain: 'bsc',
      minAmount: (10n ** 18n).toString(),
      mode: 'on_confirmation',
      intervalMinutes: 60,
      isDefault: true,
      defaults: { minAmount: (10n ** 18n).toString(), mode: 'on_confirmation', intervalMinutes: 60 },
      // No fee limit by default: every sweep goes, whatever it costs.
      maxFeePercent: null,
      nativePrice: null,
    });
  });

  it('keeps an officer change, shows the default beside it, and audits both values', async () => {
    const changed = await callOk<SweepRuleView>(t.engine, 'sweeps:updateRule', { assetId: 'tron:USDT', minAmount: '25000000', mode: 'schedule', intervalMinutes: 240 });
    expect(changed).toMatchObject({ minAmount: '25000000', mode: 'schedule', intervalMinutes: 240, isDefault: false, defaults: { minAmount: '1000000', mode: 'on_confirmation' } });
    const only = await callOk<SweepRuleView[]>(t.engine, 'sweeps:rules', { chain: 'tron' });
    expect(only.map((r) => [r.assetId, r.isDefault])).toEqual([
      ['tron:TRX', true],
      ['tron:USDT', false],
    ]);
    const audit = await t.engine.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'sweep.rule_changed').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.change)).toMatchObject({ from: { minAmount: '1000000', mode: 'on_confirmation' }, to: { minAmount: '25000000', mode: 'schedule', intervalMinutes: 240 } });
  });

  it.each([
    ['a fractional amount', { assetId: 'tron:USDT', minAmount: '1.5', mode: 'manual' }],
    ['a negative amount', { assetId: 'tron:USDT', minAmount: '-1', mode: 'manual' }],
    ['a number instead of a string', { assetId: 'tron:USDT', minAmount: 100, mode: 'manual' }],
    ['an unknown mode', { assetId: 'tron:USDT', minAmount: '1', mode: 'hourly' }],
    ['a zero interval', { assetId: 'tron:USDT', minAmount: '1', mode: 'schedule', intervalMinutes: 0 }],
    ['an extra field', { assetId: 'tron:USDT', minAmount: '1', mode: 'manual', operator: 'someone-else' }],
    ['a malformed asset id', { assetId: 'USDT', minAmount: '1', mode: 'manual' }],
  ])('refuses %s', async (_name, payload) => {
    expect(await call('sweeps:updateRule', payload)).toMatchObject({ ok: false, error: { code: 'validation' } });
  });

  it('refuses an asset the profile does not have', async () => {
    expect(await call('sweeps:updateRule', { assetId: 'polygon:DAI', minAmount: '1', mode: 'manual' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});

describe('sweep now, gas tanks and listings', () => {
  it('sweeps nothing when nothing is confirmed and unswept, and refuses a wallet of another chain', async () => {
    const wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'tron', label: 'tron client' });
    expect(await callOk(t.engine, 'sweeps:sweepNow', { assetId: 'tron:USDT', walletId: wallet.id })).toEqual([]);
    expect(await call('sweeps:sweepNow', { assetId: 'polygon:USDT', walletId: wallet.id })).toMatchObject({ ok: false, error: { code: 'asset_mismatch' } });
    expect(await call('sweeps:sweepNow', { assetId: 'tron:USDT', walletId: 'no-such-wallet' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('shows each chain gas tank address from the seed, and none while the vault is locked', async () => {
    const tanks = await callOk<GasTankView[]>(t.engine, 'sweeps:gasTanks', {});
    expect(tanks.map((g) => g.chain)).toEqual(['polygon', 'bsc', 'tron']);
    const keyring = t.engine.services.custody.keyring();
    expect(tanks.map((g) => g.address)).toEqual([keyring.gasTankAddress('polygon'), keyring.gasTankAddress('bsc'), keyring.gasTankAddress('tron')]);
    expect(tanks.every((g) => g.topUpNeeded === '0' && g.waitingSweeps === 0)).toBe(true);
    t.engine.services.custody.lock();
    const locked = await callOk<GasTankView[]>(t.engine, 'sweeps:gasTanks', {});
    expect(locked.map((g) => g.address)).toEqual([null, null, null]);
  });

  it.each([
    ['wallets:deposits', { state: 'pending' }],
    ['wallets:deposits', { limit: 0 }],
    ['wallets:deposits', { walletId: 'x', extra: true }],
    ['sweeps:list', { state: 'done' }],
    ['sweeps:alerts', { chain: 'ethereum' }],
    ['sweeps:gasTanks', { chain: 'tron' }],
  ])('%s refuses %j', async (channel, payload) => {
    expect(await call(channel, payload)).toMatchObject({ ok: false, error: { code: 'validation' } });
  });

  it('lists deposits of an unknown wallet as not found, and empty pages otherwise', async () => {
    expect(await call('wallets:deposits', { walletId: 'nobody' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await callOk(t.engine, 'wallets:deposits', {})).toEqual({ items: [], nextCursor: null });
    expect(await callOk(t.engine, 'sweeps:list', {})).toEqual({ items: [], nextCursor: null });
  });
});
