import { HDNodeWallet } from 'ethers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { WithdrawalFeeEstimate, WithdrawalView } from '@shared/domain/withdrawals';
import type { Result } from '@shared/result';
import type { EvmDevnet } from '@test/devnet/evm';
import type { TestEngine } from '@test/engine';
import { openPolygonWithdrawals, type CallContext, type Operators } from './harness';

/** Fees before and after: the chain's quote before approval, and what the confirming transaction paid. */
const UNIT = 10n ** 6n;
let evm: EvmDevnet;
let t: TestEngine;
let ops: Operators;
let clientId: string;

const call = <T>(channel: string, payload: unknown, context?: CallContext) => t.engine.api.call(channel, payload, (context ?? ops.admin) as never) as Promise<Result<T>>;
async function ok<T>(channel: string, payload: unknown, context?: CallContext): Promise<T> {
  const result = await call<T>(channel, payload, context);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.data;
}

beforeAll(async () => {
  let client;
  ({ evm, t, ops, client } = await openPolygonWithdrawals({ holding: 1_000n * UNIT, client: 500n * UNIT, creditKey: 'credit-fees' }));
  clientId = client.id;
});
afterAll(async () => {
  await t?.dispose();
  await evm?.stop();
});

it('quotes the network fee in the native coin before approval, and shows what was paid once confirmed', async () => {
  const destination = HDNodeWallet.fromPhrase('legal winner thank year wave sausage worth useful legal winner thank yellow', undefined, "m/44'/60'/0'/0/5").address;
  const requested = await ok<WithdrawalView>('withdrawals:request', { idempotencyKey: 'w-polygon-fees', walletId: clientId, assetId: 'polygon:USDT', amount: (20n * UNIT).toString(), destination }, ops.alice);
  expect(requested.feePaid).toBeNull();
  const estimate = await ok<WithdrawalFeeEstimate>('withdrawals:feeEstimate', { withdrawalId: requested.id });
  expect(estimate.assetId).toBe('polygon:POL');
  // A token transfer's gas at Polygon's 30 gwei floor at least.
  expect(BigInt(estimate.maxFee)).toBeGreaterThan(30_000n * 30n * 10n ** 9n);

  await ok('withdrawals:approve', { withdrawalId: requested.id }, ops.bob);
  const sent = await ok<WithdrawalView>('withdrawals:sign', { withdrawalId: requested.id }, ops.bob);
  await evm.mine(3);
  expect((await t.engine.services.withdraw.tracker.track()).confirmed).toEqual([requested.id]);
  const receipt = (await evm.provider.getTransactionReceipt(sent.txHash!))!;
  const paid = receipt.gasUsed * receipt.gasPrice;
  const confirmed = await ok<WithdrawalView>('withdrawals:get', { withdrawalId: requested.id });
  expect(confirmed.feePaid).toBe(paid.toString());
  expect(paid).toBeLessThanOrEqual(BigInt(estimate.maxFee));
  const booked = await t.engine.database.db.selectFrom('ledger_transfers').select('amount').where('cause_id', '=', requested.id).where('code', '=', 'gas').executeTakeFirstOrThrow();
  expect(booked.amount).toBe(paid.toString());

  // Afterwards there is nothing to estimate: the fee is the one it paid.
  expect(await call('withdrawals:feeEstimate', { withdrawalId: requested.id })).toMatchObject({ ok: false, error: { code: 'conflict' } });
});

it('covers the fees of every token withdrawal not yet mined: a second one is refused until the first is cancelled', async () => {
  const to = (i: number) => HDNodeWallet.fromPhrase('legal winner thank year wave sausage worth useful legal winner thank yellow', undefined, `m/44'/60'/0'/0/${10 + i}`).address;
  const first = await ok<WithdrawalView>('withdrawals:request', { idempotencyKey: 'w-fee-cover-1', walletId: clientId, assetId: 'polygon:USDT', amount: (5n * UNIT).toString(), destination: to(1) }, ops.alice);
  const fee = BigInt((await ok<WithdrawalFeeEstimate>('withdrawals:feeEstimate', { withdrawalId: first.id })).maxFee);
  const holding = first.source;
  const gas = await evm.provider.getBalance(holding);
  // Enough POL for one and a half fees: the first withdrawal's and half of another's.
  await evm.setNativeBalance(holding, fee + fee / 2n);
  try {
    const second = { idempotencyKey: 'w-fee-cover-2', walletId: clientId, assetId: 'polygon:USDT', amount: (5n * UNIT).toString(), destination: to(2) };
    const refused = await call('withdrawals:request', second, ops.alice);
    expect(refused).toMatchObject({ ok: false, error: { code: 'insufficient_holding', details: { assetId: 'polygon:POL', address: holding, pendingWithdrawals: 1 } } });
    const shortfall = BigInt((refused as unknown as { error: { details: { shortfall: string } } }).error.details.shortfall);
    // About half a fee short (quotes move with the base fee between the two requests).
    expect(shortfall).toBeGreaterThan(fee / 4n);
    expect(shortfall).toBeLessThan(fee);
    expect((refused as { ok: false; error: { message: string } }).error.message).toMatch(/and the 1 other withdrawal not yet mined on it/);
    await ok('withdrawals:cancel', { withdrawalId: first.id, reason: 'makes room for the other' }, ops.alice);
    expect(await ok<WithdrawalView>('withdrawals:request', second, ops.alice)).toMatchObject({ state: 'requested' });
  } finally {
    await evm.setNativeBalance(holding, gas);
  }
});
