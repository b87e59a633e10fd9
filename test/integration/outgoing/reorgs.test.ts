import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkLedgerInvariants } from '@engine/ledger/invariants';
import type { ChainAlertView } from '@shared/domain/deposits';
import type { Page } from '@shared/domain/ledger';
import type { SweepView } from '@shared/domain/sweeps';
import type { WalletView } from '@shared/domain/wallets';
import { callOk, type TestEngine } from '@test/engine';
import type { DevChain } from '../watch/devnet-chain';
import { openSweepBench } from '../sweep/sweep-bench';
import { startRpcFront } from '@test/devnet/rpc-front';

/**
 * Our own transactions follow reorgs (outgoing/reorg-check.ts): a confirmed sweep whose block is taken back
 * (anvil reverted to a snapshot before it, then a longer history mined) is unbooked, sent again from its stored
 * bytes, tracked, and booked once more when it is mined again; the alert names it.
 */
const FAST_RETRY = { attempts: 3, baseDelayMs: 20, maxDelayMs: 100, timeoutMs: 15_000 };
const DEPTH = 2;
let dev: DevChain;
let t: TestEngine;

beforeAll(async () => {
  const config = { watch: { retry: FAST_RETRY }, sweeps: { retry: FAST_RETRY } };
  ({ dev, t } = await openSweepBench('polygon', { depth: DEPTH, rules: [{ assetId: 'polygon:USDT', mode: 'on_confirmation' }], config }));
});
afterAll(async () => {
  await t?.dispose();
  await dev?.stop();
});

const posted = async (spec: Parameters<TestEngine['engine']['services']['ledger']['balance']>[0]) => BigInt((await t.engine.services.ledger.balance(spec)).posted);

it('a confirmed sweep whose block is orphaned is unbooked, tracked again and booked once when mined again', async () => {
  const { watch, sweeps } = t.engine.services;
  const db = t.engine.database.db;
  const wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'reorged sweep' });
  const sweepOf = async () => (await callOk<Page<SweepView>>(t.engine, 'sweeps:list', { walletId: wallet.id })).items[0]!;
  const amount = 40n * dev.unit;
  // Gas at the deposit address itself, so the sweep is one transaction.
  await dev.fundNative(wallet.address, dev.coin);
  await watch.tick('polygon');
  await dev.sendToken(wallet.address, amount);
  await dev.mine(DEPTH);
  await watch.tick('polygon');

  const mark = await dev.markFork();
  const markHead = await dev.head();
  for (let i = 0; i < 10 && (await sweepOf().catch(() => null))?.state !== 'confirmed'; i++) {
    await sweeps.tick('polygon');
    await dev.mine(1);
  }
  const first = await sweepOf();
  expect(first.state).toBe('confirmed');
  // The watcher has seen the blocks with the sweep: the fork below replaces blocks it knows.
  await watch.tick('polygon');
  const minedTx = await db.selectFrom('sweep_txs').selectAll().where('sweep_id', '=', first.id).where('state', '=', 'mined').executeTakeFirstOrThrow();
  expect(minedTx.block_hash).toMatch(/^0x[0-9a-f]{64}$/);
  const holding = { kind: 'holding' as const, assetId: dev.token };
  const inTransit = { kind: 'deposit_in_transit' as const, assetId: dev.token, walletId: wallet.id };
  expect(await posted(holding)).toBe(amount);
  expect(await posted(inTransit)).toBe(0n);
  expect(await dev.tokenBalance(dev.holdingAddress)).toBe(amount);

  // A longer history without the sweep replaces every block since the mark.
  await dev.forkFrom(mark, (await dev.head()) - markHead + 2);
  expect(await dev.tokenBalance(dev.holdingAddress)).toBe(0n);
  expect(await dev.tokenBalance(wallet.address)).toBe(amount);
  await watch.tick('polygon');
  // The watcher's deep-reorg alert names our own transaction in the replaced blocks, before anything is unbooked.
  const deep = (await callOk<ChainAlertView[]>(t.engine, 'sweeps:alerts', { limit: 20 })).filter((a) => a.kind === 'deep_reorg');
  expect(deep).toHaveLength(1);
  expect(deep[0]!.message).toContain(`sweep of 40.00 USDT from ${wallet.address} (transaction ${minedTx.tx_hash}, block ${minedTx.block_number})`);
  expect(deep[0]!.details).toMatchObject({ ourTransactions: [{ type: 'sweep', id: first.id, txHash: minedTx.tx_hash, block: minedTx.block_number }] });
  await sweeps.tick('polygon');

  // Unbooked: the holding wallet no longer holds it in the books, the deposit is in transit again.
  const tracked = await sweepOf();
  expect(tracked.state).toBe('broadcast');
  expect(await posted(holding)).toBe(0n);
  expect(await posted(inTransit)).toBe(amount);
  const deposit = await db.selectFrom('deposits').select(['state', 'sweep_id']).where('wallet_id', '=', wallet.id).executeTakeFirstOrThrow();
  expect(deposit).toEqual({ state: 'confirmed', sweep_id: first.id });
  const alerts = await callOk<ChainAlertView[]>(t.engine, 'sweeps:alerts', { limit: 20 });
  const named = alerts.filter((a) => a.kind === 'outgoing_reorged');
  expect(named).toHaveLength(1);
  expect(named[0]!.message).toContain(`40 USDT from ${wallet.address}`);
  expect(named[0]!.message).toContain(`block ${minedTx.block_number}`);
  expect(named[0]!.details).toMatchObject({ sweepId: first.id, txHash: minedTx.tx_hash });

  // The stored bytes went out again (same hash); once deep enough the sweep is booked again, once.
  for (let i = 0; i < 6 && (await sweepOf()).state !== 'confirmed'; i++) {
    await dev.mine(1);
    await sweeps.tick('polygon');
  }
  const again = await sweepOf();
  expect(again.state).toBe('confirmed');
  expect(again.txHash).toBe(minedTx.tx_hash);
  await sweeps.tick('polygon');
  expect((await sweepOf()).state).toBe('confirmed');
  expect(await dev.tokenBalance(dev.holdingAddress)).toBe(amount);
  expect(await posted(holding)).toBe(amount);
  expect(await posted(inTransit)).toBe(0n);
  const transfers = await db.selectFrom('ledger_transfers').select(['code', 'reverses_id', 'idempotency_key']).where('cause_type', '=', 'sweep').where('cause_id', '=', first.id).where('asset_id', '=', dev.token).orderBy('id').execute();
  expect(transfers.map((tr) => [tr.code, tr.reverses_id !== null])).toEqual([
    ['sweep', false],
    ['correction', true],
    ['sweep', false],
  ]);
  const actions = (await db.selectFrom('audit_log').select('action').where('entity_id', '=', first.id).orderBy('seq').execute()).map((r) => r.action);
  expect(actions.filter((a) => a === 'sweep.confirmed')).toHaveLength(2);
  expect(actions.filter((a) => a === 'sweep.reorged')).toHaveLength(1);
  expect(await checkLedgerInvariants(db)).toEqual([]);
});

it('a confirmed sweep whose receipt one lagging backend does not have yet stays booked', async () => {
  const { watch, sweeps } = t.engine.services;
  const db = t.engine.database.db;
  const front = await startRpcFront(dev.url);
  try {
    await callOk(t.engine, 'configuration:update', { chain: 'polygon', rpcUrl: front.url });
    const wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'lagging backend' });
    const sweepOf = async () => (await callOk<Page<SweepView>>(t.engine, 'sweeps:list', { walletId: wallet.id })).items[0]!;
    await dev.fundNative(wallet.address, dev.coin);
    await watch.tick('polygon');
    await dev.sendToken(wallet.address, 7n * dev.unit);
    await dev.mine(DEPTH);
    await watch.tick('polygon');
    for (let i = 0; i < 10 && (await sweepOf().catch(() => null))?.state !== 'confirmed'; i++) {
      await sweeps.tick('polygon');
      await dev.mine(1);
    }
    const confirmed = await sweepOf();
    expect(confirmed.state).toBe('confirmed');
    const holdingBefore = BigInt((await t.engine.services.ledger.balance({ kind: 'holding', assetId: dev.token })).posted);

    // The receipt reads as missing while its block is still in the chain: no reorg, nothing undone.
    front.hideReceipt(confirmed.txHash!);
    await sweeps.tick('polygon');
    await sweeps.tick('polygon');
    expect((await sweepOf()).state).toBe('confirmed');
    expect(BigInt((await t.engine.services.ledger.balance({ kind: 'holding', assetId: dev.token })).posted)).toBe(holdingBefore);
    const alerts = await db.selectFrom('alerts').select('details').where('kind', '=', 'outgoing_reorged').execute();
    expect(alerts.filter((a) => a.details.includes(confirmed.id))).toEqual([]);
  } finally {
    front.revealAll();
    await callOk(t.engine, 'configuration:update', { chain: 'polygon', rpcUrl: dev.url });
    await front.stop();
  }
});
