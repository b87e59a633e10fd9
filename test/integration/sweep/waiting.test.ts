import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from '@shared/domain/ledger';
import type { SweepView } from '@shared/domain/sweeps';
import type { WalletView } from '@shared/domain/wallets';
import { callOk, startUnlockedEngine, TEST_PASSPHRASE, type TestEngine } from '@test/engine';
import { startDevChain, type DevChain } from '../watch/devnet-chain';

const DEPTH = 2;
let dev: DevChain;
let t: TestEngine;

beforeAll(async () => {
  dev = await startDevChain('bsc');
  t = await startUnlockedEngine();
  await callOk(t.engine, 'configuration:update', { chain: 'bsc', rpcUrl: dev.url, confirmations: DEPTH });
  await callOk(t.engine, 'sweeps:updateRule', { assetId: 'bsc:BNB', minAmount: '1', mode: 'on_confirmation' });
});
afterAll(async () => {
  await t?.dispose();
  await dev?.stop();
});

it('a sweep waits, saying why, while no holding wallet is registered and while the vault is locked, then goes on', async () => {
  const wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'bsc', label: 'waits' });
  const { watch, sweeps, custody, holding } = t.engine.services;
  await watch.tick('bsc');
  await dev.sendNative(wallet.address, 3n * dev.coin);
  await dev.mine(DEPTH);
  await watch.tick('bsc');
  const sweep = () => callOk<Page<SweepView>>(t.engine, 'sweeps:list', { walletId: wallet.id }).then((p) => p.items[0]!);

  await sweeps.tick('bsc');
  expect(await sweep()).toMatchObject({ state: 'waiting', waitReason: 'no_holding_wallet' });
  // Waiting again for the same reason adds nothing to the audit trail.
  const waits = () => t.engine.database.db.selectFrom('audit_log').select('seq').where('action', '=', 'sweep.waiting').execute();
  const before = (await waits()).length;
  await sweeps.tick('bsc');
  expect((await waits()).length).toBe(before);

  await holding.register({ chain: 'bsc', address: dev.holdingAddress, derivationPath: "m/44'/60'/0'/0/1", source: 'virtual-ledger' });
  custody.lock();
  await sweeps.tick('bsc');
  expect(await sweep()).toMatchObject({ state: 'waiting', waitReason: 'locked' });

  await callOk(t.engine, 'system:unlock', { passphrase: TEST_PASSPHRASE });
  expect(custody.unlocked()).toBe(true);
  for (let i = 0; i < 6 && (await sweep()).state !== 'confirmed'; i++) {
    await sweeps.tick('bsc');
    await dev.mine(1);
  }
  expect(await sweep()).toMatchObject({ state: 'confirmed', waitReason: null, topUpAmount: null });
  expect(await dev.nativeBalance(wallet.address)).toBe(0n);
});
