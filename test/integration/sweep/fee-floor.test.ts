import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkLedgerInvariants } from '@engine/ledger/invariants';
import { evmFeesOf } from '@engine/outgoing/tx-lifecycle';
import type { Page } from '@shared/domain/ledger';
import type { SweepView } from '@shared/domain/sweeps';
import type { WalletView } from '@shared/domain/wallets';
import { startRpcFront, type RpcFront } from '@test/devnet/rpc-front';
import { callOk, startUnlockedEngine, type TestEngine } from '@test/engine';
import { startDevChain, type DevChain } from '../watch/devnet-chain';

/**
 * Polygon nodes refuse tips under their minimum (bor's txpool.pricelimit, 25 gwei) while public RPCs suggest
 * far less. A sweep behind such a node, with the tip floor set low, is refused and repriced (never failed, never
 * re-planned while in flight); with the floor at the 30 gwei default it goes through.
 */
const GWEI = 10n ** 9n;
const DEPTH = 2;
let dev: DevChain;
let node: RpcFront;
let t: TestEngine;

beforeAll(async () => {
  dev = await startDevChain('polygon');
  node = await startRpcFront(dev.url, { minTipWei: 25n * GWEI });
  t = await startUnlockedEngine({});
  await callOk(t.engine, 'configuration:update', { chain: 'polygon', rpcUrl: node.url, confirmations: DEPTH, feeFloorWei: (1n * GWEI).toString() });
  await t.engine.services.holding.register({ chain: 'polygon', address: dev.holdingAddress, derivationPath: "m/44'/60'/0'/0/1", source: 'virtual-ledger' });
  await callOk(t.engine, 'sweeps:updateRule', { assetId: 'polygon:POL', minAmount: '1', mode: 'on_confirmation' });
});
afterAll(async () => {
  await t?.dispose();
  await node?.stop();
  await dev?.stop();
});

it('reprices a sweep a Polygon node refuses for its tip, and it goes through once the floor is the 30 gwei default', async () => {
  const { watch, sweeps } = t.engine.services;
  const db = t.engine.database.db;
  const wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'tip floor' });
  await watch.tick('polygon');
  await dev.sendNative(wallet.address, 2n * dev.coin);
  await dev.mine(DEPTH);
  await watch.tick('polygon');
  const holdingBefore = await dev.nativeBalance(dev.holdingAddress);

  await sweeps.tick('polygon');
  const [sweep] = (await callOk<Page<SweepView>>(t.engine, 'sweeps:list', { walletId: wallet.id })).items;
  expect(sweep!.state).not.toMatch(/confirmed|failed/);
  const refused = await db.selectFrom('sweep_txs').selectAll().where('sweep_id', '=', sweep!.id).orderBy('created_at').execute();
  expect(refused.length).toBeGreaterThan(1);
  expect(refused.filter((tx) => tx.state !== 'signed').every((tx) => tx.state === 'dropped')).toBe(true);
  const tips = refused.map((tx) => evmFeesOf(tx.raw).maxPriorityFeePerGas!);
  expect(tips.every((tip) => tip < 25n * GWEI)).toBe(true);
  // Each replacement of a nonce pays at least 12.5% more than the one before.
  for (let i = 1; i < refused.length; i++) {
    if (refused[i]!.nonce === refused[i - 1]!.nonce) expect(tips[i]! * 1000n).toBeGreaterThanOrEqual(tips[i - 1]! * 1125n);
  }
  // Nothing failed (the empty gas tank's own low alert aside: a native sweep needs none of it).
  expect(await db.selectFrom('alerts').select('kind').where('kind', '!=', 'gas_tank_low').execute()).toEqual([]);

  await callOk(t.engine, 'configuration:update', { chain: 'polygon', feeFloorWei: (30n * GWEI).toString() });
  await sweeps.tick('polygon');
  await dev.mine(DEPTH);
  await sweeps.tick('polygon');
  const done = await sweeps.get(sweep!.id);
  expect(done.state).toBe('confirmed');
  const mined = await db.selectFrom('sweep_txs').selectAll().where('sweep_id', '=', sweep!.id).where('state', '=', 'mined').execute();
  expect(mined).toHaveLength(1);
  expect(evmFeesOf(mined[0]!.raw).maxPriorityFeePerGas!).toBeGreaterThanOrEqual(30n * GWEI);
  expect(await dev.nativeBalance(dev.holdingAddress)).toBe(holdingBefore + BigInt(done.amount));
  expect(await checkLedgerInvariants(db)).toEqual([]);
});
