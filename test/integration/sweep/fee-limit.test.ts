import { afterAll, beforeAll, expect, it } from 'vitest';
import type { GasTankView, SweepRuleView, SweepView } from '@shared/domain/sweeps';
import type { Page } from '@shared/domain/ledger';
import type { WalletView } from '@shared/domain/wallets';
import { callOk, type TestEngine } from '@test/engine';
import type { DevChain } from '../watch/devnet-chain';
import { openSweepBench } from './sweep-bench';

/**
 * "Sweep when the fee is at most X % of the amount" on the Tron devnode: a USDT deposit whose sweep would burn more
 * TRX (at the rule's TRX price) than the rule allows waits with its expected fee beside its amount; the next
 * deposit joins the waiting sweep, which then pays and is swept once. An officer's Sweep now is not held.
 */
const DEPTH = 2;
let dev: DevChain;
let t: TestEngine;

beforeAll(async () => {
  ({ dev, t } = await openSweepBench('tron', { depth: DEPTH, rules: [{ assetId: 'tron:USDT', mode: 'on_confirmation' }] }));
  const tank = (await callOk<GasTankView[]>(t.engine, 'sweeps:gasTanks', {})).find((g) => g.chain === 'tron')!;
  await dev.fundNative(tank.address!, 1_000n * dev.coin);
  await t.engine.services.watch.tick('tron');
}, 120_000);
afterAll(async () => {
  await t?.dispose();
  await dev?.stop();
});

const sweepsOf = async (walletId: string) => (await callOk<Page<SweepView>>(t.engine, 'sweeps:list', { walletId })).items;

async function settle(rounds = 12): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await t.engine.services.watch.tick('tron');
    await t.engine.services.sweeps.tick('tron');
    await dev.mine(1);
  }
}

it('refuses a fee limit for a token without the native coin price, in words', async () => {
  const refused = await t.engine.api.call('sweeps:updateRule', { assetId: 'tron:USDT', minAmount: '1', mode: 'on_confirmation', maxFeePercent: '5' }, { door: 'test' });
  expect(refused).toMatchObject({ ok: false, error: { code: 'validation', message: expect.stringMatching(/value of one native coin in USDT/) } });
});

it('holds a small USDT deposit while its fee is above 5 % of it, then sweeps once a second deposit makes it pay', async () => {
  // 1 TRX = 0.30 USDT: a first-holder USDT transfer burns about 8 TRX (2.4 USDT), a quarter of 10 USDT.
  const rule = await callOk<SweepRuleView>(t.engine, 'sweeps:updateRule', { assetId: 'tron:USDT', minAmount: '1', mode: 'on_confirmation', maxFeePercent: '5', nativePrice: '0.30' });
  expect(rule).toMatchObject({ maxFeePercent: '5', nativePrice: '0.30' });
  const wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'tron', label: 'small deposits' });
  await t.engine.services.watch.tick('tron');
  await dev.sendToken(wallet.address, 10n * dev.unit);
  await dev.mine(DEPTH + 1);
  await settle(4);

  const [held] = await sweepsOf(wallet.id);
  expect(held).toMatchObject({ state: 'waiting', waitReason: 'fee_above_limit', amount: (10n * dev.unit).toString() });
  const expectedFee = BigInt(held!.expectedFee!);
  // Its cost beside its amount: several TRX, more than 5 % of 10 USDT at 0.30 USDT per TRX.
  expect(expectedFee * 30n / 100n).toBeGreaterThan((10n * dev.unit * 5n) / 100n);
  expect(await dev.tokenBalance(wallet.address)).toBe(10n * dev.unit);

  // 190 USDT more: the same sweep takes them and now the fee is under 5 % of 200 USDT.
  await dev.sendToken(wallet.address, 190n * dev.unit);
  await dev.mine(DEPTH + 1);
  await settle();
  const sweeps = await sweepsOf(wallet.id);
  expect(sweeps).toHaveLength(1);
  expect(sweeps[0]).toMatchObject({ id: held!.id, state: 'confirmed', amount: (200n * dev.unit).toString() });
  expect(await dev.tokenBalance(wallet.address)).toBe(0n);
  const actions = (await t.engine.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', held!.id).execute()).map((r) => r.action);
  expect(actions).toContain('sweep.grown');
});

it("does not hold an officer's Sweep now, however high the fee", async () => {
  const wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'tron', label: 'swept by hand' });
  await t.engine.services.watch.tick('tron');
  await dev.sendToken(wallet.address, 5n * dev.unit);
  await dev.mine(DEPTH + 1);
  await t.engine.services.watch.tick('tron');
  await callOk(t.engine, 'sweeps:updateRule', { assetId: 'tron:USDT', minAmount: '1', mode: 'manual' });
  await callOk<SweepView[]>(t.engine, 'sweeps:sweepNow', { assetId: 'tron:USDT', walletId: wallet.id });
  await settle();
  const [swept] = await sweepsOf(wallet.id);
  expect(swept).toMatchObject({ state: 'confirmed', trigger: 'manual' });
  expect(BigInt(swept!.expectedFee!)).toBeGreaterThan(0n);
});
