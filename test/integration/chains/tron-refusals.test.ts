import { HDNodeWallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BroadcastRejectedError } from '@engine/chains/errors';
import { normalizeTronAddress, TronAdapter } from '@engine/chains/tron';
import { decideAfterRefusal } from '@engine/outgoing/tx-lifecycle';
import { wellKnownAssets, type Asset } from '@shared/domain/assets';
import { startTronDevnode, type TronDevnode } from '@test/devnet/tron';

/**
 * java-tron's refusals as the adapter meets them, and transactions unique per intent: each refusal class
 * provoked on the devnode (which answers with java-tron's codes and messages), the adapter naming it, and
 * the lifecycle's next step.
 */
const TRX = 1_000_000n;

function account(index: number) {
  const wallet = HDNodeWallet.fromPhrase('test test test test test test test test test test test junk', undefined, `m/44'/195'/0'/0/${index}`);
  return { address: normalizeTronAddress('41' + wallet.address.slice(2)), privateKey: wallet.privateKey.slice(2) };
}

describe('Tron refusals and transaction identity', () => {
  let node: TronDevnode;
  let adapter: TronAdapter;
  let trx: Asset;
  const alice = account(20);
  const bob = account(21);
  const poor = account(22);

  beforeAll(async () => {
    node = await startTronDevnode({});
    // As some public nodes run: every txID broadcast is remembered, refused ones too.
    node.enableBroadcastCache();
    adapter = new TronAdapter({ fullNodeUrl: node.url });
    trx = wellKnownAssets('devnet').find((a) => a.id === 'tron:TRX')!;
    node.fund(alice.address, 100n * TRX);
    node.fund(poor.address, 2n * TRX);
    await node.mine();
  });
  afterAll(async () => {
    await node?.stop();
  });

  const signed = async (from: { address: string; privateKey: string }, amount: bigint) =>
    adapter.signWithKey(await adapter.buildTransfer({ asset: trx, from: from.address, to: bob.address, amount }), from.privateKey);
  const refusal = (promise: Promise<unknown>) => promise.then(() => null, (e: unknown) => e as BroadcastRejectedError);

  it('gives two identical transfers built in one block different txIDs, and both are paid', async () => {
    const before = node.trxBalance(bob.address);
    const head = node.headNumber();
    const [first, second] = [await signed(alice, TRX), await signed(alice, TRX)];
    expect(node.headNumber()).toBe(head);
    expect(first.txHash).not.toBe(second.txHash);
    expect(await adapter.broadcast(first)).toBe(first.txHash);
    expect(await adapter.broadcast(second)).toBe(second.txHash);
    await node.mine();
    expect(node.trxBalance(bob.address)).toBe(before + 2n * TRX);
  });

  it('takes a re-broadcast of our own accepted transaction as sent (the node holds the identical one)', async () => {
    const tx = await signed(alice, 3n);
    expect(await adapter.broadcast(tx)).toBe(tx.txHash);
    expect(await adapter.broadcast(tx)).toBe(tx.txHash);
    await node.mine();
    expect(await adapter.broadcast(tx)).toBe(tx.txHash);
    expect((await adapter.receipt(tx.txHash))?.status).toBe('success');
  });

  it('does not take DUP_TRANSACTION_ERROR as sent when the node holds nothing of ours under that txID', async () => {
    const tx = await signed(poor, 10n * TRX);
    expect((await refusal(adapter.broadcast(tx)))?.reason).toBe('CONTRACT_VALIDATE_ERROR');
    node.fund(poor.address, 20n * TRX);
    await node.mine();
    // The same bytes again: the node's broadcast cache answers "already exists", yet it holds nothing.
    const dup = await refusal(adapter.broadcast(tx));
    expect(dup).toMatchObject({ reason: 'DUP_TRANSACTION_ERROR', kind: 'duplicate' });
    expect(dup!.message).toMatch(/Transaction already exists\./);
    expect(decideAfterRefusal(dup!.kind, { oneOfOursMined: false, othersLive: false })).toBe('rebuild');
    await node.mine();
    expect(await adapter.receipt(tx.txHash)).toBeNull();
  });

  it('names SERVER_BUSY as a refusal to retry with the same bytes', async () => {
    const tx = await signed(alice, 4n);
    node.setBusy(true);
    const busy = await refusal(adapter.broadcast(tx));
    node.setBusy(false);
    expect(busy).toMatchObject({ reason: 'SERVER_BUSY', kind: 'server_busy' });
    expect(decideAfterRefusal(busy!.kind, { oneOfOursMined: false, othersLive: false })).toBe('retry_later');
  });

  it('names a reference block reorganised away (TAPOS_ERROR) and an expired transaction, to be rebuilt unless another may still be mined', async () => {
    const tx = await signed(alice, 5n);
    await node.reorg(1);
    const tapos = await refusal(adapter.broadcast(tx));
    expect(tapos).toMatchObject({ reason: 'TAPOS_ERROR', kind: 'tapos' });
    expect(tapos!.message).toMatch(/Tapos check error\./);
    expect(decideAfterRefusal(tapos!.kind, { oneOfOursMined: false, othersLive: false })).toBe('rebuild');
    expect(decideAfterRefusal(tapos!.kind, { oneOfOursMined: false, othersLive: true })).toBe('keep_following');

    const shortLived = new TronAdapter({ fullNodeUrl: node.url, expirationSeconds: 5 });
    const soon = await shortLived.signWithKey(await shortLived.buildTransfer({ asset: trx, from: alice.address, to: bob.address, amount: 6n }), alice.privateKey);
    await node.mine(2);
    expect(await refusal(shortLived.broadcast(soon))).toMatchObject({ reason: 'TRANSACTION_EXPIRATION_ERROR', kind: 'expired' });
  });

  it('names a sender without TRX for bandwidth (BANDWITH_ERROR) as waiting for funds', async () => {
    const broke = account(23);
    node.fund(broke.address, 1_000n);
    await node.mine();
    // The day's 600 free bandwidth pays two small transfers; the third does not fit in what is left.
    for (const amount of [1n, 2n]) await adapter.broadcast(await signed(broke, amount));
    await node.mine();
    const error = await refusal(adapter.broadcast(await signed(broke, 900n)));
    expect(error).toMatchObject({ reason: 'BANDWITH_ERROR', kind: 'bandwidth' });
    expect(decideAfterRefusal(error!.kind, { oneOfOursMined: false, othersLive: false })).toBe('wait_funds');
  });
});
