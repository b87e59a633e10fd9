import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BalanceExplanation, ChainReconciliation, ChainReconciliationLine } from '@shared/domain/audit';
import type { WalletView } from '@shared/domain/wallets';
import { startEvmDevnet, type EvmDevnet } from '@test/devnet/evm';
import { callOk, startUnlockedEngine, type TestEngine } from '@test/engine';

/** Reconciliation against a real anvil chain: balanced, explained by a known cause, and a difference nobody explains. */
const ASSET = 'polygon:USDT';
const USDT = 1_000_000n;
const TX = `0x${'ab'.repeat(32)}`;
let evm: EvmDevnet;
let t: TestEngine;
let wallet: WalletView;

async function line(): Promise<ChainReconciliationLine> {
  const report = await callOk<ChainReconciliation>(t.engine, 'audit:reconciliation', { chains: ['polygon'] });
  return report.lines.find((l) => l.assetId === ASSET)!;
}

beforeAll(async () => {
  evm = await startEvmDevnet({ chain: 'polygon' });
  t = await startUnlockedEngine();
  await callOk(t.engine, 'configuration:update', { chain: 'polygon', rpcUrl: evm.url });
  wallet = await t.engine.services.wallets.create({ chain: 'polygon', label: 'depositor' });
  await t.engine.services.holding.register({ chain: 'polygon', address: evm.funder.address, derivationPath: "44'/60'/0'/0/0", source: 'virtual-ledger' });
  // The holding wallet (anvil's funder) starts with no USDT; a deposit lands on the client's address and is credited.
  await evm.mintToken('USDT', wallet.address, 1_000n * USDT);
  await t.engine.services.transfers.creditDeposit({ chain: 'polygon', txHash: TX, logIndex: 3, walletId: wallet.id, assetId: ASSET, amount: 1_000n * USDT, depositId: 'dep-1' });
}, 60_000);
afterAll(async () => {
  await t?.dispose();
  await evm?.stop();
});

describe('reconciliation with the chain', () => {
  it('balances when the deposit address holds exactly what the client is owed', async () => {
    expect(await line()).toMatchObject({
      onChain: { holding: '0', depositAddresses: (1_000n * USDT).toString(), total: (1_000n * USDT).toString(), error: null },
      ledger: { clientLiabilities: (1_000n * USDT).toString(), companyReserve: '0', inTransit: (1_000n * USDT).toString() },
      difference: '0',
      causes: [],
      status: 'balanced',
    });
  });

  it('puts a company credit down to uncovered credit', async () => {
    await t.engine.services.transfers.companyCredit({ idempotencyKey: 'goodwill-1', walletId: wallet.id, assetId: ASSET, amount: 50n * USDT, reason: 'goodwill' });
    const l = await line();
    expect(l).toMatchObject({ difference: (-50n * USDT).toString(), status: 'explained' });
    expect(l.causes).toEqual([expect.objectContaining({ kind: 'uncovered_credit', amount: (-50n * USDT).toString() })]);
  });

  it('names what nobody explains: coins on chain the ledger never credited', async () => {
    await evm.mintToken('USDT', wallet.address, 7n * USDT);
    const l = await line();
    expect(l.status).toBe('unexplained');
    expect(l.causes).toContainEqual(expect.objectContaining({ kind: 'unexplained', amount: (7n * USDT).toString(), note: expect.stringContaining('not yet credited') }));
  });

  it('puts coins of a deposit seen but not yet confirmed down to that deposit', async () => {
    // The watcher's record of a deposit waiting for confirmations (written here as the watcher would).
    const now = new Date().toISOString();
    await t.engine.database.db
      .insertInto('deposits')
      .values({
        id: 'dep-seen', profile: 'devnet', chain: 'polygon', kind: 'client', wallet_id: wallet.id, asset_id: ASSET, address: wallet.address,
        from_address: evm.funder.address, amount: (7n * USDT).toString(), tx_hash: `0x${'cd'.repeat(32)}`, log_index: 0, block_number: 1,
        block_hash: `0x${'ef'.repeat(32)}`, state: 'seen', confirmations: 0, credit_round: 0, seen_at: now, updated_at: now,
      })
      .execute();
    const l = await line();
    expect(l.status).toBe('explained');
    expect(l.causes).toContainEqual(expect.objectContaining({ kind: 'in_flight', amount: (7n * USDT).toString(), note: expect.stringContaining('dep-seen') }));
    await t.engine.database.db.deleteFrom('deposits').where('id', '=', 'dep-seen').execute();
  });

  it('says which chain it could not read instead of guessing', async () => {
    await callOk(t.engine, 'configuration:update', { chain: 'bsc', rpcUrl: 'http://127.0.0.1:9' });
    const bscWallet = await t.engine.services.wallets.create({ chain: 'bsc', label: 'bsc client' });
    await t.engine.services.transfers.companyCredit({ idempotencyKey: 'bsc-credit', walletId: bscWallet.id, assetId: 'bsc:USDT', amount: 1n, reason: 'opening' });
    const report = await callOk<ChainReconciliation>(t.engine, 'audit:reconciliation', { chains: ['bsc'] });
    expect(report.lines.find((x) => x.assetId === 'bsc:USDT')).toMatchObject({ status: 'unreadable', difference: null, onChain: { total: null, error: expect.any(String) } });
  }, 60_000);

  it('links the deposit entry to its transaction, from zero to the balance the ledger keeps', async () => {
    const explanation = await callOk<BalanceExplanation>(t.engine, 'audit:explainBalance', { walletId: wallet.id, assetId: ASSET, limit: 10 });
    expect(explanation.entries[0]).toMatchObject({ code: 'deposit', postedAfter: (1_000n * USDT).toString(), chainLink: { chain: 'polygon', txHash: TX, logIndex: 3, explorerUrl: null } });
    expect(explanation).toMatchObject({ explained: true, materialized: { posted: (1_050n * USDT).toString() } });
  });
});
