import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbiCoder, HDNodeWallet, sha256 } from 'ethers';
import { TronWeb, utils as tronUtils } from 'tronweb';
import { TronAdapter } from '@engine/chains/tron';
import { startTronDevnode, type TronDevnode } from '@test/devnet/tron';

/**
 * The devnode speaks java-tron's HTTP API to an unmodified tronweb: these tests drive it with
 * tronweb and plain HTTP, not through the adapter, so the adapter's tests rest on a checked fixture.
 */

const abi = AbiCoder.defaultAbiCoder();

function account(index: number) {
  const wallet = HDNodeWallet.fromPhrase('test test test test test test test test test test test junk', undefined, `m/44'/195'/0'/0/${index}`);
  return { address: TronWeb.address.fromHex('41' + wallet.address.slice(2)), privateKey: wallet.privateKey.slice(2) };
}

describe('Tron devnode', () => {
  let node: TronDevnode;
  let tronWeb: TronWeb;
  const alice = account(10);
  const bob = account(11);

  const get = async (path: string, query: Record<string, string> = {}) => {
    const res = await fetch(`${node.url}/${path}?${new URLSearchParams(query)}`);
    return { text: await res.text(), status: res.status };
  };
  const post = async <T = Record<string, unknown>>(path: string, body: unknown): Promise<T> => {
    const res = await fetch(`${node.url}/${path}`, { method: 'POST', body: JSON.stringify(body) });
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    node = await startTronDevnode({ genesis: { [alice.address]: 50_000_000n } });
    tronWeb = new TronWeb({ fullHost: node.url, privateKey: alice.privateKey });
    node.mintToken(alice.address, 500_000_000n);
    await node.mine();
  });

  afterAll(async () => {
    await node?.stop();
  });

  it('listens on loopback only and has the token at a deterministic address', async () => {
    expect(new URL(node.url).hostname).toBe('127.0.0.1');
    const other = await startTronDevnode();
    expect(other.usdtContract).toBe(node.usdtContract);
    await other.stop();
    await expect(startTronDevnode({ host: '0.0.0.0' as '127.0.0.1' })).rejects.toThrow(/127\.0\.0\.1 only/);
  });

  it('answers /wallet/createtransaction with the real protobuf raw_data_hex and its sha256 as txID', async () => {
    const tx = await post<{ txID: string; raw_data_hex: string; raw_data: unknown }>('wallet/createtransaction', {
      owner_address: TronWeb.address.toHex(alice.address),
      to_address: TronWeb.address.toHex(bob.address),
      amount: 1_000_000,
    });
    expect(tronUtils.transaction.txCheck(tx)).toBe(true);
    expect(sha256('0x' + tx.raw_data_hex).slice(2)).toBe(tx.txID);

    const refused = await post<{ Error: string }>('wallet/createtransaction', {
      owner_address: TronWeb.address.toHex(alice.address),
      to_address: TronWeb.address.toHex(bob.address),
      amount: 60_000_000,
    });
    expect(refused.Error).toMatch(/ContractValidateException : Validate TransferContract error, balance is not sufficient/);
  });

  it('takes a TRX transfer built, signed and sent by tronweb', async () => {
    const tx = await tronWeb.transactionBuilder.sendTrx(bob.address, 2_000_000, alice.address);
    const signed = await tronWeb.trx.sign(tx);
    const sent = await tronWeb.trx.sendRawTransaction(signed);
    expect(sent.result).toBe(true);
    // Like a java-tron full node, the node's state includes the accepted transaction at once.
    expect(await tronWeb.trx.getUnconfirmedBalance(bob.address)).toBe(2_000_000);
    expect(await tronWeb.trx.getUnconfirmedTransactionInfo(sent.txid)).toEqual({});
    await node.mine();
    const info = await tronWeb.trx.getUnconfirmedTransactionInfo(sent.txid);
    expect(info).toMatchObject({ id: sent.txid, fee: 1_100_000, receipt: { net_fee: 100_000 } });
  });

  it('runs TRC-20 transfer through /wallet/triggersmartcontract and logs a Transfer event', async () => {
    const { transaction } = await tronWeb.transactionBuilder.triggerSmartContract(
      node.usdtContract,
      'transfer(address,uint256)',
      { feeLimit: 50_000_000 },
      [
        { type: 'address', value: bob.address },
        { type: 'uint256', value: '1234567' },
      ],
      alice.address,
    );
    const sent = await tronWeb.trx.sendRawTransaction(await tronWeb.trx.sign(transaction));
    expect(sent.result).toBe(true);
    await node.mine();
    const info = (await tronWeb.trx.getUnconfirmedTransactionInfo(sent.txid)) as unknown as {
      receipt: { result: string };
      log: { address: string; topics: string[]; data: string }[];
      contract_address: string;
    };
    expect(info.receipt.result).toBe('SUCCESS');
    expect(info.contract_address).toBe(TronWeb.address.toHex(node.usdtContract));
    expect(info.log).toHaveLength(1);
    expect(info.log[0]!.address).toBe(TronWeb.address.toHex(node.usdtContract).slice(2));
    expect(info.log[0]!.topics[0]).toBe('ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef');
    expect(BigInt('0x' + info.log[0]!.data)).toBe(1_234_567n);

    const byBlock = await post<{ id: string }[]>('wallet/gettransactioninfobyblocknum', { num: Number(node.headNumber()) });
    expect(byBlock.map((i) => i.id)).toEqual([sent.txid]);
  });

  it('forwards TRX sent with call_value through a payout contract and lists it in internal_transactions', async () => {
    const forwarder = node.deployForwarder();
    const carol = account(13);
    const { transaction } = await tronWeb.transactionBuilder.triggerSmartContract(
      forwarder,
      'forward(address)',
      { feeLimit: 50_000_000, callValue: 3_000_000 },
      [{ type: 'address', value: carol.address }],
      alice.address,
    );
    const aliceBefore = node.trxBalance(alice.address);
    const sent = await tronWeb.trx.sendRawTransaction(await tronWeb.trx.sign(transaction));
    expect(sent.result).toBe(true);
    await node.mine();
    const info = await post<{ receipt: { result: string }; fee?: number; internal_transactions: Array<Record<string, unknown>> }>('wallet/gettransactioninfobyid', { value: sent.txid });
    expect(info.receipt.result).toBe('SUCCESS');
    // As java-tron prints Tron.proto InternalTransaction: 41-hex addresses, TRX without a tokenId, note "call" in hex.
    expect(info.internal_transactions).toEqual([
      {
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        caller_address: TronWeb.address.toHex(forwarder).toLowerCase(),
        transferTo_address: TronWeb.address.toHex(carol.address).toLowerCase(),
        callValueInfo: [{ callValue: 3_000_000 }],
        note: Buffer.from('call').toString('hex'),
      },
    ]);
    expect(node.trxBalance(carol.address)).toBe(3_000_000n);
    expect(node.trxBalance(alice.address)).toBe(aliceBefore - 3_000_000n - BigInt(info.fee ?? 0));
    const byBlock = await post<Array<{ internal_transactions?: unknown[] }>>('wallet/gettransactioninfobyblocknum', { num: Number(node.headNumber()) });
    expect(byBlock[0]!.internal_transactions).toHaveLength(1);
    // Seen as a contract, and TRX cannot be sent to one by a plain transfer (FORBID_TRANSFER_TO_CONTRACT).
    expect(await post('wallet/getcontract', { value: TronWeb.address.toHex(forwarder) })).toMatchObject({ contract_address: TronWeb.address.toHex(forwarder).toLowerCase() });
    const direct = await post<{ Error?: string }>('wallet/createtransaction', { owner_address: TronWeb.address.toHex(alice.address), to_address: TronWeb.address.toHex(forwarder), amount: 1_000_000 });
    expect(direct.Error).toMatch(/Cannot transfer TRX to a smartContract\./);
  });

  it('reverts a forward without call value, and refuses a call value beyond the balance', async () => {
    const forwarder = node.deployForwarder();
    const build = (callValue: number) =>
      tronWeb.transactionBuilder.triggerSmartContract(forwarder, 'forward(address)', { feeLimit: 50_000_000, callValue }, [{ type: 'address', value: bob.address }], alice.address);
    const bobBefore = node.trxBalance(bob.address);
    const sent = await tronWeb.trx.sendRawTransaction(await tronWeb.trx.sign((await build(0)).transaction));
    await node.mine();
    const info = await post<{ receipt: { result: string }; internal_transactions?: unknown[] }>('wallet/gettransactioninfobyid', { value: sent.txid });
    expect(info.receipt.result).toBe('REVERT');
    expect(info.internal_transactions).toBeUndefined();
    expect(node.trxBalance(bob.address)).toBe(bobBefore);
    const tooMuch = await tronWeb.trx.sendRawTransaction(await tronWeb.trx.sign((await build(Number(node.trxBalance(alice.address)) + 1)).transaction));
    expect(tooMuch).toMatchObject({ code: 'CONTRACT_VALIDATE_ERROR' });
  });

  it('answers balanceOf, decimals and symbol through /wallet/triggerconstantcontract', async () => {
    const call = async (selector: string, params: { type: string; value: string }[] = []) =>
      (await tronWeb.transactionBuilder.triggerConstantContract(node.usdtContract, selector, {}, params, alice.address))
        .constant_result![0] as string;
    expect(abi.decode(['uint256'], '0x' + (await call('balanceOf(address)', [{ type: 'address', value: bob.address }])))[0]).toBe(
      1_234_567n,
    );
    expect(abi.decode(['uint8'], '0x' + (await call('decimals()')))[0]).toBe(6n);
    expect(abi.decode(['string'], '0x' + (await call('symbol()')))[0]).toBe('USDT');
  });

  it('serves the token ABI through /wallet/getcontract for tronweb contract objects', async () => {
    const token = await tronWeb.contract().at(node.usdtContract);
    expect(await token.symbol().call()).toBe('USDT');
    expect(Number(await token.decimals().call())).toBe(6);
    expect(BigInt((await token.balanceOf(bob.address).call()).toString())).toBe(1_234_567n);
  });

  it('prints int64 fields as strings on GET with int64_as_string, and base58 with visible', async () => {
    const { text } = await get('wallet/getaccount', { address: TronWeb.address.toHex(alice.address), int64_as_string: 'true' });
    expect(text).toMatch(/"balance":"\d+"/);
    const visible = await post<{ address: string }>('wallet/getaccount', { address: alice.address, visible: true });
    expect(visible.address).toBe(alice.address);
    expect(await post('wallet/getaccount', { address: TronWeb.address.toHex(account(99).address) })).toEqual({});
  });

  it('takes a visible=true transaction and prints it with 41-hex addresses to visible=false readers', async () => {
    const tx = await post<{ visible: boolean; txID: string; raw_data: { contract: { parameter: { value: { to_address: string } } }[] } }>(
      'wallet/createtransaction',
      { owner_address: alice.address, to_address: bob.address, amount: 7, visible: true },
    );
    expect(tx.visible).toBe(true);
    expect(tx.raw_data.contract[0]!.parameter.value.to_address).toBe(bob.address);
    const signed = await tronWeb.trx.sign(tx as never);
    expect(await post('wallet/broadcasttransaction', signed)).toEqual({ result: true, txid: tx.txID });
    const stored = await post<{ raw_data: { contract: { parameter: { value: { to_address: string } } }[] } }>(
      'wallet/gettransactionbyid',
      { value: tx.txID },
    );
    expect(stored.raw_data.contract[0]!.parameter.value.to_address).toBe(TronWeb.address.toHex(bob.address));
  });

  it('serves block ranges with endNum exclusive', async () => {
    const { block } = await post<{ block: { block_header: { raw_data: { number?: number } } }[] }>(
      'wallet/getblockbylimitnext',
      { startNum: 0, endNum: 3 },
    );
    expect(block.map((b) => b.block_header.raw_data.number ?? 0)).toEqual([0, 1, 2]);
    expect(await post('wallet/getblockbylimitnext', { startNum: 0, endNum: 500 })).toEqual({});
  });

  it('packs a TRC-20 transfer beyond the token balance as REVERT and still charges energy', async () => {
    const { transaction } = await tronWeb.transactionBuilder.triggerSmartContract(
      node.usdtContract,
      'transfer(address,uint256)',
      { feeLimit: 50_000_000 },
      [
        { type: 'address', value: bob.address },
        { type: 'uint256', value: '999999999999' },
      ],
      alice.address,
    );
    const sent = await tronWeb.trx.sendRawTransaction(await tronWeb.trx.sign(transaction));
    expect(sent.result).toBe(true);
    await node.mine();
    const info = (await tronWeb.trx.getUnconfirmedTransactionInfo(sent.txid)) as unknown as Record<string, unknown>;
    expect(info).toMatchObject({ result: 'FAILED', receipt: { result: 'REVERT', energy_fee: 1_200_000 } });
    expect(info.log).toBeUndefined();
    const receipt = await new TronAdapter({ fullNodeUrl: node.url }).receipt(sent.txid);
    expect(receipt).toMatchObject({ status: 'reverted', confirmations: 1 });
    expect(receipt!.feePaid).toBeGreaterThan(1_200_000n);
  });

  it('stops at the fee limit with OUT_OF_ENERGY', async () => {
    const { transaction } = await tronWeb.transactionBuilder.triggerSmartContract(
      node.usdtContract,
      'transfer(address,uint256)',
      { feeLimit: 1_000_000 },
      [
        { type: 'address', value: bob.address },
        { type: 'uint256', value: '1' },
      ],
      alice.address,
    );
    const sent = await tronWeb.trx.sendRawTransaction(await tronWeb.trx.sign(transaction));
    await node.mine();
    const info = await tronWeb.trx.getUnconfirmedTransactionInfo(sent.txid);
    expect(info).toMatchObject({ result: 'FAILED', receipt: { result: 'OUT_OF_ENERGY', energy_fee: 1_000_000 } });
  });

  it.each([
    [
      'a reference block the chain does not have',
      (tx: { raw_data: Record<string, unknown> }) => ({ ...tx, raw_data: { ...tx.raw_data, ref_block_hash: '0000000000000000' } }),
      'TAPOS_ERROR',
      'Tapos check error',
    ],
    [
      'an expiration in the past',
      (tx: { raw_data: Record<string, unknown> }) => ({ ...tx, raw_data: { ...tx.raw_data, expiration: 1 } }),
      'TRANSACTION_EXPIRATION_ERROR',
      'Transaction expired',
    ],
    [
      'a signature over other bytes',
      (tx: { raw_data: Record<string, unknown>; signature: string[] }) => ({
        ...tx,
        signature: [tx.signature[0]!.replace(/^../, (b) => (b === '00' ? '01' : '00'))],
      }),
      'SIGERROR',
      'Validate signature error',
    ],
  ])('refuses %s with java-tron code and hex message', async (_label, tamper, code, message) => {
    const tx = await tronWeb.trx.sign(await tronWeb.transactionBuilder.sendTrx(bob.address, 1, alice.address));
    const reply = await post<{ code: string; message: string; txid: string }>(
      'wallet/broadcasttransaction',
      tamper(tx as unknown as { raw_data: Record<string, unknown>; signature: string[] }),
    );
    expect(reply.code).toBe(code);
    expect(Buffer.from(reply.message, 'hex').toString('utf8')).toContain(message);
  });

  it('accepts a high-s signature with recovery id 0/1, as java-tron does', async () => {
    const tx = await tronWeb.trx.sign(await tronWeb.transactionBuilder.sendTrx(bob.address, 4, alice.address));
    const sig = (tx as unknown as { signature: string[] }).signature[0]!;
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const highS = (n - BigInt('0x' + sig.slice(64, 128))).toString(16).padStart(64, '0');
    const recovery = parseInt(sig.slice(128, 130), 16) === 27 ? '01' : '00';
    const reply = await post('wallet/broadcasttransaction', { ...tx, signature: [sig.slice(0, 64) + highS + recovery] });
    expect(reply).toMatchObject({ result: true });
  });

  it('refuses a second broadcast of the same transaction', async () => {
    const tx = await tronWeb.trx.sign(await tronWeb.transactionBuilder.sendTrx(bob.address, 3, alice.address));
    expect((await tronWeb.trx.sendRawTransaction(tx)).result).toBe(true);
    const again = await tronWeb.trx.sendRawTransaction(tx);
    expect(again).toMatchObject({ code: 'DUP_TRANSACTION_ERROR' });
  });

  it('refuses a transfer when the sender cannot pay for bandwidth', async () => {
    const poor = account(12);
    node.fund(poor.address, 1_000n);
    await node.mine();
    const to = account(10).address;
    const poorWeb = new TronWeb({ fullHost: node.url, privateKey: poor.privateKey });
    // The day's 600 free bandwidth pays two small transfers (java-tron's free net limit); the third must burn TRX.
    for (const amount of [1, 2]) expect(await poorWeb.trx.sendRawTransaction(await poorWeb.trx.sign(await poorWeb.transactionBuilder.sendTrx(to, amount, poor.address)))).toMatchObject({ result: true });
    await node.mine();
    const tx = await poorWeb.trx.sign(await poorWeb.transactionBuilder.sendTrx(to, 900, poor.address));
    expect(await poorWeb.trx.sendRawTransaction(tx)).toMatchObject({ code: 'BANDWITH_ERROR' });
  });

  it('mines on a timer when asked to', async () => {
    const ticking = await startTronDevnode({ blockIntervalMs: 20 });
    const start = ticking.headNumber();
    const deadline = Date.now() + 5_000;
    while (ticking.headNumber() < start + 3n && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(ticking.headNumber()).toBeGreaterThanOrEqual(start + 3n);
    await ticking.stop();
  });
});
