import { describe, expect, it } from 'vitest';
import { holdingChannels } from '@shared/ipc/channels/holding';
import { withdrawalChannels } from '@shared/ipc/channels/withdrawals';

const valid = {
  idempotencyKey: 'withdrawal-key-1',
  walletId: 'wallet-1',
  assetId: 'polygon:USDT',
  amount: '1250000000',
  destination: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
};

describe('withdrawals:request refuses what is not a withdrawal', () => {
  it('takes a well-formed request', () => {
    expect(withdrawalChannels.request.request.safeParse(valid).success).toBe(true);
  });

  it.each([
    ['a zero amount', { amount: '0' }],
    ['a negative amount', { amount: '-5' }],
    ['a decimal amount', { amount: '12.5' }],
    ['an exponent', { amount: '1e9' }],
    ['a number instead of a string', { amount: 1250 }],
    ['more than uint256', { amount: (2n ** 256n).toString() }],
    ['an asset id of another shape', { assetId: 'USDT' }],
    ['a short idempotency key', { idempotencyKey: 'k1' }],
    ['no destination', { destination: '' }],
    ['an unknown field', { fee: '1' }],
  ])('refuses %s', (_name, change) => {
    expect(withdrawalChannels.request.request.safeParse({ ...valid, ...change }).success).toBe(false);
  });
});

describe('policy and company withdrawal schemas', () => {
  it.each([
    [{ assetId: 'polygon:USDT', rules: { perWithdrawalLimit: '0' } }, false],
    [{ assetId: 'polygon:USDT', rules: { dailyLimit: '10.5' } }, false],
    [{ assetId: 'polygon:USDT', rules: { approvalThreshold: '0' } }, true],
    [{ assetId: 'polygon:USDT', rules: { approvalThreshold: '100', extra: '1' } }, false],
    [{ assetId: 'polygon:USDT', rules: {} }, true],
  ])('withdrawals:policySet %j -> %s', (payload, accepted) => {
    expect(withdrawalChannels.policySet.request.safeParse(payload).success).toBe(accepted);
  });

  it('holding:companyWithdraw needs a reason', () => {
    const request = { idempotencyKey: 'company-key-1', assetId: 'tron:USDT', amount: '5', destination: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t' };
    expect(holdingChannels.companyWithdraw.request.safeParse(request).success).toBe(false);
    expect(holdingChannels.companyWithdraw.request.safeParse({ ...request, reason: 'rebalance' }).success).toBe(true);
  });

  it('holding:register takes an account number within range and defaults to 0', () => {
    expect(holdingChannels.register.request.parse({ chain: 'bsc' })).toEqual({ chain: 'bsc', account: 0 });
    expect(holdingChannels.register.request.safeParse({ chain: 'bsc', account: -1 }).success).toBe(false);
    expect(holdingChannels.register.request.safeParse({ chain: 'bsc', account: 1.5 }).success).toBe(false);
  });
});
