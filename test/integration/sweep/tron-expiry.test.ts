import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkLedgerInvariants } from '@engine/ledger/invariants';
import type { Page } from '@shared/domain/ledger';
import type { SweepView } from '@shared/domain/sweeps';
import type { WalletView } from '@shared/domain/wallets';
import { callOk, startUnlockedEngine, type TestEngine } from '@test/engine';
import { startDevChain, type DevChain } from '../watch/devnet-chain';

/**
 * A Tron sweep whose transaction the network lost: after a node restart (still valid) the same bytes are sent
 * again, never a second transfer; after a fork took its reference block (TAPOS_ERROR, never minable) or after it
 * expired (TRANSACTION_EXPIRATION_ERROR), and with no receipt, it is built anew. One payment each time.
 */
const DEPTH = 2;
const STUCK_MS = 200;
let dev: DevChain;
let t: TestEngine;

beforeAll(async () => {
  dev = await startDevChain('tron');
  t = await startUnlockedEngine({ sweeps: { stuckAfterMs: STUCK_MS } });
  await callOk(t.engine, 'configuration:update', { chain: 'tron', rpcUrl: dev.url, confirmations: DEPTH });
  await t.engine.services.holding.register({ chain: 'tron', address: dev.holdingAddress, derivationPath: "m/44'/195'/0'/0/1", source: 'virtual-ledger' });
  await callOk(t.engine, 'sweeps:updateRule', { assetId: 'tron:TRX', minAmount: '1', mode: 'on_confirmation' });
});
afterAll(async () => {
  await t?.dispose();
  await dev?.stop();
});

async function depositAndSweep(label: string, beforeSweep?: () => Promise<void>) {
  const { watch, sweeps } = t.engine.services;
  const wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'tron', label });
  await watch.tick('tron');
  await dev.sendNative(wallet.address, 50n * dev.coin);
  await dev.mine(DEPTH);
  await watch.tick('tron');
  const holdingBefore = await dev.nativeBalance(dev.holdingAddress);
  await beforeSweep?.();
  await sweeps.tick('tron');
  const [sweep] = (await callOk<Page<SweepView>>(t.engine, 'sweeps:list', { walletId: wallet.id })).items;
  expect(sweep!.state).toBe('broadcast');
  return { sweep: sweep!, holdingBefore };
}
const txsOf = (sweepId: string) => t.engine.database.db.selectFrom('sweep_txs').select(['tx_hash', 'state']).where('sweep_id', '=', sweepId).orderBy('created_at').execute();
const stuck = () => new Promise((resolve) => setTimeout(resolve, STUCK_MS + 50));

async function expectPaidOnce(sweepId: string, holdingBefore: bigint, attempts: number, states: string[]) {
  const { sweeps } = t.engine.services;
  await dev.mine(DEPTH + 1);
  await sweeps.tick('tron');
  const done = await sweeps.get(sweepId);
  expect(done).toMatchObject({ state: 'confirmed', attempts });
  expect((await txsOf(sweepId)).map((tx) => tx.state)).toEqual(states);
  expect(await dev.nativeBalance(dev.holdingAddress)).toBe(holdingBefore + BigInt(done.amount));
  expect(await checkLedgerInvariants(t.engine.database.db)).toEqual([]);
}

it('sends the same bytes again after a node restart lost them, and pays once', async () => {
  const { sweep, holdingBefore } = await depositAndSweep('restart');
  dev.dropPending!();
  await stuck();
  await t.engine.services.sweeps.tick('tron');
  await expectPaidOnce(sweep.id, holdingBefore, 0, ['mined']);
});

it('builds a new transaction once a fork took the reference block of the one it sent, and pays once', async () => {
  let mark: Awaited<ReturnType<DevChain['markFork']>>;
  const { sweep, holdingBefore } = await depositAndSweep('fork', async () => {
    // The deposit is confirmed below the fork point; the sweep references a block above it.
    mark = await dev.markFork();
    await dev.mine(1);
  });
  await dev.forkFrom(mark!, 0);
  await stuck();
  await t.engine.services.sweeps.tick('tron');
  await expectPaidOnce(sweep.id, holdingBefore, 1, ['dropped', 'mined']);
});

it('builds a new transaction once the lost one expired (blocks 3 s apart, 10 minutes), and pays once', async () => {
  const { sweep, holdingBefore } = await depositAndSweep('expired');
  dev.dropPending!();
  await dev.mine(205);
  await stuck();
  await t.engine.services.sweeps.tick('tron');
  await expectPaidOnce(sweep.id, holdingBefore, 1, ['dropped', 'mined']);
});
