import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contract, JsonRpcProvider, Wallet } from 'ethers';
import type { Asset } from '@shared/domain/assets';
import type { ChainReconciliation } from '@shared/domain/audit';
import type { GasReclaimView, GasTankView } from '@shared/domain/sweeps';
import type { UnidentifiedFundView } from '@shared/domain/unidentified-funds';
import type { WalletView } from '@shared/domain/wallets';
import { DEVNET_EVM_CHAIN_IDS } from '@shared/domain/devnet-chains';
import { checkLedgerInvariants } from '@engine/ledger/invariants';
import { callOk, startUnlockedEngine, type TestEngine, type TestOperator } from '@test/engine';
import { BACKENDS } from '@test/backends';
import { startDevChain, type DevChain } from './devnet-chain';

const FAST_RETRY = { attempts: 3, baseDelayMs: 20, maxDelayMs: 100, timeoutMs: 15_000 };
const DEPTH = 3;

/**
 * A Polygon-only wallet's address receives BNB and BNB Chain USDT: the same key signs on both chains (coin type
 * 60), so the funds go back to their sender on BNB Chain, the Polygon wallet's books untouched.
 */
describe.each(BACKENDS)('returning funds sent on the other EVM chain (%s)', (backend) => {
  let polygon: DevChain;
  let bsc: DevChain;
  let t: TestEngine;
  let maker: TestOperator;
  let checker: TestOperator;
  let wallet: WalletView;
  let outside: Wallet;
  let usdt: Contract;
  let nativeTx: string;
  let tokenTx: string;

  const entry = async (txHash: string) => (await callOk<UnidentifiedFundView[]>(t.engine, 'wallets:unidentifiedFunds', { chain: 'bsc', limit: 50 })).find((u) => u.txHash === txHash)!;
  const drive = async (done: () => Promise<boolean>) => {
    for (let i = 0; i < 30; i++) {
      await t.engine.services.watch.tick('bsc');
      await t.engine.services.sweeps.tick('bsc');
      if (await done()) return;
      await bsc.mine(1);
    }
    throw new Error('the return did not finish');
  };
  /** Every ledger account of the wallet with a balance, by asset. */
  const books = async () => {
    const rows = await t.engine.database.db.selectFrom('ledger_accounts').select(['kind', 'asset_id']).where('wallet_id', '=', wallet.id).execute();
    const out: string[] = [];
    for (const row of rows) {
      const posted = BigInt((await t.engine.services.ledger.balance({ kind: row.kind as 'deposit_gas', assetId: row.asset_id, walletId: wallet.id })).posted);
      if (posted !== 0n) out.push(`${row.kind} ${row.asset_id}`);
    }
    return out.sort();
  };

  beforeAll(async () => {
    [polygon, bsc] = await Promise.all([startDevChain('polygon'), startDevChain('bsc')]);
    t = await startUnlockedEngine({ backend, watch: { retry: FAST_RETRY }, sweeps: { retry: FAST_RETRY } });
    for (const dev of [polygon, bsc]) {
      await callOk(t.engine, 'configuration:update', { chain: dev.chain, rpcUrl: dev.url, confirmations: DEPTH });
      await t.engine.services.holding.register({ chain: dev.chain, address: dev.holdingAddress, derivationPath: "m/44'/60'/0'/0/1", source: 'virtual-ledger' });
      // Anvil pre-funds that account: emptied, the holding wallet holds only what the flows bring.
      await dev.fundNative(dev.holdingAddress, 0n);
    }
    wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'polygon only' });
    maker = await t.signInAs('officer', 'maker');
    checker = await t.signInAs('officer', 'checker');
    const tank = (await callOk<GasTankView[]>(t.engine, 'sweeps:gasTanks', {})).find((g) => g.chain === 'bsc')!;
    await bsc.fundNative(tank.address!, 10n * bsc.coin);
    await t.engine.services.watch.tick('polygon');
    await t.engine.services.watch.tick('bsc');

    // An outside party on BNB Chain pays the Polygon wallet's address with BNB and with USDT.
    const provider = new JsonRpcProvider(bsc.url, DEVNET_EVM_CHAIN_IDS.bsc, { staticNetwork: true, cacheTimeout: -1 });
    outside = new Wallet(Wallet.createRandom().privateKey, provider);
    await bsc.fundNative(outside.address, 10n * bsc.coin);
    await bsc.sendToken(outside.address, 100n * bsc.unit);
    const usdtAsset = (await callOk<Asset[]>(t.engine, 'configuration:assets', {})).find((a) => a.id === bsc.token)!;
    usdt = new Contract(usdtAsset.contract!, ['function transfer(address,uint256) returns (bool)', 'function balanceOf(address) view returns (uint256)'], outside);
    const paid = await outside.sendTransaction({ to: wallet.address, value: 3n * bsc.coin });
    await paid.wait();
    nativeTx = paid.hash;
    const sent = await usdt.getFunction('transfer')(wallet.address, 25n * bsc.unit);
    await sent.wait();
    tokenTx = sent.hash;
    await bsc.mine(DEPTH);
    await t.engine.services.watch.tick('bsc');
  });
  afterAll(async () => {
    await t?.dispose();
    await Promise.all([polygon?.stop(), bsc?.stop()]);
  });

  it('queues both as other-chain funds and refuses to credit the Polygon wallet or book them as company funds', async () => {
    for (const hash of [nativeTx, tokenTx]) {
      expect(await entry(hash)).toMatchObject({ kind: 'other_chain', chain: 'bsc', walletId: wallet.id, walletChain: 'polygon', txSender: outside.address });
      for (const action of ['credit_wallet', 'company_funds']) {
        const refused = await maker.call('wallets:proposeStrayRecovery', { id: (await entry(hash)).id, action });
        expect(refused.ok ? '' : refused.error.message).toMatch(/Return them to the sender instead/);
      }
      expect((await entry(hash)).recovery).toBeNull();
    }
  });

  it('sends the BNB back to its sender on BNB Chain after a second approval, signed by the Polygon wallet key', async () => {
    const fund = await entry(nativeTx);
    const before = await bsc.nativeBalance(outside.address);
    await callOk(t.engine, 'wallets:proposeStrayRecovery', { id: fund.id, action: 'return_to_sender' }, maker);
    expect((await entry(nativeTx)).recovery).toMatchObject({ state: 'proposed', returnTo: outside.address });
    const own = await maker.call('wallets:decideStrayRecovery', { id: fund.id, approve: true });
    expect(own.ok ? null : own.error.code).toBe('maker_checker');
    await callOk(t.engine, 'wallets:decideStrayRecovery', { id: fund.id, approve: true }, checker);
    await drive(async () => (await entry(nativeTx)).recovery?.state === 'done');

    const sweep = await t.engine.database.db.selectFrom('sweeps').selectAll().where('stray_id', '=', fund.id).executeTakeFirstOrThrow();
    expect(sweep).toMatchObject({ chain: 'bsc', wallet_id: wallet.id, from_address: wallet.address, to_address: outside.address });
    const txs = await t.engine.database.db.selectFrom('sweep_txs').selectAll().where('sweep_id', '=', sweep.id).execute();
    expect(txs.map((tx) => [tx.purpose, tx.state])).toEqual([['sweep', 'mined']]);
    expect((await bsc.nativeBalance(outside.address)) - before).toBe(BigInt(txs[0]!.value));
    expect(BigInt(txs[0]!.value) + BigInt(txs[0]!.max_fee)).toBe(3n * bsc.coin);
    // What the fee did not use stays at the address, booked as company coins there.
    const left = BigInt(txs[0]!.max_fee) - BigInt(txs[0]!.fee_paid!);
    expect(await bsc.nativeBalance(wallet.address)).toBe(left);
    expect(BigInt((await t.engine.services.ledger.balance({ kind: 'deposit_gas', assetId: bsc.native, walletId: wallet.id })).posted)).toBe(left);
  });

  it('sends the USDT back with gas from the BNB Chain gas tank; Polygon untouched, both chains reconcile', async () => {
    const fund = await entry(tokenTx);
    const polygonBefore = await polygon.nativeBalance(wallet.address);
    await callOk(t.engine, 'wallets:proposeStrayRecovery', { id: fund.id, action: 'return_to_sender' }, maker);
    await callOk(t.engine, 'wallets:decideStrayRecovery', { id: fund.id, approve: true }, checker);
    await drive(async () => (await entry(tokenTx)).recovery?.state === 'done');

    expect(await usdt.getFunction('balanceOf')(outside.address)).toBe(100n * bsc.unit);
    expect(await usdt.getFunction('balanceOf')(wallet.address)).toBe(0n);
    const sweep = await t.engine.database.db.selectFrom('sweeps').selectAll().where('stray_id', '=', fund.id).executeTakeFirstOrThrow();
    const txs = await t.engine.database.db.selectFrom('sweep_txs').select(['purpose', 'state']).where('sweep_id', '=', sweep.id).orderBy('created_at').execute();
    expect(txs.at(-1)).toEqual({ purpose: 'sweep', state: 'mined' });

    // Nothing of Polygon moved: no Polygon account of the wallet, its Polygon address as it was.
    expect((await books()).filter((b) => b.includes('polygon:'))).toEqual([]);
    expect((await books()).filter((b) => !b.startsWith('deposit_gas '))).toEqual([]);
    expect(await polygon.nativeBalance(wallet.address)).toBe(polygonBefore);
    // The gas change left at the address is the ledger's deposit gas there, so both chains reconcile.
    const gas = BigInt((await t.engine.services.ledger.balance({ kind: 'deposit_gas', assetId: bsc.native, walletId: wallet.id })).posted);
    expect(await bsc.nativeBalance(wallet.address)).toBe(gas);
    const report = await callOk<ChainReconciliation>(t.engine, 'audit:reconciliation', { chains: ['polygon', 'bsc'] });
    expect(report.lines.some((l) => l.chain === 'bsc')).toBe(true);
    for (const line of report.lines) {
      expect({ asset: line.assetId, unexplained: line.causes.filter((c) => c.kind === 'unexplained') }).toEqual({ asset: line.assetId, unexplained: [] });
      expect(line.status).not.toBe('unexplained');
    }
    expect(await checkLedgerInvariants(t.engine.database.db)).toEqual([]);
  });

  it('reclaims the gas change left at the address to the BNB Chain gas tank', async () => {
    const change = BigInt((await t.engine.services.ledger.balance({ kind: 'deposit_gas', assetId: bsc.native, walletId: wallet.id })).posted);
    expect(change).toBeGreaterThan(0n);
    const reclaim = await callOk<GasReclaimView>(t.engine, 'sweeps:reclaimGasChange', { chain: 'bsc' });
    expect(reclaim.planned.map((p) => p.walletId)).toEqual([wallet.id]);
    await drive(async () => (await t.engine.services.sweeps.get(reclaim.planned[0]!.id)).state === 'confirmed');
    expect(BigInt((await t.engine.services.ledger.balance({ kind: 'deposit_gas', assetId: bsc.native, walletId: wallet.id })).posted)).toBe(0n);
    expect(await bsc.nativeBalance(wallet.address)).toBe(0n);
    const report = await callOk<ChainReconciliation>(t.engine, 'audit:reconciliation', { chains: ['bsc'] });
    expect(report.lines.flatMap((l) => l.causes).filter((c) => c.kind === 'unexplained')).toEqual([]);
    expect(await checkLedgerInvariants(t.engine.database.db)).toEqual([]);
  });
});
