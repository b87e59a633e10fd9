import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkLedgerInvariants } from '@engine/ledger/invariants';
import type { DepositView } from '@shared/domain/deposits';
import type { Page } from '@shared/domain/ledger';
import type { WalletView } from '@shared/domain/wallets';
import { callOk, startUnlockedEngine, type TestEngine } from '@test/engine';
import { startDevChain, type DevChain } from './devnet-chain';
import { startFaultyRpc, type FaultyRpc } from './faulty-rpc';

const DEPTH = 3;
let dev: DevChain;
let rpc: FaultyRpc;
let t: TestEngine;

beforeAll(async () => {
  dev = await startDevChain('polygon');
  rpc = await startFaultyRpc(dev.url, { failEvery: 6, delayEvery: 11, delayMs: 1_500, nullBlockEvery: 23 });
  t = await startUnlockedEngine({ watch: { retry: { attempts: 8, baseDelayMs: 10, maxDelayMs: 80, timeoutMs: 400 }, maxBlocksPerTick: 4 } });
  await callOk(t.engine, 'configuration:update', { chain: 'polygon', rpcUrl: rpc.url, confirmations: DEPTH });
});
afterAll(async () => {
  await t?.dispose();
  await rpc?.stop();
  await dev?.stop();
});

it('an RPC that errors, stalls and answers short is retried: every deposit is credited, none twice', async () => {
  const wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'flaky' });
  const amounts = [3n, 5n, 7n, 11n].map((n) => n * dev.unit);
  for (const amount of amounts) {
    await dev.sendToken(wallet.address, amount);
    await dev.mine(2);
  }
  await dev.sendNative(wallet.address, dev.coin);
  await dev.mine(DEPTH);
  const { watch, ledger } = t.engine.services;
  // Several small ticks (4 blocks each) so the faults land on scans, block reads and the credit pass alike.
  for (let i = 0; i < 20; i++) {
    const outcome = await watch.tick('polygon');
    if (outcome.to >= outcome.head) break;
  }
  await watch.tick('polygon');
  expect(rpc.counts.failed + rpc.counts.delayed + rpc.counts.nulled).toBeGreaterThan(3);
  const deposits = (await callOk<Page<DepositView>>(t.engine, 'wallets:deposits', { walletId: wallet.id })).items;
  expect(deposits.map((d) => d.state)).toEqual(Array(5).fill('confirmed'));
  const total = amounts.reduce((a, b) => a + b, 0n);
  expect((await ledger.balance({ kind: 'client_wallet', assetId: 'polygon:USDT', walletId: wallet.id })).posted).toBe(total.toString());
  expect((await ledger.balance({ kind: 'client_wallet', assetId: 'polygon:POL', walletId: wallet.id })).posted).toBe(dev.coin.toString());
  expect(await checkLedgerInvariants(t.engine.database.db)).toEqual([]);
});
