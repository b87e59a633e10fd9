import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkLedgerInvariants } from '@engine/ledger/invariants';
import type { SweepView } from '@shared/domain/sweeps';
import type { Page } from '@shared/domain/ledger';
import type { WalletView } from '@shared/domain/wallets';
import { callOk, type TestEngine } from '@test/engine';
import type { DevChain } from '../watch/devnet-chain';
import { fundGasTank, openSweepBench } from './sweep-bench';

/**
 * OUT_OF_ENERGY as mainnet can produce it: the network's energy price (chain parameter getEnergyFee) rises
 * between the engine's fee quote and the mining, so the fee_limit from the old price is too low. java-tron mines
 * the transfer as FAILED, burns energy up to the fee_limit, and the tokens stay put. The sweep books the burn as
 * company gas, retries with a fee_limit from the new price, and moves the tokens once.
 */
const DEPTH = 2;
const OLD_PRICE = 100n;
const NEW_PRICE = 420n; // mainnet's getEnergyFee before the 2022-2024 proposals lowered it
let dev: DevChain;
let t: TestEngine;

beforeAll(async () => {
  ({ dev, t } = await openSweepBench('tron', { depth: DEPTH, rules: [{ assetId: 'tron:USDT', mode: 'on_confirmation' }] }));
  await fundGasTank(dev, t, 20_000n * dev.coin);
}, 120_000);
afterAll(async () => {
  await t?.dispose();
  await dev?.stop();
});

const db = () => t.engine.database.db;
const feeLimitOf = (raw: string) => BigInt((JSON.parse(raw) as { raw_data: { fee_limit: number } }).raw_data.fee_limit);
async function nodeInfo(hash: string) {
  const response = await fetch(`${dev.url}/wallet/gettransactioninfobyid`, { method: 'POST', body: JSON.stringify({ value: hash.replace(/^0x/, '') }) });
  return (await response.json()) as { result?: string; fee?: number; receipt: { result?: string; energy_fee?: number; energy_usage_total?: number } };
}
const gasExpense = async () => BigInt((await t.engine.services.ledger.balance({ kind: 'gas_expense', assetId: 'tron:TRX' })).posted);

it('a USDT sweep that runs out of energy after a price rise books the burned TRX as company gas, retries at the new price, and moves the tokens once', async () => {
  expect(dev.tronNode!.prices.getEnergyFee).toBe(OLD_PRICE);
  const wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'tron', label: 'price rise' });
  const { watch, sweeps } = t.engine.services;
  await watch.tick('tron');
  const amount = 100n * dev.unit;
  await dev.sendToken(wallet.address, amount);
  const holdingBefore = await dev.tokenBalance(dev.holdingAddress);
  const sweep = () => callOk<Page<SweepView>>(t.engine, 'sweeps:list', { walletId: wallet.id }).then((p) => p.items[0]);

  // The engine quotes at the old price and sends the deposit address gas for it.
  const gasSent = async () => (await db().selectFrom('sweep_txs').innerJoin('sweeps', 'sweeps.id', 'sweep_txs.sweep_id').select('sweep_txs.id').where('sweeps.wallet_id', '=', wallet.id).where('purpose', '=', 'gas').execute()).length > 0;
  for (let i = 0; i < 14 && !(await gasSent()); i++) {
    await watch.tick('tron');
    await sweeps.tick('tron');
    if (!(await gasSent())) await dev.mine(1);
  }
  expect(await gasSent()).toBe(true);
  const expenseBefore = await gasExpense();

  // A proposal passes: energy costs 4.2x what the engine quoted before its transfer is executed.
  dev.tronNode!.setChainParameter('getEnergyFee', NEW_PRICE);
  for (let i = 0; i < 8 && (await sweep())!.attempts === 0; i++) {
    await dev.mine(1);
    await sweeps.tick('tron');
  }
  const retried = (await sweep())!;
  expect(retried).toMatchObject({ attempts: 1 });
  const [failed] = await db().selectFrom('sweep_txs').selectAll().where('sweep_id', '=', retried.id).where('purpose', '=', 'sweep').execute();
  expect(failed!.state).toBe('reverted');

  // Mined as FAILED / OUT_OF_ENERGY, the whole fee_limit burned (to the energy unit), the tokens not moved.
  const info = await nodeInfo(failed!.tx_hash);
  expect(info).toMatchObject({ result: 'FAILED', receipt: { result: 'OUT_OF_ENERGY' } });
  const oldLimit = feeLimitOf(failed!.raw);
  expect(BigInt(info.receipt.energy_fee!)).toBe((oldLimit / NEW_PRICE) * NEW_PRICE);
  expect(await dev.tokenBalance(wallet.address)).toBe(amount);
  expect(await dev.tokenBalance(dev.holdingAddress)).toBe(holdingBefore);

  // The burn is the company's network fee, booked at once; the sweep's amount is not booked.
  expect(BigInt(failed!.fee_paid!)).toBe(BigInt(info.fee!));
  expect((await gasExpense()) - expenseBefore).toBe(BigInt(info.fee!));
  const burnBooking = await db().selectFrom('ledger_transfers').selectAll().where('idempotency_key', '=', `sweep:${retried.id}:gas:${failed!.tx_hash}`).execute();
  expect(burnBooking.map((b) => [b.code, b.amount])).toEqual([['gas', info.fee!.toString()]]);
  expect(await db().selectFrom('ledger_transfers').select('id').where('cause_id', '=', retried.id).where('code', '=', 'sweep').execute()).toEqual([]);
  const audit = await db().selectFrom('audit_log').select(['action', 'change']).where('entity_id', '=', retried.id).where('action', '=', 'sweep.retry').execute();
  expect(audit).toHaveLength(1);
  expect(audit[0]!.change).toContain(failed!.tx_hash);
  expect(audit[0]!.change).toMatch(/ran out of energy/);

  // The retry quotes at the network's current price, tops the gas up, and goes through once.
  for (let i = 0; i < 16 && (await sweep())!.state !== 'confirmed'; i++) {
    await watch.tick('tron');
    await sweeps.tick('tron');
    await dev.mine(1);
  }
  const done = (await sweep())!;
  expect(done).toMatchObject({ state: 'confirmed', attempts: 1, amount: amount.toString() });
  const attempts = await db().selectFrom('sweep_txs').selectAll().where('sweep_id', '=', done.id).where('purpose', '=', 'sweep').orderBy('created_at').execute();
  expect(attempts.map((a) => a.state)).toEqual(['reverted', 'mined']);
  expect(new Set(attempts.map((a) => a.tx_hash)).size).toBe(2);
  const second = attempts[1]!;
  const secondInfo = await nodeInfo(second.tx_hash);
  expect(secondInfo.receipt.result).toBe('SUCCESS');
  expect(feeLimitOf(second.raw)).toBeGreaterThanOrEqual(BigInt(secondInfo.receipt.energy_usage_total!) * NEW_PRICE);
  expect(feeLimitOf(second.raw)).toBeGreaterThan(oldLimit);

  // The holding wallet received the amount exactly once, booked once; both burns are the company's gas.
  expect(await dev.tokenBalance(dev.holdingAddress)).toBe(holdingBefore + amount);
  expect(await dev.tokenBalance(wallet.address)).toBe(0n);
  const booked = await db().selectFrom('ledger_transfers').select('amount').where('cause_id', '=', done.id).where('code', '=', 'sweep').execute();
  expect(booked).toEqual([{ amount: amount.toString() }]);
  const gasKeys = await db().selectFrom('ledger_transfers').select('idempotency_key').where('cause_id', '=', done.id).where('code', '=', 'gas').execute();
  expect(gasKeys.map((g) => g.idempotency_key)).toEqual(expect.arrayContaining([`sweep:${done.id}:gas:${failed!.tx_hash}`, `sweep:${done.id}:gas:${second.tx_hash}`]));
  expect(await checkLedgerInvariants(db())).toEqual([]);
}, 120_000);
