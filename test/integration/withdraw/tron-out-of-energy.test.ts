import { HDNodeWallet } from 'ethers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { companyFunds } from '@engine/ledger/company-funds';
import { checkLedgerInvariants } from '@engine/ledger/invariants';
import { normalizeTronAddress } from '@engine/chains/tron';
import type { ChainReconciliation } from '@shared/domain/audit';
import type { WalletView } from '@shared/domain/wallets';
import type { HoldingAddressView, WithdrawalView } from '@shared/domain/withdrawals';
import type { Result } from '@shared/result';
import { topUpCompanyNative } from '@test/company-reserve';
import { startTronDevnode, type TronDevnode } from '@test/devnet/tron';
import type { TestEngine } from '@test/engine';
import { VirtualLedger } from '@test/virtual-ledger/virtual-ledger';
import { openEngine, type Operators } from './harness';

/**
 * A Tron USDT withdrawal signed on the (virtual) Ledger at one energy price and mined after a proposal raised it:
 * java-tron mines it FAILED / OUT_OF_ENERGY, burns the fee limit, and the tokens stay. The failure is final, so
 * the withdrawal fails with the reason in words, the client's hold is released, and the burn is booked once as
 * the company's network fee, so reconciliation has no unexplained TRX.
 */
const OLD_PRICE = 100n;
const NEW_PRICE = 420n; // mainnet's getEnergyFee before the 2022-2024 proposals lowered it
const UNIT = 10n ** 6n;
const SUN = 10n ** 6n;
let tron: TronDevnode;
let t: TestEngine;
let ops: Operators;
let holding: HoldingAddressView;
let client: WalletView;

async function ok<T>(channel: string, payload: unknown, context: unknown = ops.admin): Promise<T> {
  const result = (await t.engine.api.call(channel, payload, context as never)) as Result<T>;
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message} ${JSON.stringify(result.error.details)}`);
  return result.data;
}
const db = () => t.engine.database.db;
const destination = normalizeTronAddress(`41${HDNodeWallet.fromPhrase('legal winner thank year wave sausage worth useful legal winner thank yellow', undefined, "m/44'/60'/0'/0/3").address.slice(2)}`);
async function nodeInfo(hash: string) {
  const response = await fetch(`${tron.url}/wallet/gettransactioninfobyid`, { method: 'POST', body: JSON.stringify({ value: hash.replace(/^0x/, '') }) });
  return (await response.json()) as { result?: string; fee?: number; receipt: { result?: string } };
}
async function trxLine() {
  await tron.mine(4);
  await t.engine.services.watch.tick('tron');
  const report = await ok<ChainReconciliation>('audit:reconciliation', { chains: ['tron'] });
  return report.lines.find((l) => l.assetId === 'tron:TRX')!;
}

beforeAll(async () => {
  tron = await startTronDevnode({});
  const device = new VirtualLedger({ mnemonic: 'test test test test test test test test test test test junk', app: 'tron' });
  ({ t, ops } = await openEngine({ withdrawalTrackIntervalMs: 0, signer: { openTransport: device.factory(), software: true } }));
  await ok('configuration:update', { chain: 'tron', rpcUrl: tron.url });
  holding = await ok<HoldingAddressView>('holding:register', { chain: 'tron' });
  // Every TRX at the holding wallet is the company's, booked by the watcher: reconciliation starts balanced.
  await topUpCompanyNative(t, 'tron', { tron }, holding.address, 1_000n * SUN);
  tron.mintToken(holding.address, 500n * UNIT);
  await tron.mine();
  client = await ok<WalletView>('wallets:create', { chain: 'tron', label: 'client' });
  const asked = await ok<{ id: string }>('transfers:companyCredit', { idempotencyKey: 'credit-ooe', walletId: client.id, assetId: 'tron:USDT', amount: (300n * UNIT).toString(), reason: 'test balance' });
  await ok('transfers:approveCompanyCredit', { creditId: asked.id }, ops.bob);
}, 120_000);
afterAll(async () => {
  await t?.dispose();
  await tron?.stop();
});

it('a withdrawal that runs out of energy after a price rise fails in words, releases the hold, and books the burned TRX once as the company fee', async () => {
  expect(tron.prices.getEnergyFee).toBe(OLD_PRICE);
  const { ledger } = t.engine.services;
  const clientBalance = () => ledger.balance({ kind: 'client_wallet', assetId: 'tron:USDT', walletId: client.id });
  const balanceBefore = await clientBalance();
  const ownBefore = await companyFunds(ledger, 'tron:TRX');
  const lineBefore = await trxLine();
  expect(lineBefore.causes.filter((c) => c.kind === 'unexplained')).toEqual([]);

  const requested = await ok<WithdrawalView>('withdrawals:request', { idempotencyKey: 'w-tron-out-of-energy', walletId: client.id, assetId: 'tron:USDT', amount: (120n * UNIT).toString(), destination }, ops.alice);
  await ok('withdrawals:approve', { withdrawalId: requested.id }, ops.bob);
  // Quoted at the old price (the engine keeps the network's prices a short while); a proposal passes before the
  // signed transaction is executed, so its fee_limit is too low.
  tron.setChainParameter('getEnergyFee', NEW_PRICE);
  const sent = await ok<WithdrawalView>('withdrawals:sign', { withdrawalId: requested.id }, ops.bob);
  expect(sent.state).toBe('broadcast');
  const feeLimit = BigInt((JSON.parse((await db().selectFrom('withdrawals').select('signed_raw').where('id', '=', requested.id).executeTakeFirstOrThrow()).signed_raw!) as { raw_data: { fee_limit: number } }).raw_data.fee_limit);
  await tron.mine(3);
  expect(await t.engine.services.withdraw.tracker.track()).toMatchObject({ confirmed: [], failed: [requested.id] });

  const info = await nodeInfo(sent.txHash!);
  expect(info).toMatchObject({ result: 'FAILED', receipt: { result: 'OUT_OF_ENERGY' } });
  const burned = BigInt(info.fee!);
  // The whole fee_limit burned (to the energy unit at the new price) plus the bandwidth.
  expect(burned).toBeGreaterThanOrEqual((feeLimit / NEW_PRICE) * NEW_PRICE);
  expect(tron.tokenBalance(destination)).toBe(0n);

  // The officer reads why, in words; the fee paid is the node's burn.
  const failed = await ok<WithdrawalView>('withdrawals:get', { withdrawalId: requested.id });
  expect(failed).toMatchObject({ state: 'failed', feePaid: burned.toString() });
  expect(failed.failureReason).toMatch(/ran out of energy: the network's energy price rose.*Request the withdrawal again/);
  const alert = await db().selectFrom('alerts').select('message').where('subject', '=', `withdrawal:${requested.id}`).where('kind', '=', 'withdrawal_failed').executeTakeFirstOrThrow();
  expect(alert.message).toMatch(/ran out of energy.*held amount was released.*Request it again/);

  // The burn is booked once, from the company's own TRX; the client's balance is whole again.
  const fees = await db().selectFrom('ledger_transfers').select(['idempotency_key', 'amount']).where('cause_id', '=', requested.id).where('code', '=', 'gas').execute();
  expect(fees).toEqual([{ idempotency_key: `withdrawal:${requested.id}:fee:${sent.txHash!.replace(/^0x/, '')}`, amount: burned.toString() }]);
  expect(await companyFunds(ledger, 'tron:TRX')).toBe(ownBefore - burned);
  expect(await clientBalance()).toEqual(balanceBefore);

  // The audit trail records the failure and its reason.
  const audit = await db().selectFrom('audit_log').select('change').where('entity_id', '=', requested.id).where('action', '=', 'withdrawal.failed').execute();
  expect(audit).toHaveLength(1);
  expect(audit[0]!.change).toContain('OUT_OF_ENERGY');
  expect(audit[0]!.change).toContain(sent.txHash!.replace(/^0x/, ''));

  // A second pass books nothing more; reconciliation explains every TRX unit the burn took.
  expect(await t.engine.services.withdraw.tracker.track()).toEqual({ confirmed: [], failed: [], expired: [], reorged: [] });
  expect(await db().selectFrom('ledger_transfers').select('id').where('cause_id', '=', requested.id).where('code', '=', 'gas').execute()).toHaveLength(1);
  const lineAfter = await trxLine();
  expect(lineAfter.causes.filter((c) => c.kind === 'unexplained')).toEqual([]);
  expect(lineAfter.difference).toBe(lineBefore.difference);
  expect(await checkLedgerInvariants(db())).toEqual([]);
}, 120_000);
