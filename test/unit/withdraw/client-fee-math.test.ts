import { describe, expect, it } from 'vitest';
import type { ClientFeeRule } from '@shared/domain/client-fees';
import { clientFee, feeSplit, parsePercent } from '@shared/client-fee-math';
import { DomainError } from '@shared/result';

const rule = (fixed: string, percent: string, minimum?: string): ClientFeeRule => ({ fixed, percent, mode: 'on_top', ...(minimum ? { minimum } : {}) });

describe('client withdrawal fee: fixed + percent of the amount, at least the minimum, rounded up to a base unit', () => {
  it.each<[string, bigint, ClientFeeRule, bigint]>([
    ['flat only', 100_000_000n, rule('500000', '0'), 500_000n],
    ['percent lands on a base unit', 200_000_000n, rule('500000', '0.1'), 700_000n],
    ['a fraction of a base unit rounds up', 10_000_001n, rule('0', '0.3333'), 33_331n],
    ['one base unit at 0.0001 % still costs one', 1n, rule('0', '0.0001'), 1n],
    ['the minimum wins over a small percent', 1_000_000n, rule('0', '0.25', '2000000'), 2_000_000n],
    ['the minimum loses to a larger fee', 10_000_000_000n, rule('0', '0.25', '2000000'), 25_000_000n],
    ['100 % of the amount', 7n, rule('0', '100'), 7n],
    // 18-decimal coins far past 2^64: no float anywhere (expected value from Python's integers, remainder 729615 rounds up).
    ['an 18-decimal amount beyond 64 bits', 123_456_789_012_345_678_901_234_567n, rule('1', '1.2345'), 1_524_074_060_357_407_406_035_742n],
  ])('%s', (_name, amount, r, fee) => {
    expect(clientFee(amount, r)).toBe(fee);
  });

  it('on top: the balance pays amount + fee and the amount arrives; deducted: the balance pays the amount and the net arrives', () => {
    expect(feeSplit(100n, 3n, 'on_top')).toEqual({ debited: 103n, netAmount: 100n });
    expect(feeSplit(100n, 3n, 'deducted')).toEqual({ debited: 100n, netAmount: 97n });
  });

  it.each(['-1', '100.0001', '101', '0.00001', '1e2', '', ' ', 'abc', '01'])('refuses the percent %j', (text) => {
    expect(() => parsePercent(text)).toThrow(DomainError);
  });

  it.each<[string, bigint]>([
    ['0', 0n],
    ['0.0001', 1n],
    ['0.25', 2_500n],
    ['12.5', 125_000n],
    ['100', 1_000_000n],
  ])('reads %s %% as %s parts of a million', (text, parts) => {
    expect(parsePercent(text)).toBe(parts);
  });
});
