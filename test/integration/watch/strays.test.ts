import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Chain } from '@shared/domain/chains';
import type { UnidentifiedFundView } from '@shared/domain/unidentified-funds';
import type { WalletView } from '@shared/domain/wallets';
import type { Page } from '@shared/domain/ledger';
import type { DepositView } from '@shared/domain/deposits';
import { formatAmount } from '@shared/money';
import { callOk, startUnlockedEngine, type TestEngine } from '@test/engine';
import { BACKENDS } from '@test/backends';
import { startTronDevnode, type TronDevnode } from '@test/devnet/tron';
import { startDevChain, type DevChain } from './devnet-chain';
import { outsideSender, type OutsideSender } from './outside-sender';
import { startFaultyRpc, type FaultyRpc } from './faulty-rpc';
import type { ChainAlertView } from '@shared/domain/deposits';

const FAST_RETRY = { attempts: 3, baseDelayMs: 20, maxDelayMs: 100, timeoutMs: 15_000 };
const DEPTH = 3;
async function unidentified(t: TestEngine, chain?: Chain): Promise<UnidentifiedFundView[]> {
  return callOk<UnidentifiedFundView[]>(t.engine, 'wallets:unidentifiedFunds', { ...(chain ? { chain } : {}), limit: 50 });
}

const evmCases = BACKENDS.flatMap((backend) => (['polygon', 'bsc'] as const).map((chain) => [chain, backend] as const));

describe.each(evmCases)('unidentified funds on %s (%s)', (chain, backend) => {
  const other: Chain = chain === 'polygon' ? 'bsc' : 'polygon';
  let dev: DevChain;
  let t: TestEngine;
  let wallet: WalletView;
  let sender: OutsideSender;

  beforeAll(async () => {
    dev = await startDevChain(chain);
    t = await startUnlockedEngine({ backend, watch: { retry: FAST_RETRY } });
    await callOk(t.engine, 'configuration:update', { chain, rpcUrl: dev.url, confirmations: DEPTH });
    wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain, label: 'client A' });
    await t.engine.services.watch.tick(chain);
    sender = outsideSender(dev);
  });
  afterAll(async () => {
    await t?.dispose();
    await dev?.stop();
  });

  it('queues native coin a contract forwarded to a deposit address (an internal transaction), not as a deposit', async () => {
    const payout = await sender.payThroughContract(wallet.address, 3n * dev.coin);
    await dev.mine(DEPTH);
    const outcome = await t.engine.services.watch.tick(chain);
    expect(outcome.tracingUnavailable).toBe(false);

    const queued = (await unidentified(t, chain)).filter((u) => u.kind === 'internal_native');
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ chain, tokenContract: null, walletId: wallet.id, walletLabel: 'client A', from: payout.contract, txHash: payout.txHash, state: 'seen' });
    expect(formatAmount(BigInt(queued[0]!.amount), queued[0]!.decimals!)).toBe('3');
    expect(queued[0]!.symbol).toBe(chain === 'polygon' ? 'POL' : 'BNB');
    expect(queued[0]!.confirmations).toBeGreaterThanOrEqual(DEPTH);
    // The top-level payment went to the contract, so the wallet has no deposit and no balance from it.
    expect((await callOk<Page<DepositView>>(t.engine, 'wallets:deposits', { walletId: wallet.id })).items).toEqual([]);
  });

  it('queues a Transfer of a token the registry does not know, with its symbol and decimals read from the contract', async () => {
    const mint = await sender.mintUnknownToken(wallet.address, 1_234_500_000_000n, { name: 'Some Airdrop', symbol: 'AIRD', decimals: 9 });
    // Registry USDT to the same address stays an ordinary deposit.
    await dev.sendToken(wallet.address, 5n * dev.unit);
    await dev.mine(DEPTH);
    await t.engine.services.watch.tick(chain);

    const queued = (await unidentified(t, chain)).filter((u) => u.kind === 'unknown_token');
    expect(queued.map((u) => [u.tokenContract, u.symbol, u.decimals, formatAmount(BigInt(u.amount), u.decimals!), u.txHash])).toEqual([
      [mint.contract, 'AIRD', 9, '1234.5', mint.txHash],
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

  it('keeps no symbol a spam token uses to advertise (shown as an unnamed token)', async () => {
    const mint = await sender.mintUnknownToken(wallet.address, 1n, { name: 'Claim', symbol: 'Visit https://claim.example', decimals: 0 });
    await dev.mine(DEPTH);
    await t.engine.services.watch.tick(chain);
    expect((await unidentified(t, chain)).find((u) => u.txHash === mint.txHash)).toMatchObject({ kind: 'unknown_token', symbol: null, decimals: null, tokenContract: mint.contract });
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
    const mint = await sender.mintUnknownToken(wallet.address, 7_000_000n, { name: 'Fleeting', symbol: 'FLT', decimals: 6 });
    await t.engine.services.watch.tick(chain);
    expect((await unidentified(t, chain)).find((u) => u.txHash === mint.txHash)?.state).toBe('seen');
    await dev.forkFrom(mark, DEPTH + 4);
    await t.engine.services.watch.tick(chain);
    await t.engine.services.watch.tick(chain);
    const entry = (await unidentified(t, chain)).find((u) => u.txHash === mint.txHash);
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

  it('queues TRX a contract forwarded to a deposit address (internal_transactions), not as a deposit', async () => {
    const forwarder = node.deployForwarder();
    const txId = node.payThroughContract(forwarder, wallet.address, 7_500_000n);
    const direct = node.fund(wallet.address, 2_000_000n);
    await node.mine(1 + DEPTH);
    await t.engine.services.watch.tick('tron');

    const queued = (await unidentified(t, 'tron')).filter((u) => u.kind === 'internal_native');
    expect(queued.map((u) => [u.tokenContract, u.symbol, u.amount, u.txHash, u.from, u.txSender, u.walletId])).toEqual([
      [null, 'TRX', '7500000', txId, forwarder, node.faucet.address, wallet.id],
    ]);
    // The plain transfer in the same blocks is an ordinary deposit; the forwarded TRX is not.
    const deposits = (await callOk<Page<DepositView>>(t.engine, 'wallets:deposits', { walletId: wallet.id })).items;
    expect(deposits.filter((d) => d.assetId === 'tron:TRX').map((d) => [d.txHash, d.amount])).toEqual([[direct, '2000000']]);
  });
});

describe('a node without call tracing (polygon)', () => {
  let dev: DevChain;
  let front: FaultyRpc;
  let t: TestEngine;

  beforeAll(async () => {
    dev = await startDevChain('polygon');
    front = await startFaultyRpc(dev.url, { refuseMethods: ['debug_traceBlockByNumber'] });
    t = await startUnlockedEngine({ watch: { retry: FAST_RETRY } });
    await callOk(t.engine, 'configuration:update', { chain: 'polygon', rpcUrl: front.url, confirmations: DEPTH });
  });
  afterAll(async () => {
    await t?.dispose();
    await front?.stop();
    await dev?.stop();
  });

  it('still queues unknown tokens, and tells the officer once that internal transfers are not seen', async () => {
    const wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'client N' });
    await t.engine.services.watch.tick('polygon');
    const sender = outsideSender(dev);
    await sender.payThroughContract(wallet.address, dev.coin);
    const mint = await sender.mintUnknownToken(wallet.address, 5_000_000n, { name: 'Seen Anyway', symbol: 'SEEN', decimals: 6 });
    await dev.mine(DEPTH);
    const outcome = await t.engine.services.watch.tick('polygon');
    expect(outcome.tracingUnavailable).toBe(true);
    expect((await unidentified(t)).map((u) => [u.kind, u.txHash])).toEqual([['unknown_token', mint.txHash]]);
    await dev.mine(1);
    await t.engine.services.watch.tick('polygon');
    const alerts = (await callOk<ChainAlertView[]>(t.engine, 'sweeps:alerts', { chain: 'polygon', limit: 50 })).filter((a) => a.kind === 'tracing_unavailable');
    expect(alerts).toHaveLength(1);
    // The cause is the endpoint: two ticks are one alert raised once, not a count that grows every few seconds.
    expect(alerts[0]!.count).toBe(1);
  });
});
