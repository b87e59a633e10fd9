import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HDNodeWallet, sha256 } from 'ethers';
import { TronAdapter, normalizeTronAddress } from '@engine/chains/tron';
import { AddressError, BroadcastRejectedError } from '@engine/chains/errors';
import type { SignedTransaction, UnsignedTransaction } from '@engine/chains/adapter';
import { wellKnownAssets, type Asset } from '@shared/domain/assets';
import { startTronDevnode, type TronDevnode } from '@test/devnet/tron';

const PHRASE = 'test test test test test test test test test test test junk';
const TRX = 1_000_000n;
const USDT = 1_000_000n;

interface TestAccount {
  address: string;
  privateKey: string;
}

function tronAccount(index: number): TestAccount {
  const wallet = HDNodeWallet.fromPhrase(PHRASE, undefined, `m/44'/195'/0'/0/${index}`);
  // A Tron address is the EVM account id behind a 0x41 version byte.
  const address = normalizeTronAddress('41' + wallet.address.slice(2));
  return { address, privateKey: wallet.privateKey.slice(2) };
}

describe('TronAdapter against the Tron devnode', () => {
  let node: TronDevnode;
  let adapter: TronAdapter;
  let trx: Asset;
  let usdt: Asset;
  const alice = tronAccount(0);
  const bob = tronAccount(1);
  const carol = tronAccount(2);
  const whale = tronAccount(3);
  // Above 2^53: a balance that a float would round.
  const WHALE_BALANCE = 12_345_678_901_234_567_891n;
  let firstBlock: bigint;

  beforeAll(async () => {
    node = await startTronDevnode({ genesis: { [whale.address]: WHALE_BALANCE } });
    adapter = new TronAdapter({ fullNodeUrl: node.url });
    const assets = wellKnownAssets('devnet').filter((a) => a.chain === 'tron');
    trx = assets.find((a) => a.id === 'tron:TRX')!;
    usdt = assets.find((a) => a.id === 'tron:USDT')!;
    firstBlock = node.headNumber() + 1n;
    node.fund(alice.address, 100n * TRX);
    node.fund(carol.address, 1n * TRX);
    node.mintToken(alice.address, 1_000n * USDT);
    await node.mine();
  });

  afterAll(async () => {
    await node?.stop();
  });

  async function send(asset: Asset, from: TestAccount, to: string, amount: bigint) {
    const unsigned = await adapter.buildTransfer({ asset, from: from.address, to, amount });
    const signed = await adapter.signWithKey(unsigned, from.privateKey);
    const txHash = await adapter.broadcast(signed);
    return { unsigned, signed, txHash };
  }

  it('runs USDT at the address the devnet profile registers', () => {
    // The registry hard-codes the devnode's deterministic contract address; this keeps the two in step.
    expect(usdt.contract).toBe(node.usdtContract);
  });

  it('reads the head block and blocks by number, linked by parent hash', async () => {
    const head = await adapter.headBlock();
    expect(head.number).toBe(node.headNumber());
    const same = await adapter.block(head.number);
    const parent = await adapter.block(head.number - 1n);
    expect(same.hash).toBe(head.hash);
    expect(head.parentHash).toBe(parent.hash);
    expect(head.timestamp).toBeGreaterThan(parent.timestamp);
    await expect(adapter.block(head.number + 1_000n)).rejects.toThrow(/not found/);
  });

  it('reads TRX and USDT balances in base units, exactly past 2^53', async () => {
    expect(await adapter.balance(trx, alice.address)).toBe(100n * TRX);
    expect(await adapter.balance(usdt, alice.address)).toBe(1_000n * USDT);
    expect(await adapter.balance(trx, bob.address)).toBe(0n);
    expect(await adapter.balance(usdt, bob.address)).toBe(0n);
    expect(await adapter.balance(trx, whale.address)).toBe(WHALE_BALANCE);
  });

  it('reads the token metadata from the contract', async () => {
    expect(await adapter.tokenMetadata(node.usdtContract)).toEqual({ symbol: 'USDT', decimals: 6 });
  });

  it('sends TRX to a new account, paying the activation fee, and follows the receipt to 5 confirmations', async () => {
    const quote = await adapter.estimateFee({ asset: trx, from: alice.address, to: bob.address, amount: 7n * TRX });
    expect(quote.detail.activationSun).toBe('1000000');
    expect(quote.maxFee).toBe(1_100_000n);

    const { unsigned, signed, txHash } = await send(trx, alice, bob.address, 7n * TRX);
    const body = unsigned.body as { txID: string; raw_data_hex: string };
    expect(unsigned.signingPayload).toBe(body.raw_data_hex);
    expect(sha256('0x' + unsigned.signingPayload).slice(2)).toBe(txHash);
    expect(signed.txHash).toBe(txHash);
    expect(await adapter.receipt(txHash)).toBeNull();

    await node.mine();
    const receipt = await adapter.receipt(txHash);
    expect(receipt).toMatchObject({ status: 'success', confirmations: 1, feePaid: 1_100_000n });
    await node.mine(4);
    expect((await adapter.receipt(txHash))?.confirmations).toBe(5);

    expect(await adapter.balance(trx, bob.address)).toBe(7n * TRX);
    expect(await adapter.balance(trx, alice.address)).toBe(100n * TRX - 7n * TRX - 1_100_000n);
  });

  it("sends TRX to an existing account: the day's free bandwidth first, then bandwidth burned within the quote", async () => {
    // Paid to the faucet, an address no scan below watches.
    const free = await send(trx, alice, node.faucet.address, 1n * TRX);
    await node.mine();
    // The first transfer of the day fits in the 600 free bandwidth: no TRX burned.
    expect(await adapter.receipt(free.txHash)).toMatchObject({ status: 'success', feePaid: 0n });
    const before = await adapter.balance(trx, alice.address);
    // Two more do not fit in what is left of it: the next burns its bytes.
    await send(trx, alice, node.faucet.address, 1n * TRX);
    await node.mine();
    const { unsigned, txHash } = await send(trx, alice, bob.address, 1n * TRX);
    await node.mine();
    const receipt = await adapter.receipt(txHash);
    expect(receipt?.status).toBe('success');
    expect(unsigned.fee.detail.activationSun).toBe('0');
    expect(receipt!.feePaid).toBe(BigInt(unsigned.fee.detail.bandwidthBytes!) * 1_000n);
    expect(receipt!.feePaid).toBeLessThanOrEqual(unsigned.fee.maxFee);
    expect(await adapter.balance(trx, alice.address)).toBe(before - 2n * TRX - receipt!.feePaid);
  });

  it('sends USDT with a fee limit from the energy estimate, and the fee stays within the quote', async () => {
    const { unsigned, txHash } = await send(usdt, alice, bob.address, 250_500_000n);
    expect(unsigned.fee.detail.energy).toBe('64895');
    await node.mine();
    const receipt = await adapter.receipt(txHash);
    expect(receipt?.status).toBe('success');
    expect(receipt!.feePaid).toBeLessThanOrEqual(unsigned.fee.maxFee);
    expect(receipt!.feePaid).toBe(64_895n * 100n + BigInt(unsigned.fee.detail.bandwidthBytes!) * 1_000n);
    expect(await adapter.balance(usdt, bob.address)).toBe(250_500_000n);
    expect(await adapter.balance(usdt, alice.address)).toBe(1_000n * USDT - 250_500_000n);

    // A second transfer to a holder costs less energy.
    const quote = await adapter.estimateFee({ asset: usdt, from: alice.address, to: bob.address, amount: 1n });
    expect(quote.detail.energy).toBe('31895');
  });

  it('scans TRX and USDT transfers back to the watched recipients only', async () => {
    const head = await adapter.headBlock();
    const toBob = await adapter.scanTransfers(firstBlock, head.number, [trx, usdt], new Set([bob.address]));
    expect(toBob.map((t) => [t.assetId, t.from, t.to, t.amount, t.logIndex])).toEqual([
      ['tron:TRX', alice.address, bob.address, 7n * TRX, -1],
      ['tron:TRX', alice.address, bob.address, 1n * TRX, -1],
      ['tron:USDT', alice.address, bob.address, 250_500_000n, 0],
    ]);
    for (const transfer of toBob) {
      const block = await adapter.block(transfer.blockNumber);
      expect(transfer.blockHash).toBe(block.hash);
    }

    const toAlice = await adapter.scanTransfers(firstBlock, head.number, [trx, usdt], new Set([alice.address]));
    expect(toAlice.map((t) => [t.assetId, t.from, t.amount])).toEqual([
      ['tron:TRX', node.faucet.address, 100n * TRX],
      // Minted tokens arrive as a Transfer from the zero address.
      ['tron:USDT', 'T9yD14Nj9j7xAB4dbGeiX9h8unkKHxuWwb', 1_000n * USDT],
    ]);

    const onlyTrx = await adapter.scanTransfers(firstBlock, head.number, [trx], new Set([bob.address]));
    expect(onlyTrx.every((t) => t.assetId === 'tron:TRX')).toBe(true);
    expect(await adapter.scanTransfers(firstBlock, head.number, [trx, usdt], new Set())).toEqual([]);
  });

  it('scans ranges longer than one node page', async () => {
    await node.mine(120);
    const head = await adapter.headBlock();
    const toBob = await adapter.scanTransfers(0n, head.number, [trx, usdt], new Set([bob.address]));
    expect(toBob).toHaveLength(3);
    await expect(adapter.scanTransfers(head.number, head.number + 5n, [trx], new Set([bob.address]))).rejects.toThrow(
      /past the head/,
    );
  });

  it('accepts a Ledger-style signature with recovery id 0/1', async () => {
    const unsigned = await adapter.buildTransfer({ asset: trx, from: alice.address, to: bob.address, amount: 3n });
    const viaKey = await adapter.signWithKey(unsigned, alice.privateKey);
    const signature = (JSON.parse(viaKey.raw) as { signature: string[] }).signature[0]!;
    const deviceV = parseInt(signature.slice(128, 130), 16) - 27;
    const signed = adapter.attachSignature(unsigned, {
      r: signature.slice(0, 64),
      s: signature.slice(64, 128),
      v: deviceV,
    });
    expect(signed.raw).toBe(viaKey.raw);
    expect(await adapter.broadcast(signed)).toBe(signed.txHash);
    await node.mine();
    expect((await adapter.receipt(signed.txHash))?.status).toBe('success');
  });

  it('accepts a high-s signature by mirroring it to its low-s form', async () => {
    const unsigned = await adapter.buildTransfer({ asset: trx, from: alice.address, to: bob.address, amount: 4n });
    const viaKey = await adapter.signWithKey(unsigned, alice.privateKey);
    const signature = (JSON.parse(viaKey.raw) as { signature: string[] }).signature[0]!;
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const highS = (n - BigInt('0x' + signature.slice(64, 128))).toString(16).padStart(64, '0');
    const v = parseInt(signature.slice(128, 130), 16) === 27 ? 28 : 27;
    const signed = adapter.attachSignature(unsigned, { r: '0x' + signature.slice(0, 64), s: '0x' + highS, v });
    expect(signed.raw).toBe(viaKey.raw);
  });

  it('treats a repeated broadcast of the same transaction as already accepted', async () => {
    const before = await adapter.balance(trx, bob.address);
    const { signed, txHash } = await send(trx, alice, bob.address, 5n);
    expect(await adapter.broadcast(signed)).toBe(txHash);
    await node.mine();
    expect(await adapter.balance(trx, bob.address)).toBe(before + 5n);
  });

  it('follows a reorg: a dropped transfer vanishes, a replayed one moves to a block with a new hash', async () => {
    const { txHash: replayed } = await send(trx, alice, bob.address, 11n);
    await node.mine();
    const first = (await adapter.receipt(replayed))!;
    const { txHash: dropped } = await send(trx, alice, bob.address, 13n);
    await node.mine();
    const head = await adapter.headBlock();
    const bobBefore = await adapter.balance(trx, bob.address);

    const outcome = await node.reorg(1, { dropTransactions: true });
    expect(outcome.orphaned).toEqual([dropped]);
    expect((await adapter.headBlock()).hash).not.toBe(head.hash);
    expect(await adapter.receipt(dropped)).toBeNull();
    expect(await adapter.balance(trx, bob.address)).toBe(bobBefore - 13n);
    expect(await adapter.scanTransfers(head.number, head.number, [trx], new Set([bob.address]))).toEqual([]);

    expect((await node.reorg(2)).reincluded).toEqual([replayed]);
    const moved = (await adapter.receipt(replayed))!;
    expect(moved.blockHash).not.toBe(first.blockHash);
    const rescanned = await adapter.scanTransfers(first.blockNumber, head.number, [trx], new Set([bob.address]));
    expect(rescanned.map((t) => [t.txHash, t.blockHash, t.amount])).toEqual([[replayed, moved.blockHash, 11n]]);
  });

  describe('refusals', () => {
    it('refuses a signature by another key before broadcasting, and the node refuses it too', async () => {
      const unsigned = await adapter.buildTransfer({ asset: trx, from: alice.address, to: bob.address, amount: 1n });
      await expect(adapter.signWithKey(unsigned, carol.privateKey)).rejects.toThrow(/wrong key or device account/);

      const forged = forgeSignature(unsigned, await adapter.signWithKey(retarget(unsigned, carol.address), carol.privateKey));
      const rejection = await adapter.broadcast(forged).catch((e: unknown) => e);
      expect(rejection).toBeInstanceOf(BroadcastRejectedError);
      expect(rejection).toMatchObject({ code: 'broadcast_rejected', reason: 'SIGERROR' });
    });

    it('refuses a malformed recovery id', async () => {
      const unsigned = await adapter.buildTransfer({ asset: trx, from: alice.address, to: bob.address, amount: 1n });
      expect(() => adapter.attachSignature(unsigned, { r: '01', s: '02', v: 2 })).toThrow(/recovery id/);
    });

    it('refuses a TRX transfer beyond the balance', async () => {
      const { signed } = await buildAndSign(trx, carol, bob.address, 5n * TRX);
      const rejection = await adapter.broadcast(signed).catch((e: unknown) => e);
      expect(rejection).toMatchObject({ reason: 'CONTRACT_VALIDATE_ERROR' });
      expect(String((rejection as Error).message)).toMatch(/balance is not sufficient/);
    });

    it('refuses to build a USDT transfer the sender cannot cover', async () => {
      await expect(
        adapter.buildTransfer({ asset: usdt, from: carol.address, to: bob.address, amount: 1n * USDT }),
      ).rejects.toThrow(/would fail/);
    });

    it('lets the node refuse an expired transaction', async () => {
      const shortLived = new TronAdapter({ fullNodeUrl: node.url, expirationSeconds: 30 });
      const unsigned = await shortLived.buildTransfer({ asset: trx, from: alice.address, to: bob.address, amount: 1n });
      const signed = await shortLived.signWithKey(unsigned, alice.privateKey);
      await node.mine(11); // blocks are at least 3 s apart
      await expect(shortLived.broadcast(signed)).rejects.toMatchObject({ reason: 'TRANSACTION_EXPIRATION_ERROR' });
    });

    it('refuses a body that no longer matches its txID', async () => {
      const unsigned = await adapter.buildTransfer({ asset: trx, from: alice.address, to: bob.address, amount: 1n });
      const body = unsigned.body as { raw_data_hex: string };
      const tampered = { ...unsigned, body: { ...body, raw_data_hex: body.raw_data_hex.replace(/..$/, '00') } };
      await expect(adapter.signWithKey(tampered, alice.privateKey)).rejects.toThrow(/does not match/);
    });

    it.each([
      ['an EVM address', '0xc2132D05D31c914a87C6611C10748AEb04B58e8F', 'wrong_chain'],
      ['a mistyped character', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6T', 'bad_checksum'],
      ['garbage', 'not-an-address', 'malformed'],
    ])('refuses %s as recipient or owner', async (_label, address, reason) => {
      await expect(adapter.buildTransfer({ asset: trx, from: alice.address, to: address, amount: 1n })).rejects.toMatchObject({
        code: 'invalid_address',
        reason,
      });
      await expect(adapter.balance(trx, address)).rejects.toBeInstanceOf(AddressError);
    });

    it('refuses an asset of another chain', async () => {
      const pol = wellKnownAssets('devnet').find((a) => a.id === 'polygon:POL')!;
      await expect(adapter.balance(pol, alice.address)).rejects.toThrow(/not a Tron asset/);
    });
  });

  async function buildAndSign(asset: Asset, from: TestAccount, to: string, amount: bigint) {
    const unsigned = await adapter.buildTransfer({ asset, from: from.address, to, amount });
    return { unsigned, signed: await adapter.signWithKey(unsigned, from.privateKey) };
  }
});

/** The same transaction claimed to be from another sender, so a foreign key can sign its txID. */
function retarget(tx: UnsignedTransaction, from: string): UnsignedTransaction {
  return { ...tx, intent: { ...tx.intent, from } };
}

/** Puts another key's signature on the original transaction, as a confused signer might. */
function forgeSignature(tx: UnsignedTransaction, foreign: SignedTransaction): SignedTransaction {
  const signature = (JSON.parse(foreign.raw) as { signature: string[] }).signature;
  return { chain: 'tron', txHash: foreign.txHash, raw: JSON.stringify({ ...(tx.body as object), signature }) };
}
