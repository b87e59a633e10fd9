import { AbiCoder, HDNodeWallet, SigningKey } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeTronAddress } from '@engine/chains/tron';
import { startTronDevnode, type TronDevnode } from '@test/devnet/tron';

/**
 * The devnode's Stake 2.0 resources against java-tron's rules (FreezeBalanceV2 / DelegateResource /
 * UnDelegateResource actuators, Energy and Bandwidth processors): free daily bandwidth, staked and delegated
 * energy used before TRX is burned, fee_limit capping staked energy too (OUT_OF_ENERGY), and the actuators'
 * refusals in their own words. Talks HTTP to the node as tronweb does, signing with plain keys.
 */
const TRX = 1_000_000n;
/** A day and a bit: blocks sealed back to back run a few seconds ahead of the wall clock. */
const DAY_MS = 86_400_000n + 600_000n;

function account(index: number) {
  const wallet = HDNodeWallet.fromPhrase('test test test test test test test test test test test junk', undefined, `m/44'/195'/0'/0/${index}`);
  return { address: normalizeTronAddress('41' + wallet.address.slice(2)), key: new SigningKey(wallet.privateKey) };
}

let node: TronDevnode;
const holding = account(40);
const deposit = account(41);
const payee = account(42);
const walker = account(43);

async function post<T = Record<string, unknown>>(endpoint: string, body: Record<string, unknown>): Promise<T> {
  const response = await fetch(`${node.url}/wallet/${endpoint}`, { method: 'POST', body: JSON.stringify({ visible: true, ...body }) });
  return (await response.json()) as T;
}

/** Signs an unsigned transaction from the node with `who` and broadcasts it; returns the node's answer. */
async function send(unsigned: { txID: string; raw_data: unknown }, who: { key: SigningKey }) {
  const sig = who.key.sign('0x' + unsigned.txID);
  const signature = sig.r.slice(2) + sig.s.slice(2) + (sig.v === 27 ? '00' : '01');
  return post<{ result?: boolean; code?: string; message?: string; txid: string }>('broadcasttransaction', { ...unsigned, signature: [signature] });
}

async function sendOk(unsigned: { txID?: string; raw_data?: unknown; Error?: string }, who: { key: SigningKey }): Promise<string> {
  if (!unsigned.txID) throw new Error(`not built: ${unsigned.Error}`);
  const outcome = await send(unsigned as { txID: string; raw_data: unknown }, who);
  if (!outcome.result) throw new Error(`refused: ${outcome.code} ${outcome.message}`);
  await node.mine();
  return outcome.txid;
}

const info = (txid: string) => post<{ fee?: number; receipt: Record<string, unknown>; result?: string }>('gettransactioninfobyid', { value: txid });
const transferTrx = (from: { address: string }, to: string, amount: bigint) => post('createtransaction', { owner_address: from.address, to_address: to, amount: Number(amount) });
const usdtTransfer = async (from: { address: string }, to: string, amount: bigint, feeLimit: bigint) => {
  const parameter = AbiCoder.defaultAbiCoder().encode(['address', 'uint256'], ['0x' + (await toHex(to)).slice(2), amount]).slice(2);
  const built = await post<{ transaction: { txID: string; raw_data: unknown } }>('triggersmartcontract', {
    owner_address: from.address,
    contract_address: node.usdtContract,
    function_selector: 'transfer(address,uint256)',
    parameter,
    fee_limit: Number(feeLimit),
  });
  return built.transaction;
};
async function toHex(address: string): Promise<string> {
  const { TronWeb } = await import('tronweb');
  return TronWeb.address.toHex(address);
}

beforeAll(async () => {
  node = await startTronDevnode({});
  node.fund(holding.address, 100_000n * TRX);
  node.fund(deposit.address, 1n * TRX);
  node.fund(payee.address, 1n * TRX);
  node.fund(walker.address, 10n * TRX);
  node.mintToken(deposit.address, 1_000n * TRX);
  node.mintToken(holding.address, 1_000n * TRX);
  await node.mine();
});
afterAll(async () => {
  await node?.stop();
});

describe('bandwidth: 600 free a day, used only for a whole transaction, then TRX burned', () => {
  it('pays the first transfers of the day from the free allowance, burns TRX once it cannot cover one, and recovers a day later', async () => {
    const fees: bigint[] = [];
    for (let i = 0; i < 3; i++) {
      const txid = await sendOk(await transferTrx(walker, payee.address, 1n), walker);
      const got = await info(txid);
      fees.push(BigInt(got.fee ?? 0));
      if (i === 0) expect(Number(got.receipt.net_usage)).toBeGreaterThan(200);
    }
    // Two ~270-byte transfers fit in 600; the third does not fit in what is left, so it is burned whole.
    expect(fees.slice(0, 2)).toEqual([0n, 0n]);
    expect(fees[2]).toBeGreaterThan(200_000n);
    expect(node.accountResources(walker.address).freeNetLimit).toBe(600n);
    node.skipTime(DAY_MS);
    await node.mine();
    expect(node.accountResources(walker.address).freeNetUsed).toBe(0n);
    const again = await sendOk(await transferTrx(walker, payee.address, 1n), walker);
    expect((await info(again)).fee).toBeUndefined();
  });
});

describe('energy: staked and delegated before burned', () => {
  it('refuses freezes and delegations java-tron refuses, in its words', async () => {
    const refused = async (endpoint: string, body: Record<string, unknown>) => ((await post(endpoint, body)) as { Error?: string }).Error ?? '';
    expect(await refused('freezebalancev2', { owner_address: holding.address, frozen_balance: 500_000, resource: 'ENERGY' })).toMatch(/frozenBalance must be more than 1TRX/);
    expect(await refused('freezebalancev2', { owner_address: payee.address, frozen_balance: Number(50n * TRX), resource: 'ENERGY' })).toMatch(/frozenBalance must be less than accountBalance/);
    expect(await refused('delegateresource', { owner_address: holding.address, receiver_address: deposit.address, balance: Number(10n * TRX), resource: 'ENERGY' })).toMatch(
      /delegateBalance must be less than available FreezeEnergyV2 balance/,
    );
    expect(await refused('undelegateresource', { owner_address: holding.address, receiver_address: deposit.address, balance: Number(TRX), resource: 'ENERGY' })).toMatch(/delegated Resource does not exist/);
  });

  it('a USDT transfer by an address with delegated energy burns no TRX; the owner gets the usage back when it undelegates', async () => {
    await sendOk(await post('freezebalancev2', { owner_address: holding.address, frozen_balance: Number(8_000n * TRX), resource: 'ENERGY' }), holding);
    const staked = node.accountResources(holding.address).energyLimit;
    // 8,000 TRX of 10 billion staked network-wide, at 90 billion energy a day: about 9 energy per TRX.
    expect(staked).toBe((8_000n * 90_000_000_000n) / (10_000_000_000n + 8_000n));
    expect(await post('delegateresource', { owner_address: holding.address, receiver_address: holding.address, balance: Number(TRX), resource: 'ENERGY' })).toMatchObject({
      Error: expect.stringMatching(/receiverAddress must not be the same as ownerAddress/),
    });
    await sendOk(await post('delegateresource', { owner_address: holding.address, receiver_address: deposit.address, balance: Number(4_000n * TRX), resource: 'ENERGY' }), holding);
    const received = node.accountResources(deposit.address).energyLimit;
    expect(received).toBeGreaterThan(31_895n);

    const trxBefore = node.trxBalance(deposit.address);
    const sweep = await sendOk(await usdtTransfer(deposit, holding.address, 100n * TRX, 30n * TRX), deposit);
    const receipt = (await info(sweep)).receipt;
    expect(receipt).toMatchObject({ energy_usage: 31_895, energy_usage_total: 31_895, result: 'SUCCESS' });
    expect(receipt.energy_fee).toBeUndefined();
    // Bandwidth from the free allowance too: the sweep cost the deposit address nothing at all.
    expect(node.trxBalance(deposit.address)).toBe(trxBefore);
    // Read a block later: usage has begun to recover (linearly over 24 hours).
    const used = node.accountResources(deposit.address).energyUsed;
    expect(used).toBeGreaterThan(31_800n);
    expect(used).toBeLessThanOrEqual(31_895n);

    await sendOk(await post('undelegateresource', { owner_address: holding.address, receiver_address: deposit.address, balance: Number(4_000n * TRX), resource: 'ENERGY' }), holding);
    expect(node.accountResources(deposit.address)).toMatchObject({ energyLimit: 0n, energyUsed: 0n });
    // The usage the deposit address made of the stake moved back to the owner (UnDelegateResourceActuator).
    expect(node.accountResources(holding.address).energyUsed).toBeGreaterThan(31_000n);
  });

  it('burns TRX for the energy the stake does not cover', async () => {
    // The holding wallet's own stake is mostly used; the remainder is burned at the energy price.
    const left = node.accountResources(holding.address).energyLimit - node.accountResources(holding.address).energyUsed;
    const txid = await sendOk(await usdtTransfer(holding, payee.address, 1n * TRX, 30n * TRX), holding);
    const receipt = (await info(txid)).receipt;
    // payee holds no USDT yet: 64,895 energy for a new holder.
    const fromStake = left < 64_895n ? left : 64_895n;
    expect(BigInt(receipt.energy_usage as number)).toBe(fromStake);
    expect(BigInt((receipt.energy_fee as number | undefined) ?? 0)).toBe((64_895n - fromStake) * 100n);
  });

  it('mines OUT_OF_ENERGY when fee_limit is below what the call needs, staked energy or not, spending all it allowed', async () => {
    node.skipTime(DAY_MS);
    await node.mine();
    expect(node.accountResources(holding.address).energyUsed).toBe(0n);
    const before = node.tokenBalance(holding.address);
    // fee_limit 1 TRX = 10,000 energy at 100 sun: the stake could pay 31,895, fee_limit caps it.
    const txid = await sendOk(await usdtTransfer(holding, payee.address, 1n * TRX, 1n * TRX), holding);
    const got = await info(txid);
    expect(got.result).toBe('FAILED');
    expect(got.receipt).toMatchObject({ result: 'OUT_OF_ENERGY', energy_usage_total: 10_000, energy_usage: 10_000 });
    expect(node.tokenBalance(holding.address)).toBe(before);
  });
});
