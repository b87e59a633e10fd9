import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkLedgerInvariants } from '@engine/ledger/invariants';
import type { Page } from '@shared/domain/ledger';
import type { SweepView } from '@shared/domain/sweeps';
import type { WalletView } from '@shared/domain/wallets';
import { callOk, startUnlockedEngine, type TestEngine } from '@test/engine';
import { startRpcFront, type RpcFront } from '@test/devnet/rpc-front';
import { startDevChain, type DevChain } from '../watch/devnet-chain';

const DEPTH = 2;
const STUCK_MS = 300;
let dev: DevChain;
let node: RpcFront;
let t: TestEngine;

beforeAll(async () => {
  dev = await startDevChain('polygon');
  // Anvil takes a replacement one wei dearer; real pools (geth, bor) want 10% more on both fee fields.
  node = await startRpcFront(dev.url, { replacementBumpPercent: 10 });
  t = await startUnlockedEngine({ sweeps: { stuckAfterMs: STUCK_MS } });
  await callOk(t.engine, 'configuration:update', { chain: 'polygon', rpcUrl: node.url, confirmations: DEPTH });
  await t.engine.services.holding.register({ chain: 'polygon', address: dev.holdingAddress, derivationPath: "m/44'/60'/0'/0/1", source: 'virtual-ledger' });
  await callOk(t.engine, 'sweeps:updateRule', { assetId: 'polygon:POL', minAmount: '1', mode: 'on_confirmation' });
});
afterAll(async () => {
  await t?.dispose();
  await node?.stop();
  await dev?.stop();
});

it('a sweep transaction that is not mined is replaced with the same nonce and a higher fee, and only one is ever mined', async () => {
  const wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'stuck' });
  const { watch, sweeps } = t.engine.services;
  await watch.tick('polygon');
  await dev.sendNative(wallet.address, 2n * dev.coin);
  await dev.mine(DEPTH);
  await watch.tick('polygon');
  const holdingBefore = await dev.nativeBalance(dev.holdingAddress);

  // The node stops mining: the sweep sits in the mempool.
  await dev.rpc('evm_setAutomine', [false]);
  await sweeps.tick('polygon');
  const sweep = () => callOk<Page<SweepView>>(t.engine, 'sweeps:list', { walletId: wallet.id }).then((p) => p.items[0]!);
  expect((await sweep()).state).toBe('broadcast');
  await new Promise((resolve) => setTimeout(resolve, STUCK_MS + 50));
  await sweeps.tick('polygon');
  const txs = await t.engine.database.db.selectFrom('sweep_txs').selectAll().where('purpose', '=', 'sweep').orderBy('created_at').execute();
  expect(txs).toHaveLength(2);
  expect(txs[1]).toMatchObject({ nonce: txs[0]!.nonce, fee_bump_percent: 12, state: 'broadcast' });
  expect(BigInt(txs[1]!.max_fee)).toBeGreaterThan(BigInt(txs[0]!.max_fee));

  await dev.rpc('evm_setAutomine', [true]);
  await dev.mine(DEPTH + 1);
  await sweeps.tick('polygon');
  const done = await sweep();
  expect(done.state).toBe('confirmed');
  const settled = await t.engine.database.db.selectFrom('sweep_txs').select(['state']).where('purpose', '=', 'sweep').orderBy('created_at').execute();
  expect(settled.map((s) => s.state)).toEqual(['replaced', 'mined']);
  expect(await dev.nativeBalance(dev.holdingAddress)).toBe(holdingBefore + BigInt(done.amount));
  expect((await t.engine.services.ledger.balance({ kind: 'holding', assetId: 'polygon:POL' })).posted).toBe(done.amount);
  expect(await checkLedgerInvariants(t.engine.database.db)).toEqual([]);
});
