import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractFactory, JsonRpcProvider, Wallet, zeroPadValue } from 'ethers';
import type { Chain } from '@shared/domain/chains';
import type { UnidentifiedFundView } from '@shared/domain/unidentified-funds';
import type { WalletView } from '@shared/domain/wallets';
import type { Page } from '@shared/domain/ledger';
import type { DepositView } from '@shared/domain/deposits';
import { DEVNET_EVM_CHAIN_IDS } from '@shared/domain/devnet-chains';
import { formatAmount } from '@shared/money';
import { callOk, startUnlockedEngine, type TestEngine } from '@test/engine';
import { BACKENDS } from '@test/backends';
import artifact from '@test/devnet/TestToken.json' with { type: 'json' };
import { startTronDevnode, type TronDevnode } from '@test/devnet/tron';
import { startDevChain, type DevChain } from './devnet-chain';

const FAST_RETRY = { attempts: 3, baseDelayMs: 20, maxDelayMs: 100, timeoutMs: 15_000 };
const DEPTH = 3;
/** Anvil's well-known account 2: a sender of our own, so the devnet funder's nonces stay the harness's. */
const SENDER_KEY = '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a';

/**
 * A payout contract as exchanges use: forwards msg.value to the address in its calldata with CALL and reverts
 * when that call fails. Hand-assembled (24-byte runtime behind an 11-byte constructor that returns it):
 *   PUSH1 0 x4 (ret size/offset, args size/offset), CALLVALUE, PUSH1 0 CALLDATALOAD, GAS, CALL,
 *   ISZERO PUSH1 0x13 JUMPI STOP, JUMPDEST PUSH1 0 DUP1 REVERT
 */
const FORWARDER_INITCODE = '0x601880600b6000396000f3' + '6000600060006000346000355af115601357005b600080fd';

async function unidentified(t: TestEngine, chain?: Chain): Promise<UnidentifiedFundView[]> {
  return callOk<UnidentifiedFundView[]>(t.engine, 'wallets:unidentifiedFunds', { ...(chain ? { chain } : {}), limit: 50 });
}

const evmCases = BACKENDS.flatMap((backend) => (['polygon', 'bsc'] as const).map((chain) => [chain, backend] as const));

describe.each(evmCases)('unidentified funds on %s (%s)', (chain, backend) => {
  const other: Chain = chain === 'polygon' ? 'bsc' : 'polygon';
  let dev: DevChain;
  let t: TestEngine;
  let wallet: WalletView;
  let sender: Wallet;

  beforeAll(async () => {
    dev = await startDevChain(chain);
    t = await startUnlockedEngine({ backend, watch: { retry: FAST_RETRY } });
    await callOk(t.engine, 'configuration:update', { chain, rpcUrl: dev.url, confirmations: DEPTH });
    wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain, label: 'client A' });
    await t.engine.services.watch.tick(chain);
    sender = new Wallet(SENDER_KEY, new JsonRpcProvider(dev.url, DEVNET_EVM_CHAIN_IDS[chain], { staticNetwork: true, cacheTimeout: -1 }));
  });
  afterAll(async () => {
    await t?.dispose();
    await dev?.stop();
  });

  it('queues native coin a contract forwarded to a deposit address (an internal transaction), not as a deposit', async () => {
    const deploy = await sender.sendTransaction({ data: FORWARDER_INITCODE });
    const forwarder = (await deploy.wait())!.contractAddress!;
    const payout = await sender.sendTransaction({ to: forwarder, value: 3n * dev.coin, data: zeroPadValue(wallet.address, 32) });
    expect((await payout.wait())!.status).toBe(1);
    await dev.mine(DEPTH);
    const outcome = await t.engine.services.watch.tick(chain);
    expect(outcome.tracingUnavailable).toBe(false);

    const queued = (await unidentified(t, chain)).filter((u) => u.kind === 'internal_native');
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ chain, tokenContract: null, walletId: wallet.id, walletLabel: 'client A', from: forwarder, txHash: payout.hash, state: 'seen' });
    expect(formatAmount(BigInt(queued[0]!.amount), queued[0]!.decimals!)).toBe('3');
    expect(queued[0]!.symbol).toBe(chain === 'polygon' ? 'POL' : 'BNB');
    expect(queued[0]!.confirmations).toBeGreaterThanOrEqual(DEPTH);
    // The top-level payment went to the contract, so the wallet has no deposit and no balance from it.
    expect((await callOk<Page<DepositView>>(t.engine, 'wallets:deposits', { walletId: wallet.id })).items).toEqual([]);
  });

  it('queues a Transfer of a token the registry does not know, with its symbol and decimals read from the contract', async () => {
    const factory = new ContractFactory(artifact.abi, artifact.bytecode, sender);
    const token = await factory.deploy('Some Airdrop', 'AIRD', 9);
    await token.waitForDeployment();
    const address = await token.getAddress();
    const mint = await (token as unknown as { mint(to: string, amount: bigint): Promise<{ hash: string; wait(): Promise<unknown> }> }).mint(wallet.address, 1_234_500_000_000n);
    await mint.wait();
    // Registry USDT to the same address stays an ordinary deposit.
    await dev.sendToken(wallet.address, 5n * dev.unit);
    await dev.mine(DEPTH);
    await t.engine.services.watch.tick(chain);

    const queued = (await unidentified(t, chain)).filter((u) => u.kind === 'unknown_token');
    expect(queued.map((u) => [u.tokenContract, u.symbol, u.decimals, formatAmount(BigInt(u.amount), u.decimals!), u.txHash])).toEqual([
      [address, 'AIRD', 9, '1234.5', mint.hash],
    ]);
    const deposits = (await callOk<Page<DepositView>>(t.engine, 'wallets:deposits', { walletId: wallet.id })).items;
    expect(deposits.map((d) => d.assetId)).toEqual([dev.token]);

    // A rescan of the same blocks queues nothing twice, and the audit trail has each entry once.
    await t.engine.database.db.updateTable('watch_cursors').set({ next_block: 1 }).where('chain', '=', chain).execute();
    await t.engine.services.watch.tick(chain);
    expect(await unidentified(t, chain)).toHaveLength(2);
    const audited = await t.engine.database.db.selectFrom('audit_log').select('action').where('action', '=', 'unidentified_funds.seen').execute();
    expect(audited).toHaveLength(2);
  });

  it(`queues ${chain === 'bsc' ? 'BNB' : 'POL'} paid to the address of a wallet that only exists on ${other}`, async () => {
    const elsewhere = await callOk<WalletView>(t.engine, 'wallets:create', { chain: other, label: `${other} only` });
    const hash = await dev.sendNative(elsewhere.address, 2n * dev.coin);
    await dev.mine(DEPTH);
    await t.engine.services.watch.tick(chain);
    const queued = (await unidentified(t, chain)).filter((u) => u.kind === 'other_chain');
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ chain, walletId: elsewhere.id, walletChain: other, address: elsewhere.address, tokenContract: null, txHash: hash });
    expect(formatAmount(BigInt(queued[0]!.amount), queued[0]!.decimals!)).toBe('2');
  });

  it('a reorg that drops the transaction marks its entry orphaned', async () => {
    const mark = await dev.markFork();
    const factory = new ContractFactory(artifact.abi, artifact.bytecode, sender);
    const token = await factory.deploy('Fleeting', 'FLT', 6);
    await token.waitForDeployment();
    const mint = await (token as unknown as { mint(to: string, amount: bigint): Promise<{ hash: string; wait(): Promise<unknown> }> }).mint(wallet.address, 7_000_000n);
    await mint.wait();
    await t.engine.services.watch.tick(chain);
    expect((await unidentified(t, chain)).find((u) => u.txHash === mint.hash)?.state).toBe('seen');
    await dev.forkFrom(mark, DEPTH + 4);
    await t.engine.services.watch.tick(chain);
    await t.engine.services.watch.tick(chain);
    const entry = (await unidentified(t, chain)).find((u) => u.txHash === mint.hash);
    expect(entry?.state).toBe('orphaned');
    expect(entry?.confirmations).toBe(0);
  });
});

describe.each(BACKENDS)('unidentified funds on tron (%s)', (backend) => {
  let node: TronDevnode;
  let t: TestEngine;
  let wallet: WalletView;

  beforeAll(async () => {
    node = await startTronDevnode({});
    t = await startUnlockedEngine({ backend, watch: { retry: FAST_RETRY } });
    await callOk(t.engine, 'configuration:update', { chain: 'tron', rpcUrl: node.url, confirmations: DEPTH });
    wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'tron', label: 'client T' });
    await t.engine.services.watch.tick('tron');
  });
  afterAll(async () => {
    await t?.dispose();
    await node?.stop();
  });

  it('queues a TRC-20 transfer from a contract outside the registry; registry USDT stays a deposit', async () => {
    const contract = node.deployToken('JUNK', 8);
    const txId = node.mintToken(wallet.address, 4_200_000_000n, contract);
    node.mintToken(wallet.address, 6_000_000n);
    await node.mine(1 + DEPTH);
    await t.engine.services.watch.tick('tron');

    const queued = await unidentified(t, 'tron');
    expect(queued.map((u) => [u.kind, u.tokenContract, u.symbol, formatAmount(BigInt(u.amount), u.decimals!), u.txHash, u.walletId])).toEqual([
      ['unknown_token', contract, 'JUNK', '42', txId, wallet.id],
    ]);
    const deposits = (await callOk<Page<DepositView>>(t.engine, 'wallets:deposits', { walletId: wallet.id })).items;
    expect(deposits.map((d) => [d.assetId, d.amount])).toEqual([['tron:USDT', '6000000']]);
  });
});
