import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from '@shared/domain/ledger';
import type { SweepView } from '@shared/domain/sweeps';
import type { WalletView } from '@shared/domain/wallets';
import { callOk, startUnlockedEngine, type TestEngine } from '@test/engine';
import { startDevChain, type DevChain } from '../watch/devnet-chain';

const DEPTH = 2;
let dev: DevChain;
let t: TestEngine;

beforeAll(async () => {
  dev = await startDevChain('bsc');
  t = await startUnlockedEngine();
  await callOk(t.engine, 'configuration:update', { chain: 'bsc', rpcUrl: dev.url, confirmations: DEPTH });
  await t.engine.services.holding.register({ chain: 'bsc', address: dev.holdingAddress, derivationPath: "m/44'/60'/0'/0/1", source: 'virtual-ledger' });
});
afterAll(async () => {
  await t?.dispose();
  await dev?.stop();
});

const sweeps = (walletId: string) => callOk<Page<SweepView>>(t.engine, 'sweeps:list', { walletId }).then((p) => p.items);

it('a scheduled rule sweeps once per interval, and the minimum keeps small amounts waiting', async () => {
  const wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'bsc', label: 'scheduled' });
  const { watch, sweeps: runner } = t.engine.services;
  await watch.tick('bsc');
  await callOk(t.engine, 'sweeps:updateRule', { assetId: 'bsc:BNB', minAmount: (2n * dev.coin).toString(), mode: 'schedule', intervalMinutes: 60 });

  // Below the minimum: the schedule runs, nothing is worth sweeping.
  await dev.sendNative(wallet.address, dev.coin);
  await dev.mine(DEPTH);
  await watch.tick('bsc');
  await runner.tick('bsc');
  expect(await sweeps(wallet.id)).toEqual([]);

  // Enough now, but the hour has not passed since the schedule last ran.
  await dev.sendNative(wallet.address, 2n * dev.coin);
  await dev.mine(DEPTH);
  await watch.tick('bsc');
  await runner.tick('bsc');
  expect(await sweeps(wallet.id)).toEqual([]);

  // An hour later (the last run moved back), the schedule plans one sweep of everything confirmed.
  await t.engine.database.db.updateTable('sweep_rules').set({ last_run_at: new Date(Date.now() - 61 * 60_000).toISOString() }).execute();
  for (let i = 0; i < 6; i++) {
    await runner.tick('bsc');
    await dev.mine(1);
  }
  const [sweep] = await sweeps(wallet.id);
  expect(sweep).toMatchObject({ trigger: 'schedule', state: 'confirmed' });
  expect(BigInt(sweep!.amount) + BigInt(sweep!.feePaid!)).toBe(3n * dev.coin);
  const runs = await t.engine.database.db.selectFrom('audit_log').select('action').where('action', '=', 'sweep.schedule_ran').execute();
  expect(runs).toHaveLength(2);
});
