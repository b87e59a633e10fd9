import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkLedgerInvariants } from '@engine/ledger/invariants';
import type { SweepView } from '@shared/domain/sweeps';
import type { Page } from '@shared/domain/ledger';
import type { WalletView } from '@shared/domain/wallets';
import { callOk, startTestEngine, TEST_PASSPHRASE, type TestEngine } from '@test/engine';
import type { DevChain } from '../watch/devnet-chain';
import { fundGasTank, openSweepBench } from './sweep-bench';

/**
 * Tron energy without burning, on the devnode (Stake 2.0 as java-tron): with no stake a USDT sweep burns TRX for
 * its energy as before; once the gas tank froze TRX for energy, the sweep borrows the tank's energy (delegated to
 * the deposit address), burns none, and the energy goes back to the tank after the sweep confirms.
 */
const DEPTH = 2;
let dev: DevChain;
let t: TestEngine;
let tank: string;

beforeAll(async () => {
  ({ dev, t } = await openSweepBench('tron', { depth: DEPTH, rules: [{ assetId: 'tron:USDT', mode: 'on_confirmation' }] }));
  tank = await fundGasTank(dev, t, 20_000n * dev.coin);
}, 120_000);
afterAll(async () => {
  await t?.dispose();
  await dev?.stop();
});

const resources = async (address: string) => (await t.engine.services.chains.adapter('tron')).energy!.resources(address);
const db = () => t.engine.database.db;

async function settle(rounds = 14): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await t.engine.services.watch.tick('tron');
    await t.engine.services.sweeps.tick('tron');
    await dev.mine(1);
  }
}

/** A 100 USDT deposit to a new wallet, swept to confirmation; what the sweep and its gas transaction paid. */
async function sweptDeposit(label: string) {
  const wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'tron', label });
  await t.engine.services.watch.tick('tron');
  await dev.sendToken(wallet.address, 100n * dev.unit);
  const tankBefore = await dev.nativeBalance(tank);
  await settle();
  const [sweep] = (await callOk<Page<SweepView>>(t.engine, 'sweeps:list', { walletId: wallet.id })).items;
  expect(sweep).toMatchObject({ state: 'confirmed', amount: (100n * dev.unit).toString() });
  expect(await dev.tokenBalance(wallet.address)).toBe(0n);
  const txs = await db().selectFrom('sweep_txs').selectAll().where('sweep_id', '=', sweep!.id).where('state', '=', 'mined').execute();
  const gas = txs.find((tx) => tx.purpose === 'gas')!;
  const swept = txs.find((tx) => tx.purpose === 'sweep')!;
  return { wallet, sweep: sweep!, gas, swept, tankSpent: tankBefore - (await dev.nativeBalance(tank)) };
}

let burned: Awaited<ReturnType<typeof sweptDeposit>>;
let lentFree: Awaited<ReturnType<typeof sweptDeposit>>;

/** The TRX the devnode charged the gas tank for the sweep's delegation and reclaim (booked per transaction). */
async function lendingFeesCharged(sweepId: string): Promise<bigint> {
  const rows = await db().selectFrom('sweep_energy').select('tx_hash').where('sweep_id', '=', sweepId).execute();
  expect(rows).toHaveLength(1);
  const booked = await db().selectFrom('ledger_transfers').select(['amount', 'idempotency_key']).where('cause_id', '=', sweepId).where('idempotency_key', 'like', `sweep:${sweepId}:energy:%`).execute();
  return booked.reduce((sum, f) => sum + BigInt(f.amount), 0n);
}

it('without staked energy burns TRX for the USDT transfer, as before', async () => {
  burned = await sweptDeposit('no stake');
  // The transfer's energy is paid in TRX: several TRX at the devnode's energy price.
  expect(BigInt(burned.swept.fee_paid!)).toBeGreaterThan(1n * dev.coin);
  expect(await db().selectFrom('sweep_energy').selectAll().execute()).toEqual([]);
});

it('refuses to stake more TRX than the gas tank holds, in words, and stakes nothing', async () => {
  const refused = await t.engine.api.call('sweeps:stakeEnergy', { amount: (1_000_000n * dev.coin).toString() }, { door: 'test' });
  expect(refused).toMatchObject({ ok: false, error: { code: 'validation', message: expect.stringMatching(/less than the 1,?000,?000(\.0+)? TRX to stake/) } });
  expect((await resources(tank)).stakedForEnergy).toBe(0n);
});

it('with staked energy borrows it for the sweep, burns no TRX for energy, and reclaims it after', async () => {
  await callOk(t.engine, 'sweeps:stakeEnergy', { amount: (15_000n * dev.coin).toString() });
  await dev.mine(1);
  const staked = await resources(tank);
  expect(staked.stakedForEnergy).toBe(15_000n * dev.coin);

  const lent = await sweptDeposit('staked');
  lentFree = lent;
  // The sweep spent delegated energy and the address's free bandwidth: no TRX burned by the transfer.
  expect(lent.swept.fee_paid).toBe('0');
  // The deposit address keeps every sun the tank sent it (nothing burned there).
  expect(await dev.nativeBalance(lent.wallet.address)).toBe(BigInt(lent.gas.value));
  // The expected fee shown beside the amount leaves out the energy: the burn path's less its energy's fee limit.
  expect(BigInt(lent.sweep.expectedFee!)).toBeLessThan(BigInt(burned.sweep.expectedFee!) - BigInt(burned.swept.fee_paid!));
  // The tank paid the funding and activation and some bandwidth, well below what the energy burn cost before.
  expect(lent.tankSpent).toBeLessThan(BigInt(burned.swept.fee_paid!) / 2n);

  // What the tank paid beyond the coins it sent (funding, activation, the delegation's bandwidth) is booked as fees.
  const tankFees = await db().selectFrom('ledger_transfers').select(['amount', 'idempotency_key']).where('cause_id', '=', lent.sweep.id).where('code', '=', 'gas').where('idempotency_key', 'not like', '%gas-change%').execute();
  const booked = tankFees.filter((f) => f.idempotency_key.endsWith(`:gas:${lent.gas.tx_hash}`) || f.idempotency_key.includes(':energy:')).reduce((sum, f) => sum + BigInt(f.amount), 0n);
  expect(booked).toBe(lent.tankSpent - BigInt(lent.gas.value));

  // The energy is back with the tank and gone from the deposit address.
  const row = await db().selectFrom('sweep_energy').selectAll().where('sweep_id', '=', lent.sweep.id).executeTakeFirstOrThrow();
  expect(row.state).toBe('reclaimed');
  const after = await resources(tank);
  expect(after.delegatedForEnergy).toBe(0n);
  expect(after.stakedForEnergy).toBe(15_000n * dev.coin);
  expect((await resources(lent.wallet.address)).energyLimit).toBe(0n);
  const audit = await db().selectFrom('audit_log').select('action').where('entity_id', '=', lent.sweep.id).execute();
  expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['sweep.energy_delegated', 'sweep.energy_reclaimed']));
  expect(await checkLedgerInvariants(db())).toEqual([]);
});

it("counts the gas tank's bandwidth for lending and reclaiming the energy in the expected fee, as the devnode charges it", async () => {
  // The tank's 600 free bandwidth of the day went to its freeze and the first delegation; the first reclaim burned TRX.
  const first = await lendingFeesCharged(lentFree.sweep.id);
  expect((await resources(tank)).freeNetLeft).toBeLessThan(300n);
  // The same sweep again the same day: the free bandwidth left covers neither transaction, so the tank burns TRX for both.
  const again = await sweptDeposit('staked again');
  const charged = await lendingFeesCharged(again.sweep.id);
  expect(charged).toBeGreaterThan(first);
  // Everything else about the two sweeps is the same (new address, same amount): the difference in what was
  // expected is the difference in what the tank burned for lending, to the sun.
  expect(BigInt(again.sweep.expectedFee!) - BigInt(lentFree.sweep.expectedFee!)).toBe(charged - first);
  // What the devnode charged, read from its own receipts: bytes x the bandwidth price for each.
  const txs = await db().selectFrom('audit_log').select('change').where('entity_id', '=', again.sweep.id).where('action', 'in', ['sweep.energy_delegated', 'sweep.energy_reclaimed']).execute();
  const adapter = await t.engine.services.chains.adapter('tron');
  const receipts = await Promise.all(txs.map((a) => adapter.receipt((JSON.parse(a.change as string) as { txHash: string }).txHash)));
  expect(receipts.reduce((sum, r) => sum + r!.feePaid, 0n)).toBe(charged);
  expect(await checkLedgerInvariants(db())).toEqual([]);
});

it('an engine closed while the energy is lent resumes after a restart and still reclaims it', async () => {
  const wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'tron', label: 'restart' });
  await t.engine.services.watch.tick('tron');
  await dev.sendToken(wallet.address, 100n * dev.unit);
  const lentNow = async () => (await db().selectFrom('sweep_energy').innerJoin('sweeps', 'sweeps.id', 'sweep_energy.sweep_id').select('sweep_energy.state').where('sweeps.wallet_id', '=', wallet.id).executeTakeFirst())?.state;
  for (let i = 0; i < 14 && (await lentNow()) !== 'delegated'; i++) {
    await t.engine.services.watch.tick('tron');
    await t.engine.services.sweeps.tick('tron');
    await dev.mine(1);
  }
  expect(await lentNow()).toBe('delegated');
  expect((await resources(wallet.address)).energyLimit).toBeGreaterThan(0n);

  const reopen = { home: t.home, database: t.database };
  await t.engine.close();
  t = await startTestEngine(reopen);
  await callOk(t.engine, 'system:unlock', { passphrase: TEST_PASSPHRASE });
  await settle();
  const [sweep] = (await callOk<Page<SweepView>>(t.engine, 'sweeps:list', { walletId: wallet.id })).items;
  expect(sweep!.state).toBe('confirmed');
  expect(await lentNow()).toBe('reclaimed');
  expect((await resources(wallet.address)).energyLimit).toBe(0n);
  expect((await resources(tank)).delegatedForEnergy).toBe(0n);
  const fees = await db().selectFrom('sweep_txs').select('fee_paid').where('sweep_id', '=', sweep!.id).where('purpose', '=', 'sweep').where('state', '=', 'mined').execute();
  expect(fees).toEqual([{ fee_paid: '0' }]);
});
