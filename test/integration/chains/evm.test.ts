import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mnemonicToSeedSync } from '@scure/bip39';
import { SigningKey, Transaction, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UnsignedTransaction } from '@engine/chains/adapter';
import { AddressError } from '@engine/chains/errors';
import { EvmAdapter } from '@engine/chains/evm/evm-adapter';
import { SeedKeyring } from '@engine/custody/derivation';
import { wellKnownAssets, type Asset } from '@shared/domain/assets';
import { startEvmDevnet, type EvmDevnet } from '@test/devnet/evm';

const TEST_SEED = mnemonicToSeedSync(
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
);
const CONFIRMATIONS = 3;

describe.each(['polygon', 'bsc'] as const)('EVM adapter on the %s devnet', (chain) => {
  let devnet: EvmDevnet;
  let adapter: EvmAdapter;
  let native: Asset;
  let usdt: Asset;
  let usdc: Asset;
  const keyring = new SeedKeyring(() => TEST_SEED);
  const deposit0 = keyring.depositKey(chain, 0);
  const deposit1 = keyring.depositKey(chain, 1);
  const holding = Wallet.createRandom().address;

  beforeAll(async () => {
    devnet = await startEvmDevnet({ chain });
    adapter = new EvmAdapter({ chain, rpcUrl: devnet.url, chainId: devnet.chainId });
    const assets = wellKnownAssets('devnet').filter((a) => a.chain === chain);
    const find = (symbol: string) => {
      const asset = assets.find((a) => a.symbol === symbol);
      if (!asset) throw new Error(`${chain} registry has no ${symbol}`);
      return asset;
    };
    native = find(chain === 'polygon' ? 'POL' : 'BNB');
    usdt = find('USDT');
    usdc = find('USDC');
  });

  afterAll(async () => {
    adapter?.close();
    await devnet?.stop();
  });

  const units = (asset: Asset, whole: bigint) => whole * 10n ** BigInt(asset.decimals);

  /** Builds, signs with a software key, broadcasts and follows the receipt to the configured depth. */
  async function send(asset: Asset, fromKey: string, to: string, amount: bigint) {
    const from = new Wallet(fromKey).address;
    const unsigned = await adapter.buildTransfer({ asset, from, to, amount });
    const signed = await adapter.signWithKey(unsigned, fromKey);
    expect(await adapter.broadcast(signed)).toBe(signed.txHash);
    let receipt = await adapter.receipt(signed.txHash);
    while (!receipt || receipt.confirmations < CONFIRMATIONS) {
      await devnet.mine(1);
      receipt = await adapter.receipt(signed.txHash);
    }
    return { unsigned, signed, receipt };
  }

  it('talks to the chain it was configured for', async () => {
    await adapter.checkNetwork();
    const head = await adapter.headBlock();
    expect(head.number).toBeGreaterThanOrEqual(2n);
    const again = await adapter.block(head.number);
    expect(again).toEqual(head);
    expect((await adapter.block(head.number - 1n)).hash).toBe(head.parentHash);
  });

  it('reads token metadata at the registry decimals', async () => {
    expect(await adapter.tokenMetadata(usdt.contract as string)).toEqual({ symbol: 'USDT', decimals: usdt.decimals });
    expect(await adapter.tokenMetadata(usdc.contract as string)).toEqual({ symbol: 'USDC', decimals: usdc.decimals });
    expect(usdt.decimals).toBe(chain === 'polygon' ? 6 : 18);
  });

  it('quotes fees in the chain fee market', async () => {
    const quote = await adapter.estimateFee({ asset: native, from: devnet.funder.address, to: deposit0.address, amount: 1n });
    expect(quote.detail.gasLimit).toBe('21000');
    if (chain === 'polygon') {
      expect(BigInt(quote.maxFee)).toBe(21000n * BigInt(quote.detail.maxFeePerGas as string));
      expect(quote.detail.maxPriorityFeePerGas).toBeDefined();
    } else {
      expect(BigInt(quote.maxFee)).toBe(21000n * BigInt(quote.detail.gasPrice as string));
    }
    const bumped = await adapter.estimateFee({
      asset: native,
      from: devnet.funder.address,
      to: deposit0.address,
      amount: 1n,
      feeBumpPercent: 10,
    });
    expect(bumped.maxFee * 100n).toBeGreaterThanOrEqual(quote.maxFee * 110n);

    const unsigned = await adapter.buildTransfer({ asset: native, from: devnet.funder.address, to: deposit0.address, amount: 1n });
    // EIP-1559 on Polygon; BNB Chain keeps legacy gasPrice transactions.
    expect(Transaction.from(unsigned.signingPayload).type).toBe(chain === 'polygon' ? 2 : 0);
    expect(Transaction.from(unsigned.signingPayload).chainId).toBe(BigInt(devnet.chainId));
  });

  it('sends native and token transfers, reads balances, and scans them back', async () => {
    const startBlock = (await adapter.headBlock()).number + 1n;
    await devnet.mintToken('USDT', devnet.funder.address, units(usdt, 1000n));
    await devnet.mintToken('USDC', devnet.funder.address, units(usdc, 1000n));
    const funderKey = devnet.funder.privateKey;
    const funderBefore = await adapter.balance(native, devnet.funder.address);

    const nativeAmount = units(native, 2n) + 12345n;
    const nativeSend = await send(native, funderKey, deposit0.address, nativeAmount);
    expect(nativeSend.receipt.status).toBe('success');
    expect(nativeSend.receipt.confirmations).toBeGreaterThanOrEqual(CONFIRMATIONS);
    expect(nativeSend.receipt.feePaid).toBeLessThanOrEqual(nativeSend.unsigned.fee.maxFee);
    expect(await adapter.balance(native, deposit0.address)).toBe(nativeAmount);
    expect(await adapter.balance(native, devnet.funder.address)).toBe(
      funderBefore - nativeAmount - nativeSend.receipt.feePaid,
    );

    const usdtAmount = units(usdt, 150n) + 7n;
    const usdtSend = await send(usdt, funderKey, deposit1.address, usdtAmount);
    expect(usdtSend.receipt.status).toBe('success');
    expect(await adapter.balance(usdt, deposit1.address)).toBe(usdtAmount);

    // Sent to an address outside the recipient set: must not be reported.
    await send(usdc, funderKey, holding, units(usdc, 5n));
    const usdcToDeposit0 = await send(usdc, funderKey, deposit0.address.toLowerCase(), 42n);

    const head = (await adapter.headBlock()).number;
    const recipients = new Set([deposit0.address, deposit1.address]);
    const found = await adapter.scanTransfers(startBlock, head, [native, usdt, usdc], recipients);

    const logIndexOf = async (txHash: string) => {
      const receipt = await devnet.provider.getTransactionReceipt(txHash);
      return receipt?.logs[0]?.index;
    };
    expect(found).toEqual([
      {
        chain,
        assetId: native.id,
        txHash: nativeSend.signed.txHash,
        logIndex: -1,
        blockNumber: nativeSend.receipt.blockNumber,
        blockHash: nativeSend.receipt.blockHash,
        from: devnet.funder.address,
        to: deposit0.address,
        amount: nativeAmount,
      },
      {
        chain,
        assetId: usdt.id,
        txHash: usdtSend.signed.txHash,
        logIndex: await logIndexOf(usdtSend.signed.txHash),
        blockNumber: usdtSend.receipt.blockNumber,
        blockHash: usdtSend.receipt.blockHash,
        from: devnet.funder.address,
        to: deposit1.address,
        amount: usdtAmount,
      },
      {
        chain,
        assetId: usdc.id,
        txHash: usdcToDeposit0.signed.txHash,
        logIndex: await logIndexOf(usdcToDeposit0.signed.txHash),
        blockNumber: usdcToDeposit0.receipt.blockNumber,
        blockHash: usdcToDeposit0.receipt.blockHash,
        from: devnet.funder.address,
        to: deposit0.address,
        amount: 42n,
      },
    ]);

    // A narrow getLogs span and a narrower asset list give the same answer, just in more requests.
    const chunked = new EvmAdapter({ chain, rpcUrl: devnet.url, chainId: devnet.chainId, maxLogBlockRange: 2n });
    try {
      expect(await chunked.scanTransfers(startBlock, head, [native, usdt, usdc], recipients)).toEqual(found);
      expect(await chunked.scanTransfers(startBlock, head, [usdt], recipients)).toEqual([found[1]]);
    } finally {
      chunked.close();
    }
  });

  it('splits a log scan the node refuses as too wide', async () => {
    const head = (await adapter.headBlock()).number;
    const recipients = new Set([deposit0.address, deposit1.address]);
    const expected = await adapter.scanTransfers(1n, head, [usdt, usdc], recipients);
    expect(expected.length).toBeGreaterThan(0);

    const proxy = await startRefusingProxy(devnet.url, 3n);
    const strict = new EvmAdapter({ chain, rpcUrl: proxy.url, chainId: devnet.chainId });
    try {
      expect(await strict.scanTransfers(1n, head, [usdt, usdc], recipients)).toEqual(expected);
      expect(proxy.refused()).toBeGreaterThan(0);
    } finally {
      strict.close();
      await proxy.stop();
    }
  });

  it('sweeps a deposit address with its derived key after the gas tank funds it', async () => {
    const gasTank = keyring.gasTankKey(chain);
    await devnet.setNativeBalance(gasTank.address, units(native, 10n));
    const held = await adapter.balance(usdt, deposit1.address);
    expect(held).toBeGreaterThan(0n);

    const quote = await adapter.estimateFee({ asset: usdt, from: deposit1.address, to: holding, amount: held });
    await send(native, gasTank.privateKey, deposit1.address, quote.maxFee);

    const sweep = await send(usdt, deposit1.privateKey, holding, held);
    expect(sweep.receipt.status).toBe('success');
    expect(await adapter.balance(usdt, holding)).toBe(held);
    expect(await adapter.balance(usdt, deposit1.address)).toBe(0n);
    expect(await adapter.balance(native, deposit1.address)).toBe(quote.maxFee - sweep.receipt.feePaid);
  });

  it('attaches a device signature whatever its v convention, and refuses another key', async () => {
    const funderKey = new SigningKey(devnet.funder.privateKey);
    const build = () =>
      adapter.buildTransfer({ asset: native, from: devnet.funder.address, to: deposit0.address, amount: 1000n });
    const unsigned: UnsignedTransaction = await build();
    const signature = funderKey.sign(Transaction.from(unsigned.signingPayload).unsignedHash);
    const expected = await adapter.signWithKey(unsigned, devnet.funder.privateKey);

    const deviceStyles = [
      { r: signature.r.slice(2), s: signature.s.slice(2), v: signature.yParity },
      { r: signature.r, s: signature.s, v: 27 + signature.yParity },
      { r: signature.r, s: signature.s, v: devnet.chainId * 2 + 35 + signature.yParity },
      // Ledger truncates EIP-155 v to one byte when the chain id is large.
      { r: signature.r, s: signature.s, v: (devnet.chainId * 2 + 35 + signature.yParity) & 0xff },
    ];
    for (const style of deviceStyles) expect(adapter.attachSignature(unsigned, style)).toEqual(expected);

    const stranger = new SigningKey(Wallet.createRandom().privateKey).sign(
      Transaction.from(unsigned.signingPayload).unsignedHash,
    );
    expect(() => adapter.attachSignature(unsigned, { r: stranger.r, s: stranger.s, v: stranger.v })).toThrow(
      /does not belong/,
    );

    // Broadcasting the same signed transaction twice (a retry after a crash) is not an error.
    expect(await adapter.broadcast(expected)).toBe(expected.txHash);
    expect(await adapter.broadcast(expected)).toBe(expected.txHash);
    await devnet.mine(1);
    expect((await adapter.receipt(expected.txHash))?.status).toBe('success');
  });

  it('reports a reverted transfer as reverted, and never as a deposit', async () => {
    const depositKey = keyring.depositKey(chain, 4);
    await devnet.setNativeBalance(depositKey.address, units(native, 1n));
    await devnet.mintToken('USDT', depositKey.address, 100n);
    const startBlock = (await adapter.headBlock()).number + 1n;

    // Built while the tokens are there, mined after they left: the gas limit is fixed, the call reverts.
    const nonce = await adapter.nextNonce(depositKey.address);
    const drain = await adapter.buildTransfer({ asset: usdt, from: depositKey.address, to: holding, amount: 100n, nonce });
    const late = await adapter.buildTransfer({
      asset: usdt,
      from: depositKey.address,
      to: deposit0.address,
      amount: 100n,
      nonce: nonce + 1,
    });
    await adapter.broadcast(await adapter.signWithKey(drain, depositKey.privateKey));
    const lateHash = await adapter.broadcast(await adapter.signWithKey(late, depositKey.privateKey));
    const receipt = await adapter.receipt(lateHash);
    expect(receipt?.status).toBe('reverted');
    expect(receipt?.feePaid).toBeGreaterThan(0n);

    // Native value sent to a contract that refuses it: mined, reverted, no value moved.
    const refused = await devnet.funder.sendTransaction({ to: usdt.contract as string, value: 5n, gasLimit: 60_000n });
    expect((await adapter.receipt(refused.hash))?.status).toBe('reverted');

    const head = (await adapter.headBlock()).number;
    const seen = await adapter.scanTransfers(startBlock, head, [native, usdt], new Set([deposit0.address, usdt.contract as string]));
    expect(seen).toEqual([]);
  });

  it('uses the caller-reserved nonce and reports the pending one', async () => {
    const from = devnet.funder.address;
    const next = await adapter.nextNonce(from);
    const first = await adapter.buildTransfer({ asset: native, from, to: deposit0.address, amount: 1n, nonce: next });
    const second = await adapter.buildTransfer({ asset: native, from, to: deposit0.address, amount: 2n, nonce: next + 1 });
    expect(Transaction.from(second.signingPayload).nonce).toBe(next + 1);
    await adapter.broadcast(await adapter.signWithKey(first, devnet.funder.privateKey));
    await adapter.broadcast(await adapter.signWithKey(second, devnet.funder.privateKey));
    expect(await adapter.nextNonce(from)).toBe(next + 2);
  });

  it('refuses malformed, wrong-chain and foreign-asset input with clear errors', async () => {
    await expect(
      adapter.buildTransfer({ asset: native, from: devnet.funder.address, to: 'TUEZSdKsoDHQMeZwihtdoBiN46zxhGWYdH', amount: 1n }),
    ).rejects.toBeInstanceOf(AddressError);
    await expect(adapter.balance(native, '0x1234')).rejects.toThrow(AddressError);
    const [tronUsdt] = wellKnownAssets('mainnet').filter((a) => a.id === 'tron:USDT');
    await expect(adapter.balance(tronUsdt as Asset, deposit0.address)).rejects.toThrow(/not on/);
    await expect(
      adapter.buildTransfer({ asset: usdt, from: deposit0.address, to: holding, amount: units(usdt, 1_000_000n) }),
    ).rejects.toThrow(/cannot estimate gas/);
    expect(await adapter.receipt(`0x${'ab'.repeat(32)}`)).toBeNull();
  });
});

interface RpcRequest {
  id: number;
  method: string;
  params: { fromBlock?: string; toBlock?: string }[];
}

/** A JSON-RPC proxy that refuses eth_getLogs spans wider than `maxSpan` blocks, as public RPCs do. */
async function startRefusingProxy(target: string, maxSpan: bigint) {
  let refused = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as RpcRequest | RpcRequest[];
      const requests = Array.isArray(body) ? body : [body];
      const tooWide = new Set(
        requests
          .filter((r) => {
            const filter = r.params[0];
            return r.method === 'eth_getLogs' && filter?.fromBlock && filter.toBlock
              ? BigInt(filter.toBlock) - BigInt(filter.fromBlock) + 1n > maxSpan
              : false;
          })
          .map((r) => r.id),
      );
      refused += tooWide.size;
      const forwarded = requests.filter((r) => !tooWide.has(r.id));
      const answers = forwarded.length
        ? ((await (
            await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(forwarded) })
          ).json()) as unknown[])
        : [];
      for (const id of tooWide) {
        answers.push({ jsonrpc: '2.0', id, error: { code: -32005, message: 'query returned more than 10000 results' } });
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(Array.isArray(body) ? answers : answers[0]));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    refused: () => refused,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
