import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ChainAlertView } from '@shared/domain/deposits';
import type { Page } from '@shared/domain/ledger';
import type { GasTankView, SweepView } from '@shared/domain/sweeps';
import type { WalletView } from '@shared/domain/wallets';
import { callOk, type TestEngine } from '@test/engine';
import type { DevChain } from '../watch/devnet-chain';
import { openSweepBench } from './sweep-bench';

/** The gas tank in the open: its threshold and low alert, what it still covers, and "sweep now" for a chain. */
const DEPTH = 2;
let dev: DevChain;
let t: TestEngine;

beforeAll(async () => {
  ({ dev, t } = await openSweepBench('polygon', { depth: DEPTH, rules: ['polygon:POL', 'polygon:USDT'].map((assetId) => ({ assetId, mode: 'manual' as const })) }));
});
afterAll(async () => {
  await t?.dispose();
  await dev?.stop();
});

const tank = async () => (await callOk<GasTankView[]>(t.engine, 'sweeps:gasTanks', {})).find((g) => g.chain === 'polygon')!;
const lowAlerts = async () => (await callOk<ChainAlertView[]>(t.engine, 'sweeps:alerts', { chain: 'polygon', limit: 50 })).filter((a) => a.kind === 'gas_tank_low');

it('a tank below its threshold shows as low and raises one alert naming where to send coins', async () => {
  const before = await tank();
  expect(before).toMatchObject({ threshold: (5n * dev.coin).toString(), balance: '0', low: true, sweepsCovered: null });
  await dev.fundNative(before.address!, 2n * dev.coin);
  await t.engine.services.sweeps.tick('polygon');
  await t.engine.services.sweeps.tick('polygon');
  const alerts = await lowAlerts();
  expect(alerts).toHaveLength(1);
  expect(alerts[0]!.message).toBe(`The gas tank on Polygon holds 2 POL, below its threshold of 5 POL. Send POL to ${before.address}.`);

  await callOk(t.engine, 'configuration:update', { chain: 'polygon', gasTankThreshold: dev.coin.toString() });
  expect(await tank()).toMatchObject({ threshold: dev.coin.toString(), balance: (2n * dev.coin).toString(), low: false });
});

it("sweeps a whole chain on an officer's word, and then tells how many more sweeps the tank pays for", async () => {
  const { watch, sweeps } = t.engine.services;
  const a = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'chain sweep A' });
  const b = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'chain sweep B' });
  await watch.tick('polygon');
  await dev.sendToken(a.address, 30n * dev.unit);
  await dev.sendNative(b.address, dev.coin);
  await dev.mine(DEPTH);
  await watch.tick('polygon');
  // Manual rules: nothing moves until an officer asks.
  await sweeps.tick('polygon');
  expect((await callOk<Page<SweepView>>(t.engine, 'sweeps:list', { chain: 'polygon' })).items).toEqual([]);

  // One wallet of the chain, then the rest; a wallet of another chain is refused in words.
  const tronWallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'tron', label: 'elsewhere' });
  expect(await t.engine.api.call('sweeps:sweepChain', { chain: 'polygon', walletId: tronWallet.id }, { door: 'test' })).toMatchObject({
    ok: false,
    error: { code: 'asset_mismatch', message: 'The wallet is on Tron, not Polygon.' },
  });
  const one = await callOk<SweepView[]>(t.engine, 'sweeps:sweepChain', { chain: 'polygon', walletId: a.id });
  expect(one.map((s) => [s.walletId, s.assetId])).toEqual([[a.id, dev.token]]);
  const planned = [...one, ...(await callOk<SweepView[]>(t.engine, 'sweeps:sweepChain', { chain: 'polygon' }))];
  expect(planned.map((s) => [s.walletId, s.assetId]).sort()).toEqual([[a.id, dev.token], [b.id, dev.native]].sort());
  for (let i = 0; i < 12; i++) {
    await sweeps.tick('polygon');
    const open = (await callOk<Page<SweepView>>(t.engine, 'sweeps:list', { chain: 'polygon' })).items.filter((s) => s.state !== 'confirmed');
    if (open.length === 0) break;
    await dev.mine(1);
  }
  expect((await callOk<Page<SweepView>>(t.engine, 'sweeps:list', { chain: 'polygon' })).items.map((s) => s.state)).toEqual(['confirmed', 'confirmed']);
  expect(await dev.tokenBalance(dev.holdingAddress)).toBe(30n * dev.unit);

  // One funding so far: the tank's balance over what it cost.
  const funding = await t.engine.database.db.selectFrom('sweep_txs').select(['value', 'fee_paid']).where('purpose', '=', 'gas').where('state', '=', 'mined').executeTakeFirstOrThrow();
  const view = await tank();
  expect(view.sweepsCovered).toBe(Number(BigInt(view.balance!) / (BigInt(funding.value) + BigInt(funding.fee_paid!))));
  expect(view.sweepsCovered).toBeGreaterThan(0);
});
