import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedgerInvariants } from '@engine/ledger/invariants';
import { evmFeesOf } from '@engine/outgoing/tx-lifecycle';
import type { Page } from '@shared/domain/ledger';
import type { SweepView } from '@shared/domain/sweeps';
import type { WalletView } from '@shared/domain/wallets';
import { startRpcFront, type RpcFront } from '@test/devnet/rpc-front';
import { callOk, startUnlockedEngine, type TestEngine } from '@test/engine';
import { startDevChain, type DevChain } from '../watch/devnet-chain';

/**
 * A native sweep's transaction and its replacements on a real anvil node: the original mined while its
 * replacement waits, the original mined while the endpoint does not show it yet (the runaway re-plan), and
 * the network's price rising between signing and sending.
 */
const DEPTH = 2;
const STUCK_MS = 300;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('native sweep replacements on polygon', () => {
  let dev: DevChain;
  let rpc: RpcFront;
  let t: TestEngine;

  beforeAll(async () => {
    dev = await startDevChain('polygon');
    rpc = await startRpcFront(dev.url);
    t = await startUnlockedEngine({ sweeps: { stuckAfterMs: STUCK_MS } });
    await callOk(t.engine, 'configuration:update', { chain: 'polygon', rpcUrl: rpc.url, confirmations: DEPTH });
    await t.engine.services.holding.register({ chain: 'polygon', address: dev.holdingAddress, derivationPath: "m/44'/60'/0'/0/1", source: 'virtual-ledger' });
  });
  afterAll(async () => {
    await t?.dispose();
    await rpc?.stop();
    await dev?.stop();
  });

  const db = () => t.engine.database.db;
  const sweepOf = (wallet: WalletView) => callOk<Page<SweepView>>(t.engine, 'sweeps:list', { walletId: wallet.id }).then((p) => p.items);
  const txsOf = (sweepId: string) => db().selectFrom('sweep_txs').selectAll().where('sweep_id', '=', sweepId).where('purpose', '=', 'sweep').orderBy('created_at').execute();

  async function confirmedDeposit(label: string, mode: 'on_confirmation' | 'manual'): Promise<WalletView> {
    await callOk(t.engine, 'sweeps:updateRule', { assetId: 'polygon:POL', minAmount: '1', mode });
    const wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label });
    await t.engine.services.watch.tick('polygon');
    await dev.sendNative(wallet.address, 2n * dev.coin);
    await dev.mine(DEPTH);
    await t.engine.services.watch.tick('polygon');
    return wallet;
  }

  async function expectBookedOnce(sweep: SweepView, holdingBefore: bigint, ledgerBefore: bigint) {
    expect(sweep.state).toBe('confirmed');
    expect(await dev.nativeBalance(dev.holdingAddress)).toBe(holdingBefore + BigInt(sweep.amount));
    const ledger = BigInt((await t.engine.services.ledger.balance({ kind: 'holding', assetId: 'polygon:POL' })).posted);
    expect(ledger).toBe(ledgerBefore + BigInt(sweep.amount));
    expect(await checkLedgerInvariants(db())).toEqual([]);
  }
  const holdingLedger = async () => BigInt((await t.engine.services.ledger.balance({ kind: 'holding', assetId: 'polygon:POL' })).posted);

  it('follows the original when it is mined while its replacement waits, and never sends the replacement', async () => {
    const wallet = await confirmedDeposit('mined-while-waiting', 'on_confirmation');
    const [holdingBefore, ledgerBefore] = [await dev.nativeBalance(dev.holdingAddress), await holdingLedger()];
    const { sweeps } = t.engine.services;
    await dev.rpc('evm_setAutomine', [false]);
    await sweeps.tick('polygon');
    const [sweep] = await sweepOf(wallet);
    expect(sweep!.state).toBe('broadcast');
    await pause(STUCK_MS + 50);
    // One step: not mined, so a replacement is signed and saved, not yet sent.
    expect(await sweeps.advance(sweep!.id)).toBe(true);
    expect((await sweeps.get(sweep!.id)).state).toBe('signed');
    // The original makes it into a block before the replacement leaves.
    await dev.mine(1);
    await dev.rpc('evm_setAutomine', [true]);
    await sweeps.tick('polygon');
    await dev.mine(DEPTH);
    await sweeps.tick('polygon');

    const txs = await txsOf(sweep!.id);
    expect(txs.map((tx) => tx.state)).toEqual(['mined', 'replaced']);
    expect(await dev.rpc('eth_getTransactionByHash', [txs[1]!.tx_hash])).toBeNull();
    await expectBookedOnce(await sweeps.get(sweep!.id), holdingBefore, ledgerBefore);
  });

  it('does not fail, release or re-plan a sweep whose original is mined while the endpoint does not show it yet', async () => {
    const wallet = await confirmedDeposit('lagging-endpoint', 'on_confirmation');
    const [holdingBefore, ledgerBefore] = [await dev.nativeBalance(dev.holdingAddress), await holdingLedger()];
    const { sweeps } = t.engine.services;
    await dev.rpc('evm_setAutomine', [false]);
    await sweeps.tick('polygon');
    const [sweep] = await sweepOf(wallet);
    const [original] = await txsOf(sweep!.id);
    rpc.hideReceipt(original!.tx_hash);
    await dev.rpc('evm_setAutomine', [true]);
    await dev.mine(1);
    // The address is empty now, and the endpoint says the sweep is not mined: before, the replacement read the
    // balance, found it below what was credited, failed the sweep, released the deposits and re-planned them.
    for (let i = 0; i < 3; i++) {
      await pause(STUCK_MS + 50);
      await sweeps.tick('polygon');
    }
    expect((await sweepOf(wallet)).map((s) => s.state)).toEqual(['broadcast']);
    expect(await db().selectFrom('alerts').select('id').where('details', 'like', `%${sweep!.id}%`).execute()).toEqual([]);
    const deposits = await db().selectFrom('deposits').select(['sweep_id', 'state']).where('wallet_id', '=', wallet.id).execute();
    expect(deposits).toEqual([{ sweep_id: sweep!.id, state: 'confirmed' }]);
    const txs = await txsOf(sweep!.id);
    expect(txs[0]!.state).toBe('broadcast');
    // Replacements were refused ("nonce too low") and dropped, one per stuck period, none mined.
    expect(txs.slice(1).every((tx) => tx.state === 'dropped' && tx.nonce === original!.nonce)).toBe(true);

    rpc.revealAll();
    await dev.mine(DEPTH);
    await sweeps.tick('polygon');
    expect((await txsOf(sweep!.id))[0]!.state).toBe('mined');
    await expectBookedOnce(await sweeps.get(sweep!.id), holdingBefore, ledgerBefore);
  });

  it('reprices a sweep the node refuses because the network price rose after signing', async () => {
    const wallet = await confirmedDeposit('price-rise', 'manual');
    const [holdingBefore, ledgerBefore] = [await dev.nativeBalance(dev.holdingAddress), await holdingLedger()];
    const { sweeps } = t.engine.services;
    const [planned] = await sweeps.sweepNow({ assetId: 'polygon:POL', walletId: wallet.id });
    expect(await sweeps.advance(planned!.id)).toBe(true);
    expect((await sweeps.get(planned!.id)).state).toBe('signed');
    const [signed] = await txsOf(planned!.id);
    const perGas = evmFeesOf(signed!.raw).maxFeePerGas!;
    await dev.rpc('anvil_setNextBlockBaseFeePerGas', ['0x' + (perGas * 4n).toString(16)]);
    await dev.mine(1);
    await sweeps.tick('polygon');
    await dev.mine(DEPTH);
    await sweeps.tick('polygon');

    const txs = await txsOf(planned!.id);
    expect(txs.map((tx) => tx.state)).toEqual(['dropped', 'mined']);
    const paid = evmFeesOf(txs[1]!.raw);
    expect(paid.nonce).toBe(evmFeesOf(signed!.raw).nonce);
    expect(paid.maxFeePerGas! * 1000n).toBeGreaterThanOrEqual(perGas * 1125n);
    expect(paid.maxPriorityFeePerGas! * 1000n).toBeGreaterThanOrEqual(evmFeesOf(signed!.raw).maxPriorityFeePerGas! * 1125n);
    await expectBookedOnce(await sweeps.get(planned!.id), holdingBefore, ledgerBefore);
  });
});
