import { Transaction, Wallet } from 'ethers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Asset } from '@shared/domain/assets';
import { wellKnownAssets } from '@shared/domain/assets';
import { BroadcastRejectedError } from '@engine/chains/errors';
import { EvmAdapter } from '@engine/chains/evm/evm-adapter';
import { decideAfterRefusal, evmFeesOf, replacementFloorOf } from '@engine/outgoing/tx-lifecycle';
import { startEvmDevnet, type EvmDevnet } from '@test/devnet/evm';
import { startRpcFront } from '@test/devnet/rpc-front';

/**
 * Each EVM refusal class, provoked on a real anvil node the way a real chain produces it: fees raised under
 * the transaction (base fee jump), a competing transaction with the same nonce, a drained sender, a gas
 * limit below the intrinsic cost. The adapter must name each one, and the lifecycle pick the next step.
 */
const GWEI = 10n ** 9n;
const COIN = 10n ** 18n;

describe.each(['polygon', 'bsc'] as const)('EVM refusals on the %s devnet', (chain) => {
  let devnet: EvmDevnet;
  let adapter: EvmAdapter;
  let native: Asset;

  beforeAll(async () => {
    devnet = await startEvmDevnet({ chain });
    adapter = new EvmAdapter({ chain, rpcUrl: devnet.url, chainId: devnet.chainId });
    native = wellKnownAssets('devnet').find((a) => a.chain === chain && a.contract === null)!;
  });
  afterAll(async () => {
    adapter?.close();
    await devnet?.stop();
  });
  afterEach(async () => {
    await devnet.provider.send('evm_setAutomine', [true]);
  });

  async function sender(coins = 1n): Promise<Wallet> {
    const wallet = Wallet.createRandom();
    await devnet.setNativeBalance(wallet.address, coins * COIN);
    return new Wallet(wallet.privateKey);
  }
  const build = (from: Wallet, extra: Partial<Parameters<EvmAdapter['buildTransfer']>[0]> = {}) =>
    adapter.buildTransfer({ asset: native, from: from.address, to: devnet.funder.address, amount: 1000n, ...extra });
  const refusal = (promise: Promise<unknown>) => promise.then(() => null, (e: unknown) => e as BroadcastRejectedError);

  it('names a transaction paying less than the network now wants (base fee raised under it) and reprices it', async () => {
    const from = await sender();
    const signed = await adapter.signWithKey(await build(from), from.privateKey);
    const fees = evmFeesOf(signed.raw);
    // The network's price jumps tenfold before the transaction is sent.
    const perGas = fees.maxFeePerGas ?? fees.gasPrice!;
    await devnet.provider.send('anvil_setNextBlockBaseFeePerGas', ['0x' + (perGas * 10n).toString(16)]);
    await devnet.mine(1);
    const error = await refusal(adapter.broadcast(signed));
    expect(error).toBeInstanceOf(BroadcastRejectedError);
    expect(error!.kind).toBe('fee_too_low');
    expect(decideAfterRefusal(error!.kind, { oneOfOursMined: false, othersLive: false })).toBe('reprice');

    const floor = replacementFloorOf([signed.raw]);
    const again = await adapter.signWithKey(await build(from, { nonce: fees.nonce, minFees: floor }), from.privateKey);
    const paid = evmFeesOf(again.raw);
    // At least the replaced fees + 12.5%, and at least the market's now (several times higher).
    const pendingBaseFee = BigInt(((await devnet.provider.send('eth_getBlockByNumber', ['pending', false])) as { baseFeePerGas: string }).baseFeePerGas);
    expect(pendingBaseFee).toBeGreaterThan(perGas * 5n);
    expect(paid.maxFeePerGas ?? paid.gasPrice!).toBeGreaterThanOrEqual(pendingBaseFee);
    expect(await adapter.broadcast(again)).toBe(again.txHash);
    await devnet.mine(1);
    expect((await adapter.receipt(again.txHash))?.status).toBe('success');
  });

  it('names a replacement that does not outbid the pending transaction with its nonce', async () => {
    const from = await sender();
    await devnet.provider.send('evm_setAutomine', [false]);
    const ours = await build(from);
    const nonce = evmFeesOf(ours.signingPayload).nonce;
    // A competing transaction with the same nonce and a far higher fee is already pending.
    const competing = Transaction.from(ours.signingPayload);
    if (competing.type === 2) {
      competing.maxFeePerGas = competing.maxFeePerGas! * 3n;
      competing.maxPriorityFeePerGas = competing.maxPriorityFeePerGas! * 3n;
    } else competing.gasPrice = competing.gasPrice! * 3n;
    await devnet.provider.send('eth_sendRawTransaction', [await from.signTransaction(competing)]);
    const signed = await adapter.signWithKey(ours, from.privateKey);
    const error = await refusal(adapter.broadcast(signed));
    expect(error?.kind).toBe('replacement_underpriced');
    // Priced off the pending transaction (+12.5%), the replacement goes in.
    const floor = replacementFloorOf([await from.signTransaction(competing)]);
    const replacement = await adapter.signWithKey(await build(from, { nonce, minFees: floor }), from.privateKey);
    expect(await adapter.broadcast(replacement)).toBe(replacement.txHash);
    await devnet.mine(1);
    expect((await adapter.receipt(replacement.txHash))?.status).toBe('success');
  });

  it("clears a real pool's 10% replacement rule with the 12.5% floor, where 5% more is refused", async () => {
    // Anvil itself takes a replacement a wei dearer; the front applies geth's txpool.pricebump.
    const node = await startRpcFront(devnet.url, { replacementBumpPercent: 10 });
    const strict = new EvmAdapter({ chain, rpcUrl: node.url, chainId: devnet.chainId });
    try {
      const from = await sender();
      await devnet.provider.send('evm_setAutomine', [false]);
      const first = await adapter.signWithKey(await build(from), from.privateKey);
      const { nonce, gasLimit: _g, ...fees } = evmFeesOf(first.raw);
      expect(await strict.broadcast(first)).toBe(first.txHash);
      const fivePercent = Object.fromEntries(Object.entries(fees).map(([k, v]) => [k, (v * 105n) / 100n]));
      const cheap = Transaction.from((await build(from, { nonce })).signingPayload);
      if (cheap.type === 2) {
        cheap.maxFeePerGas = fivePercent.maxFeePerGas!;
        cheap.maxPriorityFeePerGas = fivePercent.maxPriorityFeePerGas!;
      } else cheap.gasPrice = fivePercent.gasPrice!;
      const refused = await refusal(strict.broadcast({ chain, txHash: '', raw: await from.signTransaction(cheap) }));
      expect(refused?.kind).toBe('replacement_underpriced');
      const replacement = await adapter.signWithKey(await build(from, { nonce, minFees: replacementFloorOf([first.raw]) }), from.privateKey);
      expect(await strict.broadcast(replacement)).toBe(replacement.txHash);
      await devnet.mine(1);
      expect((await adapter.receipt(replacement.txHash))?.status).toBe('success');
      expect(await adapter.receipt(first.txHash)).toBeNull();
    } finally {
      strict.close();
      await node.stop();
    }
  });

  it('names a nonce already mined by another transaction, and finds ours when it is the one mined', async () => {
    const from = await sender();
    const first = await adapter.signWithKey(await build(from), from.privateKey);
    const nonce = evmFeesOf(first.raw).nonce;
    expect(await adapter.broadcast(first)).toBe(first.txHash);
    // A replacement signed later, same nonce, arrives after the first was mined.
    const late = await adapter.signWithKey(await build(from, { nonce, minFees: replacementFloorOf([first.raw]) }), from.privateKey);
    const error = await refusal(adapter.broadcast(late));
    expect(error?.kind).toBe('nonce_too_low');
    const mined = (await adapter.receipt(first.txHash)) !== null;
    expect(decideAfterRefusal(error!.kind, { oneOfOursMined: mined, othersLive: true })).toBe('follow_mined');
  });

  it('takes a transaction the node already holds as sent ("already known")', async () => {
    const from = await sender();
    await devnet.provider.send('evm_setAutomine', [false]);
    const signed = await adapter.signWithKey(await build(from), from.privateKey);
    expect(await adapter.broadcast(signed)).toBe(signed.txHash);
    expect(await adapter.broadcast(signed)).toBe(signed.txHash);
    await devnet.mine(1);
    expect((await adapter.receipt(signed.txHash))?.status).toBe('success');
  });

  it('names a drained sender as insufficient funds, to wait for a top-up', async () => {
    const from = await sender();
    const signed = await adapter.signWithKey(await build(from), from.privateKey);
    await devnet.setNativeBalance(from.address, 0n);
    const error = await refusal(adapter.broadcast(signed));
    expect(error?.kind).toBe('insufficient_funds');
    expect(decideAfterRefusal(error!.kind, { oneOfOursMined: false, othersLive: false })).toBe('wait_funds');
  });

  it('does not take a dead endpoint for a refusal: the bytes may have arrived, so they are sent again', async () => {
    const from = await sender();
    const signed = await adapter.signWithKey(await build(from), from.privateKey);
    const dead = new EvmAdapter({ chain, rpcUrl: 'http://127.0.0.1:9', chainId: devnet.chainId });
    const error = await dead.broadcast(signed).then(() => null, (e: unknown) => e);
    dead.close();
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(BroadcastRejectedError);
    expect(await adapter.broadcast(signed)).toBe(signed.txHash);
  });

  it('names a gas limit under the intrinsic cost, to be rebuilt', async () => {
    const from = await sender();
    const unsigned = await build(from);
    const tx = Transaction.from(unsigned.signingPayload);
    tx.gasLimit = 20_000n;
    const error = await refusal(adapter.broadcast({ chain, txHash: '', raw: await from.signTransaction(tx) }));
    expect(error?.kind).toBe('intrinsic_gas_too_low');
    expect(decideAfterRefusal(error!.kind, { oneOfOursMined: false, othersLive: false })).toBe('rebuild');
  });
});

describe('fee floors from the settings and the node', () => {
  let polygon: EvmDevnet;
  let bsc: EvmDevnet;
  beforeAll(async () => {
    [polygon, bsc] = await Promise.all([startEvmDevnet({ chain: 'polygon' }), startEvmDevnet({ chain: 'bsc' })]);
  });
  afterAll(async () => {
    await Promise.all([polygon?.stop(), bsc?.stop()]);
  });

  it('never tips under the Polygon floor however low the node suggests, and pays the node when it asks more', async () => {
    const floor = 30n * GWEI;
    const adapter = new EvmAdapter({ chain: 'polygon', rpcUrl: polygon.url, chainId: polygon.chainId, minPriorityFeePerGas: floor });
    const pol = wellKnownAssets('devnet').find((a) => a.chain === 'polygon' && a.contract === null)!;
    const suggested = BigInt(await polygon.provider.send('eth_maxPriorityFeePerGas', []));
    expect(suggested).toBeLessThan(floor);
    const quote = await adapter.estimateFee({ asset: pol, from: polygon.funder.address, to: Wallet.createRandom().address, amount: 1n });
    expect(BigInt(quote.detail.maxPriorityFeePerGas!)).toBe(floor);
    expect(BigInt(quote.detail.maxFeePerGas!)).toBeGreaterThan(floor);
    const low = new EvmAdapter({ chain: 'polygon', rpcUrl: polygon.url, chainId: polygon.chainId, minPriorityFeePerGas: 1n });
    const market = await low.estimateFee({ asset: pol, from: polygon.funder.address, to: Wallet.createRandom().address, amount: 1n });
    expect(BigInt(market.detail.maxPriorityFeePerGas!)).toBe(suggested);
    adapter.close();
    low.close();
  });

  it('never prices BNB Chain gas under the node\'s price, nor under the configured floor', async () => {
    const bnb = wellKnownAssets('devnet').find((a) => a.chain === 'bsc' && a.contract === null)!;
    const nodePrice = BigInt(await bsc.provider.send('eth_gasPrice', []));
    const plain = new EvmAdapter({ chain: 'bsc', rpcUrl: bsc.url, chainId: bsc.chainId });
    const floored = new EvmAdapter({ chain: 'bsc', rpcUrl: bsc.url, chainId: bsc.chainId, minGasPrice: nodePrice * 4n });
    const to = Wallet.createRandom().address;
    expect(BigInt((await plain.estimateFee({ asset: bnb, from: bsc.funder.address, to, amount: 1n })).detail.gasPrice!)).toBeGreaterThanOrEqual(nodePrice);
    expect(BigInt((await floored.estimateFee({ asset: bnb, from: bsc.funder.address, to, amount: 1n })).detail.gasPrice!)).toBe(nodePrice * 4n);
    plain.close();
    floored.close();
  });
});
