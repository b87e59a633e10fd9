import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDepositWatchAndSweeps } from '@engine/watch/background';
import { checkLedgerInvariants } from '@engine/ledger/invariants';
import type { Page } from '@shared/domain/ledger';
import type { GasTankView, SweepView } from '@shared/domain/sweeps';
import type { WalletView } from '@shared/domain/wallets';
import type { EngineEvent } from '@shared/ipc/events';
import { callOk, startUnlockedEngine, type TestEngine } from '@test/engine';
import { startDevChain, type DevChain } from '../watch/devnet-chain';

const DEPTH = 3;
let dev: DevChain;
let t: TestEngine;

beforeAll(async () => {
  dev = await startDevChain('tron');
  t = await startUnlockedEngine({ watch: { pollIntervalMs: 100 }, sweeps: { pollIntervalMs: 100 } });
  await callOk(t.engine, 'configuration:update', { chain: 'tron', rpcUrl: dev.url, confirmations: DEPTH });
  await t.engine.services.holding.register({ chain: 'tron', address: dev.holdingAddress, derivationPath: "m/44'/195'/0'/0/1", source: 'virtual-ledger' });
  await callOk(t.engine, 'sweeps:updateRule', { assetId: 'tron:USDT', minAmount: '1', mode: 'on_confirmation' });
});
afterAll(async () => {
  await t?.dispose();
  await dev?.stop();
});

it('the loops the doors start credit and sweep a token deposit to an address that never held TRX, with no tick from the test', async () => {
  const wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'tron', label: 'token only' });
  const tank = (await callOk<GasTankView[]>(t.engine, 'sweeps:gasTanks', {})).find((g) => g.chain === 'tron')!;
  await dev.fundNative(tank.address!, 100n * dev.coin);
  const events: EngineEvent[] = [];
  t.engine.events.subscribe((e) => events.push(e));
  startDepositWatchAndSweeps(t.engine);

  await dev.sendToken(wallet.address, 75n * dev.unit);
  const sweep = () => callOk<Page<SweepView>>(t.engine, 'sweeps:list', { walletId: wallet.id }).then((p) => p.items[0]);
  const deadline = Date.now() + 30_000;
  while ((await sweep())?.state !== 'confirmed') {
    if (Date.now() > deadline) throw new Error(`not swept: ${JSON.stringify(await sweep())}`);
    // The devnode seals blocks only when asked, as a real chain would every few seconds.
    await dev.mine(1);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['deposit.seen', 'deposit.confirmed', 'balance.changed']));
  expect(await dev.tokenBalance(dev.holdingAddress)).toBe(75n * dev.unit);
  // Activating the deposit address was part of the gas the tank paid.
  expect(BigInt((await sweep())!.gasFeePaid!)).toBe(1_100_000n);
  expect(await checkLedgerInvariants(t.engine.database.db)).toEqual([]);
});
