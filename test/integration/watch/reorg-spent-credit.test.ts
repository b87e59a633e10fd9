import { afterAll, beforeAll, expect, it } from 'vitest';
import { Wallet } from 'ethers';
import { checkLedgerInvariants } from '@engine/ledger/invariants';
import type { ChainReconciliation } from '@shared/domain/audit';
import type { ChainAlertView, DepositView } from '@shared/domain/deposits';
import type { Page } from '@shared/domain/ledger';
import type { WalletView } from '@shared/domain/wallets';
import { startEvmDevnet, type EvmDevnet } from '@test/devnet/evm';
import { callOk, startUnlockedEngine, type TestEngine } from '@test/engine';

/**
 * A deposit credited, spent by the client, reorganised away (the reversal is refused: the balance is gone) and
 * then included again by the chain: the client is credited exactly once and the officer is told once.
 */
const DEPTH = 3;
const COIN = 10n ** 18n;
let evm: EvmDevnet;
let t: TestEngine;

beforeAll(async () => {
  evm = await startEvmDevnet({ chain: 'polygon' });
  t = await startUnlockedEngine({ watch: { retry: { attempts: 3, baseDelayMs: 20, maxDelayMs: 100, timeoutMs: 15_000 } } });
  await callOk(t.engine, 'configuration:update', { chain: 'polygon', rpcUrl: evm.url, confirmations: DEPTH });
  // An empty address of our own: the chain's total for the asset is then only what the deposits brought.
  const holding = Wallet.createRandom().address;
  await t.engine.services.holding.register({ chain: 'polygon', address: holding, derivationPath: "m/44'/60'/0'/0/1", source: 'virtual-ledger' });
}, 60_000);
afterAll(async () => {
  await t?.dispose();
  await evm?.stop();
});

const balance = async (walletId: string) => BigInt((await t.engine.services.ledger.balance({ kind: 'client_wallet', assetId: 'polygon:POL', walletId })).posted);
const deposit = async (walletId: string) => (await callOk<Page<DepositView>>(t.engine, 'wallets:deposits', { walletId })).items[0]!;
const keptAlerts = async () => (await callOk<ChainAlertView[]>(t.engine, 'sweeps:alerts', { chain: 'polygon', limit: 50 })).filter((a) => a.kind === 'reorg_credit_kept');

it('a spent credit whose transaction a reorg removed and the chain included again is credited once, with one alert', async () => {
  const { watch, transfers } = t.engine.services;
  const client = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'spender' });
  const payee = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'payee' });
  await watch.tick('polygon');

  const mark = await evm.snapshot();
  // Signed once and kept, so the very same transaction (same hash) can be included again after the reorg.
  const request = await evm.funder.populateTransaction({ to: client.address, value: 5n * COIN, chainId: evm.chainId });
  const raw = await evm.funder.signTransaction(request);
  const hash = (await evm.provider.send('eth_sendRawTransaction', [raw])) as string;
  await evm.mine(DEPTH);
  await watch.tick('polygon');
  expect(await deposit(client.id)).toMatchObject({ txHash: hash, state: 'confirmed', credited: true });
  expect(await balance(client.id)).toBe(5n * COIN);

  // The client spends it at once.
  await transfers.internalTransfer({ idempotencyKey: 'spend-1', fromWalletId: client.id, toWalletId: payee.id, assetId: 'polygon:POL', amount: 5n * COIN });

  // A longer history without the deposit replaces it; the reversal is refused, the credit stays, the officer is told.
  await evm.revert(mark);
  await evm.mine(DEPTH + 3);
  await watch.tick('polygon');
  await watch.tick('polygon');
  expect(await deposit(client.id)).toMatchObject({ state: 'orphaned', creditKept: true });
  expect(await keptAlerts()).toHaveLength(1);
  expect(await keptAlerts()).toEqual([expect.objectContaining({ details: expect.objectContaining({ walletId: client.id, amount: (5n * COIN).toString(), txHash: hash }) })]);

  // Reconciliation names the exposure: owed to the client, no coins behind it.
  const exposed = (await callOk<ChainReconciliation>(t.engine, 'audit:reconciliation', { chains: ['polygon'] })).lines.find((l) => l.assetId === 'polygon:POL')!;
  expect(exposed.status).toBe('explained');
  expect(exposed.causes).toContainEqual(expect.objectContaining({ kind: 'reorg_credit_kept', amount: (-5n * COIN).toString() }));

  // The chain includes the same transaction again.
  await evm.provider.send('eth_sendRawTransaction', [raw]).catch(() => undefined);
  expect((await evm.provider.getTransactionReceipt(hash))?.status).toBe(1);
  await evm.mine(DEPTH);
  await watch.tick('polygon');
  await watch.tick('polygon');

  expect(await deposit(client.id)).toMatchObject({ txHash: hash, state: 'confirmed', credited: true, creditKept: false });
  const credits = await t.engine.database.db.selectFrom('ledger_transfers').select(['id', 'code']).where('code', '=', 'deposit').execute();
  expect(credits).toHaveLength(1);
  expect(await balance(client.id)).toBe(0n);
  expect(await balance(payee.id)).toBe(5n * COIN);
  expect(await keptAlerts()).toHaveLength(1);
  // The coins are back at the deposit address, so the ledger and the chain agree again.
  const line = (await callOk<ChainReconciliation>(t.engine, 'audit:reconciliation', { chains: ['polygon'] })).lines.find((l) => l.assetId === 'polygon:POL');
  expect(line?.status).toBe('balanced');
  expect(await checkLedgerInvariants(t.engine.database.db)).toEqual([]);
}, 60_000);

it('a below-minimum deposit credited by hand, reorganised away and included again under a lower minimum is credited once', async () => {
  const { watch } = t.engine.services;
  const client = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'dust' });
  await callOk(t.engine, 'wallets:setDepositMinimum', { assetId: 'polygon:POL', minAmount: COIN.toString() });
  await watch.tick('polygon');

  const mark = await evm.snapshot();
  const request = await evm.funder.populateTransaction({ to: client.address, value: COIN / 2n, chainId: evm.chainId });
  const raw = await evm.funder.signTransaction(request);
  await evm.provider.send('eth_sendRawTransaction', [raw]);
  await evm.mine(DEPTH);
  await watch.tick('polygon');
  expect(await deposit(client.id)).toMatchObject({ state: 'confirmed', belowMinimum: true, credited: false });
  await callOk(t.engine, 'wallets:creditBelowMinimum', { depositId: (await deposit(client.id)).id });
  expect(await balance(client.id)).toBe(COIN / 2n);

  await evm.revert(mark);
  await evm.mine(DEPTH + 3);
  await watch.tick('polygon');
  expect((await deposit(client.id)).state).toBe('orphaned');
  // The officer lowers the minimum meanwhile; the deposit comes back.
  await callOk(t.engine, 'wallets:setDepositMinimum', { assetId: 'polygon:POL', minAmount: '0' });
  await evm.provider.send('eth_sendRawTransaction', [raw]).catch(() => undefined);
  await evm.mine(DEPTH);
  await watch.tick('polygon');
  await watch.tick('polygon');

  expect(await deposit(client.id)).toMatchObject({ state: 'confirmed', credited: true });
  expect(await balance(client.id)).toBe(COIN / 2n);
  expect(await checkLedgerInvariants(t.engine.database.db)).toEqual([]);
}, 60_000);
