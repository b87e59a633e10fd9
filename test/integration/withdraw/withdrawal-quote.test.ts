import { HDNodeWallet } from 'ethers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { WithdrawalFeeEstimate, WithdrawalQuote, WithdrawalView } from '@shared/domain/withdrawals';
import type { Result } from '@shared/result';
import type { EvmDevnet } from '@test/devnet/evm';
import type { TestEngine } from '@test/engine';
import { openPolygonWithdrawals, type CallContext, type Operators } from './harness';

/** The review step's quote before a withdrawal exists: it must be what the request then books and the chain then quotes. */
const UNIT = 10n ** 6n;
let evm: EvmDevnet;
let t: TestEngine;
let ops: Operators;
let walletId: string;
let holdingAddress: string;

const call = <T>(channel: string, payload: unknown, context?: CallContext) => t.engine.api.call(channel, payload, (context ?? ops.admin) as never) as Promise<Result<T>>;
async function ok<T>(channel: string, payload: unknown, context?: CallContext): Promise<T> {
  const result = await call<T>(channel, payload, context);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.data;
}
const to = (i: number) => HDNodeWallet.fromPhrase('legal winner thank year wave sausage worth useful legal winner thank yellow', undefined, `m/44'/60'/0'/0/${20 + i}`).address;
const available = async () => (await ok<{ balances: { assetId: string; available: string }[] }>('wallets:get', { walletId })).balances.find((b) => b.assetId === 'polygon:USDT')!.available;
const countRows = async (table: 'withdrawals' | 'audit_log') =>
  Number((await t.engine.database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

beforeAll(async () => {
  let client, holding;
  ({ evm, t, ops, client, holding } = await openPolygonWithdrawals({ holding: 1_000n * UNIT, client: 500n * UNIT, creditKey: 'credit-quote' }));
  walletId = client.id;
  holdingAddress = holding.address;
  // A client fee of 1 USDT on top, and a price for POL so the network fee has a value.
  await ok('withdrawals:feeScheduleSet', { assetId: 'polygon:USDT', rule: { fixed: (1n * UNIT).toString(), percent: '0', mode: 'on_top' } });
  await ok('valuation:setPrices', { prices: [{ assetId: 'polygon:POL', currency: 'USD', rate: '0.5' }] });
}, 120_000);
afterAll(async () => {
  await t?.dispose();
  await evm?.stop();
});

it('quotes the client fee, the net amount and the network fee that the created withdrawal then records, changing nothing', async () => {
  const request = { walletId, assetId: 'polygon:USDT', amount: (20n * UNIT).toString(), destination: to(1) };
  const [balanceBefore, rowsBefore, auditBefore] = [await available(), await countRows('withdrawals'), await countRows('audit_log')];
  const quote = await ok<WithdrawalQuote>('withdrawals:quote', request, ops.alice);
  // Nothing held, nothing written.
  expect([await available(), await countRows('withdrawals'), await countRows('audit_log')]).toEqual([balanceBefore, rowsBefore, auditBefore]);

  expect(quote.client).toMatchObject({ fee: (1n * UNIT).toString(), mode: 'on_top', netAmount: (20n * UNIT).toString(), debited: (21n * UNIT).toString() });
  expect(quote.network.assetId).toBe('polygon:POL');
  expect(quote.shortfall).toBeNull();
  // The fee at 0.5 USD per POL, rounded down to cents.
  const maxFee = BigInt(quote.network.maxFee!);
  const cents = (maxFee * 50n) / 10n ** 18n;
  expect(quote.network.values).toEqual([{ currency: 'USD', value: `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}` }]);

  const created = await ok<WithdrawalView>('withdrawals:request', { ...request, idempotencyKey: 'w-quote-1' }, ops.alice);
  expect(created).toMatchObject({ clientFee: quote.client.fee, amount: quote.client.netAmount, debited: quote.client.debited });
  const estimate = await ok<WithdrawalFeeEstimate>('withdrawals:feeEstimate', { withdrawalId: created.id });
  expect(estimate.maxFee).toBe(quote.network.maxFee);
  expect(await available()).toBe((BigInt(balanceBefore) - 21n * UNIT).toString());

  // Once signed, the transaction's own fee cap is the quoted one too.
  await ok('withdrawals:approve', { withdrawalId: created.id }, ops.bob);
  const sent = await ok<WithdrawalView>('withdrawals:sign', { withdrawalId: created.id }, ops.bob);
  const tx = (await evm.provider.getTransaction(sent.txHash!))!;
  expect((tx.gasLimit * tx.maxFeePerGas!).toString()).toBe(quote.network.maxFee);
  await evm.mine(3);
  await t.engine.services.withdraw.tracker.track();
});

it('says how much native coin the company must send when the holding wallet cannot pay the fee, as the request then refuses', async () => {
  const request = { walletId, assetId: 'polygon:USDT', amount: (5n * UNIT).toString(), destination: to(2) };
  const gas = await evm.provider.getBalance(holdingAddress);
  const fee = BigInt((await ok<WithdrawalQuote>('withdrawals:quote', request)).network.maxFee!);
  await evm.setNativeBalance(holdingAddress, fee / 2n);
  try {
    const quote = await ok<WithdrawalQuote>('withdrawals:quote', request, ops.alice);
    expect(quote.shortfall).toMatchObject({ assetId: 'polygon:POL', forFee: true, address: holdingAddress, pendingWithdrawals: 0 });
    expect(BigInt(quote.shortfall!.amount)).toBe(BigInt(quote.network.maxFee!) - fee / 2n);
    const refused = await call('withdrawals:request', { ...request, idempotencyKey: 'w-quote-2' }, ops.alice);
    expect(refused).toMatchObject({ ok: false, error: { code: 'insufficient_holding', details: { assetId: 'polygon:POL', shortfall: quote.shortfall!.amount } } });
  } finally {
    await evm.setNativeBalance(holdingAddress, gas);
  }
});

it('refuses a quote for an asset of another chain or a bad destination, as the request does', async () => {
  expect(await call('withdrawals:quote', { walletId, assetId: 'bsc:USDT', amount: '1000000', destination: to(3) })).toMatchObject({ ok: false, error: { code: 'asset_mismatch' } });
  expect(await call('withdrawals:quote', { walletId, assetId: 'polygon:USDT', amount: '1000000', destination: '0x0000000000000000000000000000000000000000' })).toMatchObject({ ok: false });
});
