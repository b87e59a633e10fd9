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
