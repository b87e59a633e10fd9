import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '@engine/engine';
import { checkLedgerInvariants } from '@engine/ledger/invariants';
import type { Chain } from '@shared/domain/chains';
import type { DepositView } from '@shared/domain/deposits';
import type { Page } from '@shared/domain/ledger';
import type { GasTankView, SweepRuleView, SweepView } from '@shared/domain/sweeps';
import type { WalletView } from '@shared/domain/wallets';
import { callOk, startTestEngine, startUnlockedEngine, TEST_PASSPHRASE, type TestEngine } from '@test/engine';
import { startDevChain, type DevChain } from '../watch/devnet-chain';

const FAST_RETRY = { attempts: 3, baseDelayMs: 20, maxDelayMs: 100, timeoutMs: 15_000 };
const DEPTH = 3;

async function openEngine(dev: DevChain, home?: string): Promise<TestEngine> {
  const options = { watch: { retry: FAST_RETRY }, sweeps: { retry: FAST_RETRY } };
  if (home) {
    const t = await startTestEngine({ home, ...options });
    await callOk(t.engine, 'system:unlock', { passphrase: TEST_PASSPHRASE });
    return t;
  }
  const t = await startUnlockedEngine(options);
  await callOk(t.engine, 'configuration:update', { chain: dev.chain, rpcUrl: dev.url, confirmations: DEPTH });
  await t.engine.services.holding.register({ chain: dev.chain, address: dev.holdingAddress, derivationPath: "m/44'/60'/0'/0/1", source: 'virtual-ledger' });
  return t;
}

const ledgerPosted = async (engine: Engine, spec: Parameters<Engine['services']['ledger']['balance']>[0]) =>
  BigInt((await engine.services.ledger.balance(spec)).posted);

async function sweepsOf(engine: Engine, walletId: string): Promise<SweepView[]> {
  return (await callOk<Page<SweepView>>(engine, 'sweeps:list', { walletId })).items;
}

/** Runs the sweep runner and the watcher, mining a block between rounds, until `done` holds. */
async function drive(engine: Engine, dev: DevChain, done: () => Promise<boolean>, rounds = 30): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await engine.services.watch.tick(dev.chain);
    await engine.services.sweeps.tick(dev.chain);
    if (await done()) return;
    await dev.mine(1);
  }
  throw new Error('sweeps did not get there');
}

describe.each<Chain>(['polygon', 'bsc', 'tron'])('sweeps on %s', (chain) => {
  let dev: DevChain;
  let t: TestEngine;
  let wallet: WalletView;
  let holdingNativeBefore: bigint;

  beforeAll(async () => {
    dev = await startDevChain(chain);
    t = await openEngine(dev);
    wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain, label: 'client S' });
    await t.engine.services.watch.tick(chain);
    holdingNativeBefore = await dev.nativeBalance(dev.holdingAddress);
  });
  afterAll(async () => {
    await t?.dispose();
    await dev?.stop();
  });

  it('shows every rule with its default, and keeps an officer change', async () => {
    const rules = await callOk<SweepRuleView[]>(t.engine, 'sweeps:rules', { chain });
    const token = rules.find((r) => r.assetId === dev.token)!;
    expect(token).toMatchObject({ mode: 'on_confirmation', isDefault: true, minAmount: dev.unit.toString(), defaults: { minAmount: dev.unit.toString() } });
    for (const assetId of [dev.native, dev.token]) {
      await callOk(t.engine, 'sweeps:updateRule', { assetId, minAmount: '1', mode: 'on_confirmation' });
    }
    const changed = (await callOk<SweepRuleView[]>(t.engine, 'sweeps:rules', { chain })).find((r) => r.assetId === dev.token)!;
    expect(changed).toMatchObject({ minAmount: '1', isDefault: false, defaults: { minAmount: dev.unit.toString() } });
    const refused = await t.engine.api.call('sweeps:updateRule', { assetId: dev.token, minAmount: '1.5', mode: 'on_confirmation' }, { door: 'test' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'validation' } });
  });

  it('sweeps a native deposit as balance minus fee, the client balance unchanged', async () => {
    await dev.sendNative(wallet.address, 5n * dev.coin);
    await dev.sendToken(wallet.address, 100n * dev.unit);
    await dev.mine(DEPTH);
    await drive(t.engine, dev, async () => (await sweepsOf(t.engine, wallet.id)).some((s) => s.assetId === dev.native && s.state === 'confirmed'));

    const [sweep] = (await sweepsOf(t.engine, wallet.id)).filter((s) => s.assetId === dev.native);
    const sent = BigInt(sweep!.amount);
    const fee = BigInt(sweep!.feePaid!);
    expect(await dev.nativeBalance(dev.holdingAddress)).toBe(holdingNativeBefore + sent);
    const left = await dev.nativeBalance(wallet.address);
    // Legacy gas price (BNB Chain) and Tron's exact bandwidth fee leave nothing; an EIP-1559 max fee leaves the unused part.
    if (chain !== 'polygon') expect(left).toBe(0n);
    expect(sent + fee + left).toBe(5n * dev.coin);
    expect(await ledgerPosted(t.engine, { kind: 'deposit_in_transit', assetId: dev.native, walletId: wallet.id })).toBe(left);
    expect(await ledgerPosted(t.engine, { kind: 'holding', assetId: dev.native })).toBe(sent);
    expect(await ledgerPosted(t.engine, { kind: 'gas_expense', assetId: dev.native })).toBe(fee);
    expect(await ledgerPosted(t.engine, { kind: 'client_wallet', assetId: dev.native, walletId: wallet.id })).toBe(5n * dev.coin);
  });

  it('a token sweep waits for an empty gas tank and says how much to send, then funds gas and sweeps', async () => {
    await drive(t.engine, dev, async () => (await sweepsOf(t.engine, wallet.id)).some((s) => s.assetId === dev.token && s.state === 'waiting'));
    const [waiting] = (await sweepsOf(t.engine, wallet.id)).filter((s) => s.assetId === dev.token);
    expect(waiting).toMatchObject({ state: 'waiting', waitReason: 'gas_tank_low' });
    const topUp = BigInt(waiting!.topUpAmount!);
    expect(topUp).toBeGreaterThan(0n);
    const tank = (await callOk<GasTankView[]>(t.engine, 'sweeps:gasTanks', {})).find((g) => g.chain === chain)!;
    expect(tank).toMatchObject({ nativeAssetId: dev.native, balance: '0', waitingSweeps: 1, topUpNeeded: topUp.toString() });

    await dev.fundNative(tank.address!, topUp);
    await drive(t.engine, dev, async () => (await sweepsOf(t.engine, wallet.id)).some((s) => s.assetId === dev.token && s.state === 'confirmed'));

    const [sweep] = (await sweepsOf(t.engine, wallet.id)).filter((s) => s.assetId === dev.token);
    expect(sweep).toMatchObject({ state: 'confirmed', amount: (100n * dev.unit).toString() });
    expect(sweep!.gasTxHash).toBeTruthy();
    expect(await dev.tokenBalance(dev.holdingAddress)).toBe(100n * dev.unit);
    expect(await dev.tokenBalance(wallet.address)).toBe(0n);
    expect(await ledgerPosted(t.engine, { kind: 'holding', assetId: dev.token })).toBe(100n * dev.unit);
    expect(await ledgerPosted(t.engine, { kind: 'deposit_in_transit', assetId: dev.token, walletId: wallet.id })).toBe(0n);
    expect(await ledgerPosted(t.engine, { kind: 'client_wallet', assetId: dev.token, walletId: wallet.id })).toBe(100n * dev.unit);
    // Gas the tank paid is the company's expense, matched by its reserve: both legs in the native asset.
    const gasExpense = await ledgerPosted(t.engine, { kind: 'gas_expense', assetId: dev.native });
    const reserve = await ledgerPosted(t.engine, { kind: 'company_reserve', assetId: dev.native });
    expect(gasExpense).toBeGreaterThan(0n);
    // The tank's coins left at the address after the fee (the change) are company funds placed there, booked as such.
    const gasAtAddress = await ledgerPosted(t.engine, { kind: 'deposit_gas', assetId: dev.native, walletId: wallet.id });
    const nativeInTransit = await ledgerPosted(t.engine, { kind: 'deposit_in_transit', assetId: dev.native, walletId: wallet.id });
    expect(gasAtAddress).toBe((await dev.nativeBalance(wallet.address)) - nativeInTransit);
    expect(reserve).toBe(gasExpense - BigInt((await sweepsOf(t.engine, wallet.id)).find((s) => s.assetId === dev.native)!.feePaid!) + gasAtAddress);
    const deposits = (await callOk<Page<DepositView>>(t.engine, 'wallets:deposits', { walletId: wallet.id })).items;
    expect(deposits.map((d) => d.state)).toEqual(['swept', 'swept']);
    // The gas funding transfer into the deposit address is ours, not a client deposit.
    expect(deposits).toHaveLength(2);
    expect(await checkLedgerInvariants(t.engine.database.db)).toEqual([]);
  });

  it('a restart between signing and sending finishes the sweep exactly once', async () => {
    const tank = (await callOk<GasTankView[]>(t.engine, 'sweeps:gasTanks', {})).find((g) => g.chain === chain)!;
    await dev.fundNative(tank.address!, 10n * dev.coin);
    await dev.sendToken(wallet.address, 30n * dev.unit);
    await dev.mine(DEPTH);
    await t.engine.services.watch.tick(chain);
    // Manual mode: nothing sweeps until the officer asks.
    await callOk(t.engine, 'sweeps:updateRule', { assetId: dev.token, minAmount: '1', mode: 'manual' });
    await t.engine.services.sweeps.tick(chain);
    const [planned] = await callOk<SweepView[]>(t.engine, 'sweeps:sweepNow', { assetId: dev.token, walletId: wallet.id });
    expect(planned).toMatchObject({ state: 'planned', amount: (30n * dev.unit).toString() });
    const runner = t.engine.services.sweeps;
    for (let i = 0; i < 12; i++) {
      const state = (await sweepsOf(t.engine, wallet.id)).find((s) => s.id === planned!.id)!.state;
      if (state === 'signed') break;
      if (!(await runner.advance(planned!.id))) await dev.mine(1);
    }
    expect((await sweepsOf(t.engine, wallet.id)).find((s) => s.id === planned!.id)!.state).toBe('signed');
    const home = t.home;
    await t.engine.close();

    t = await openEngine(dev, home);
    // Sent once, then the engine stops again before it records the broadcast's outcome.
    await t.engine.services.sweeps.advance(planned!.id);
    await t.engine.close();
    t = await openEngine(dev, home);
    await drive(t.engine, dev, async () => (await sweepsOf(t.engine, wallet.id)).find((s) => s.id === planned!.id)!.state === 'confirmed');

    expect(await dev.tokenBalance(dev.holdingAddress)).toBe(130n * dev.unit);
    expect(await ledgerPosted(t.engine, { kind: 'holding', assetId: dev.token })).toBe(130n * dev.unit);
    const txs = await t.engine.database.db.selectFrom('sweep_txs').selectAll().where('sweep_id', '=', planned!.id).where('purpose', '=', 'sweep').execute();
    expect(txs.map((tx) => tx.state)).toEqual(['mined']);
    expect(await checkLedgerInvariants(t.engine.database.db)).toEqual([]);
  });
});
