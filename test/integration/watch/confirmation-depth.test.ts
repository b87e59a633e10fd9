import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DepositView } from '@shared/domain/deposits';
import type { Page } from '@shared/domain/ledger';
import type { WalletView } from '@shared/domain/wallets';
import { callOk, startUnlockedEngine, type TestEngine } from '@test/engine';
import { startDevChain, type DevChain } from './devnet-chain';

/** "N of M" per deposit, and a confirmation depth the officer changes applies to every deposit not yet confirmed. */
let dev: DevChain;
let t: TestEngine;
let wallet: WalletView;

beforeAll(async () => {
  dev = await startDevChain('bsc');
  t = await startUnlockedEngine({ watch: { retry: { attempts: 3, baseDelayMs: 20, maxDelayMs: 100, timeoutMs: 15_000 } } });
  await callOk(t.engine, 'configuration:update', { chain: 'bsc', rpcUrl: dev.url, confirmations: 10 });
  wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'bsc', label: 'depth' });
  await t.engine.services.watch.tick('bsc');
}, 60_000);
afterAll(async () => {
  await t?.dispose();
  await dev?.stop();
});

const byAmount = async (amount: bigint) =>
  (await callOk<Page<DepositView>>(t.engine, 'wallets:deposits', { walletId: wallet.id })).items.find((d) => d.amount === amount.toString())!;
const credited = async () => BigInt((await t.engine.services.ledger.balance({ kind: 'client_wallet', assetId: dev.token, walletId: wallet.id })).posted);

it('shows N of M and applies a lowered depth to a deposit still confirming', async () => {
  await dev.sendToken(wallet.address, 5n * dev.unit);
  await dev.mine(4);
  await t.engine.services.watch.tick('bsc');
  expect(await byAmount(5n * dev.unit)).toMatchObject({ state: 'seen', confirmations: 5, requiredConfirmations: 10, credited: false });

  await callOk(t.engine, 'configuration:update', { chain: 'bsc', confirmations: 3 });
  expect(await byAmount(5n * dev.unit)).toMatchObject({ state: 'seen', confirmations: 5, requiredConfirmations: 3 });
  await t.engine.services.watch.tick('bsc');
  expect(await byAmount(5n * dev.unit)).toMatchObject({ state: 'confirmed', credited: true });
  expect(await credited()).toBe(5n * dev.unit);
});

it('a raised depth holds back a deposit that the old depth would have credited', async () => {
  await callOk(t.engine, 'configuration:update', { chain: 'bsc', confirmations: 20 });
  await dev.sendToken(wallet.address, 7n * dev.unit);
  await dev.mine(5);
  await t.engine.services.watch.tick('bsc');
  expect(await byAmount(7n * dev.unit)).toMatchObject({ state: 'seen', confirmations: 6, requiredConfirmations: 20 });
  expect(await credited()).toBe(5n * dev.unit);
  await dev.mine(14);
  await t.engine.services.watch.tick('bsc');
  expect(await byAmount(7n * dev.unit)).toMatchObject({ state: 'confirmed', confirmations: 20, requiredConfirmations: 20, credited: true });
  expect(await credited()).toBe(12n * dev.unit);
  // A credited deposit goes on counting: it never reads as short of a depth raised after it was credited.
  const earlier = await byAmount(5n * dev.unit);
  expect(earlier.state).toBe('confirmed');
  expect(earlier.confirmations).toBeGreaterThan(earlier.requiredConfirmations);
});
