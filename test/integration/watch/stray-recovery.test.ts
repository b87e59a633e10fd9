import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Asset } from '@shared/domain/assets';
import type { Page } from '@shared/domain/ledger';
import type { DepositView } from '@shared/domain/deposits';
import type { SweepView } from '@shared/domain/sweeps';
import type { UnidentifiedFundView } from '@shared/domain/unidentified-funds';
import type { WalletView } from '@shared/domain/wallets';
import { checkLedgerInvariants } from '@engine/ledger/invariants';
import { callOk, startUnlockedEngine, type TestEngine, type TestOperator } from '@test/engine';
import { BACKENDS } from '@test/backends';
import { startDevChain, type DevChain } from './devnet-chain';
import { outsideSender } from './outside-sender';

const FAST_RETRY = { attempts: 3, baseDelayMs: 20, maxDelayMs: 100, timeoutMs: 15_000 };
const DEPTH = 3;

describe.each(BACKENDS)('recovering unidentified funds on polygon (%s)', (backend) => {
  let dev: DevChain;
  let t: TestEngine;
  let wallet: WalletView;
  let maker: TestOperator;
  let checker: TestOperator;
  let tokenAddress: string;
  let tokenTx: string;
  let internalTx: string;

  const queue = async () => callOk<UnidentifiedFundView[]>(t.engine, 'wallets:unidentifiedFunds', { limit: 50 });
  const balance = async (spec: Parameters<TestEngine['engine']['services']['ledger']['balance']>[0]) => BigInt((await t.engine.services.ledger.balance(spec)).posted);

  beforeAll(async () => {
    dev = await startDevChain('polygon');
    t = await startUnlockedEngine({ backend, watch: { retry: FAST_RETRY }, sweeps: { retry: FAST_RETRY } });
    await callOk(t.engine, 'configuration:update', { chain: 'polygon', rpcUrl: dev.url, confirmations: DEPTH });
    await t.engine.services.holding.register({ chain: 'polygon', address: dev.holdingAddress, derivationPath: "m/44'/60'/0'/0/1", source: 'virtual-ledger' });
    wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'client R' });
    maker = await t.signInAs('officer', 'maker');
    checker = await t.signInAs('officer', 'checker');
    await t.engine.services.watch.tick('polygon');

    const sender = outsideSender(dev);
    const mint = await sender.mintUnknownToken(wallet.address, 75_000_000n, { name: 'Stray Coin', symbol: 'STRAY', decimals: 6 });
    tokenAddress = mint.contract;
    tokenTx = mint.txHash;
    internalTx = (await sender.payThroughContract(wallet.address, 4n * dev.coin)).txHash;
    await dev.mine(DEPTH);
    await t.engine.services.watch.tick('polygon');
  });
  afterAll(async () => {
    await t?.dispose();
    await dev?.stop();
  });

  it('credits an unknown token to the wallet only after a second officer approves, registering the token', async () => {
    const entry = (await queue()).find((u) => u.txHash === tokenTx)!;
    const proposed = await callOk<UnidentifiedFundView>(t.engine, 'wallets:proposeStrayRecovery', { id: entry.id, action: 'credit_wallet' }, maker);
    expect(proposed.recovery).toMatchObject({ action: 'credit_wallet', state: 'proposed', proposedBy: 'maker', decidedBy: null });

    const own = await maker.call('wallets:decideStrayRecovery', { id: entry.id, approve: true });
    expect(own.ok ? null : own.error.code).toBe('maker_checker');
    expect((await callOk<Asset[]>(t.engine, 'configuration:assets', {})).some((a) => a.contract === tokenAddress)).toBe(false);

    const decided = await callOk<UnidentifiedFundView>(t.engine, 'wallets:decideStrayRecovery', { id: entry.id, approve: true }, checker);
    expect(decided.recovery).toMatchObject({ state: 'done', decidedBy: 'checker' });
    const asset = (await callOk<Asset[]>(t.engine, 'configuration:assets', {})).find((a) => a.contract === tokenAddress);
    expect(asset).toMatchObject({ symbol: 'STRAY', decimals: 6 });
    expect(await balance({ kind: 'client_wallet', assetId: asset!.id, walletId: wallet.id })).toBe(75_000_000n);
    const deposit = (await callOk<Page<DepositView>>(t.engine, 'wallets:deposits', { walletId: wallet.id })).items.find((d) => d.txHash === tokenTx);
    expect(deposit).toMatchObject({ state: 'confirmed', credited: true, assetId: asset!.id, amount: '75000000' });

    // Decided once: a second approval or proposal is refused and books nothing.
    const again = await checker.call('wallets:decideStrayRecovery', { id: entry.id, approve: true });
    expect(again.ok).toBe(false);
    const repropose = await maker.call('wallets:proposeStrayRecovery', { id: entry.id, action: 'company_funds' });
    expect(repropose.ok ? null : repropose.error.code).toBe('conflict');
    expect(await balance({ kind: 'client_wallet', assetId: asset!.id, walletId: wallet.id })).toBe(75_000_000n);

    const audit = await t.engine.database.db.selectFrom('audit_log').select(['action', 'operator']).where('action', 'in', ['unidentified_funds.recovery_proposed', 'unidentified_funds.recovered', 'asset.registered']).execute();
    expect(audit.map((a) => [a.action, a.operator]).sort()).toEqual(
      [['asset.registered', 'checker'], ['unidentified_funds.recovered', 'checker'], ['unidentified_funds.recovery_proposed', 'maker']].sort(),
    );
  });

  it('books native coin sent by a contract as company funds, and the address key sweeps it to holding', async () => {
    const entry = (await queue()).find((u) => u.txHash === internalTx)!;
    // Rejected proposals leave the entry open; nothing is booked or sent.
    for (const action of ['return_to_sender', 'credit_wallet'] as const) {
      await callOk(t.engine, 'wallets:proposeStrayRecovery', { id: entry.id, action }, maker);
      const rejected = await callOk<UnidentifiedFundView>(t.engine, 'wallets:decideStrayRecovery', { id: entry.id, approve: false }, checker);
      expect(rejected.recovery).toBeNull();
    }

    await callOk(t.engine, 'wallets:proposeStrayRecovery', { id: entry.id, action: 'company_funds' }, maker);
    await callOk(t.engine, 'wallets:decideStrayRecovery', { id: entry.id, approve: true }, checker);
    expect(await balance({ kind: 'client_wallet', assetId: dev.native, walletId: wallet.id })).toBe(0n);
    expect(await balance({ kind: 'company_reserve', assetId: dev.native })).toBe(4n * dev.coin);
    // An officer alone cannot turn company funds two operators decided on into a client credit.
    const deposit = (await callOk<Page<DepositView>>(t.engine, 'wallets:deposits', { walletId: wallet.id })).items.find((d) => d.txHash === internalTx)!;
    const byHand = await maker.call('wallets:creditBelowMinimum', { depositId: deposit.id });
    expect(byHand.ok).toBe(false);

    const holdingBefore = await dev.nativeBalance(dev.holdingAddress);
    await callOk(t.engine, 'sweeps:sweepNow', { assetId: dev.native, walletId: wallet.id });
    for (let i = 0; i < 30; i++) {
      await t.engine.services.watch.tick('polygon');
      await t.engine.services.sweeps.tick('polygon');
      const sweeps = (await callOk<Page<SweepView>>(t.engine, 'sweeps:list', { walletId: wallet.id })).items;
      if (sweeps.some((s) => s.assetId === dev.native && s.state === 'confirmed')) break;
      await dev.mine(1);
    }
    const received = (await dev.nativeBalance(dev.holdingAddress)) - holdingBefore;
    expect(received).toBeGreaterThan(3n * dev.coin);
    expect(received).toBeLessThanOrEqual(4n * dev.coin);
    expect(await checkLedgerInvariants(t.engine.database.db)).toEqual([]);
  });
});

describe('company funds through a reorg (polygon)', () => {
  let dev: DevChain;
  let t: TestEngine;

  beforeAll(async () => {
    dev = await startDevChain('polygon');
    t = await startUnlockedEngine({ watch: { retry: FAST_RETRY } });
    await callOk(t.engine, 'configuration:update', { chain: 'polygon', rpcUrl: dev.url, confirmations: DEPTH });
  });
  afterAll(async () => {
    await t?.dispose();
    await dev?.stop();
  });

  it('a reorg reverses the booking; the transaction included again is company funds again, never a client credit', async () => {
    const wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'client Z' });
    const [maker, checker] = [await t.signInAs('officer', 'maker'), await t.signInAs('officer', 'checker')];
    const { watch, ledger } = t.engine.services;
    await watch.tick('polygon');
    const reserve = async () => BigInt((await ledger.balance({ kind: 'company_reserve', assetId: dev.native })).posted);
    const client = async () => BigInt((await ledger.balance({ kind: 'client_wallet', assetId: dev.native, walletId: wallet.id })).posted);

    const sender = outsideSender(dev);
    const mark = await dev.markFork();
    const { txHash, deployTxHash } = await sender.payThroughContract(wallet.address, 2n * dev.coin);
    const raws = [];
    for (const hash of [deployTxHash, txHash]) raws.push((await dev.rpc('eth_getRawTransactionByHash', [hash])) as string);
    await dev.mine(DEPTH);
    await watch.tick('polygon');
    const entry = (await callOk<UnidentifiedFundView[]>(t.engine, 'wallets:unidentifiedFunds', { limit: 50 })).find((u) => u.txHash === txHash)!;
    await callOk(t.engine, 'wallets:proposeStrayRecovery', { id: entry.id, action: 'company_funds' }, maker);
    await callOk(t.engine, 'wallets:decideStrayRecovery', { id: entry.id, approve: true }, checker);
    expect(await reserve()).toBe(2n * dev.coin);

    // The history without the payout (and without the contract it went through).
    await dev.forkFrom(mark, DEPTH + 4);
    await watch.tick('polygon');
    await watch.tick('polygon');
    expect(await reserve()).toBe(0n);
    expect((await callOk<UnidentifiedFundView[]>(t.engine, 'wallets:unidentifiedFunds', { limit: 50 })).find((u) => u.id === entry.id)?.state).toBe('orphaned');

    // The same signed transactions again: the contract's deployment first, then the payout.
    for (const raw of raws) await dev.rpc('eth_sendRawTransaction', [raw]);
    await dev.mine(DEPTH + 1);
    await watch.tick('polygon');
    await watch.tick('polygon');
    const back = (await callOk<UnidentifiedFundView[]>(t.engine, 'wallets:unidentifiedFunds', { limit: 50 })).find((u) => u.id === entry.id)!;
    expect(back).toMatchObject({ state: 'seen', recovery: { state: 'done', action: 'company_funds' } });
    expect(await reserve()).toBe(2n * dev.coin);
    expect(await client()).toBe(0n);
    expect(await checkLedgerInvariants(t.engine.database.db)).toEqual([]);
  });
});
