import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAmount, formatAmountGrouped, fromBaseUnits, MAX_AMOUNT, parseAmount } from '@shared/money';
import { DomainError } from '@shared/result';

describe('parseAmount', () => {
  it.each([
    ['1', 6, 1_000_000n],
    ['0.000001', 6, 1n],
    ['1250.5', 6, 1_250_500_000n],
    ['9.223372036854775808', 18, 9_223_372_036_854_775_808n],
    ['0', 18, 0n],
    [' 12.30 ', 2, 1230n],
  ])('%s with %i decimals is %s base units', (text, decimals, expected) => {
    expect(parseAmount(text, decimals)).toBe(expected);
  });

  it.each([
    ['', 6],
    ['-1', 6],
    ['1e6', 6],
    ['1.0000001', 6],
    ['1,000', 6],
    ['01', 6],
    ['.5', 6],
    ['NaN', 6],
    ['0x10', 6],
    [(MAX_AMOUNT + 1n).toString(), 0],
  ])('refuses %j', (text, decimals) => {
    expect(() => parseAmount(text, decimals)).toThrowError(DomainError);
    try {
      parseAmount(text, decimals);
    } catch (error) {
      expect((error as DomainError).code).toBe('invalid_amount');
    }
  });

  it('formats and parses back exactly for any amount', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_AMOUNT }), fc.integer({ min: 0, max: 18 }), (value, decimals) => {
        expect(parseAmount(formatAmount(value, decimals), decimals)).toBe(value);
      }),
    );
  });

  it('groups thousands for display', () => {
    expect(formatAmountGrouped(125_000_000_000n, 6)).toBe('125,000.00');
    expect(formatAmountGrouped(1n, 6)).toBe('0.000001');
  });

  it('refuses non-canonical base units', () => {
    expect(() => fromBaseUnits('007')).toThrow(DomainError);
    expect(() => fromBaseUnits('-1')).toThrow(DomainError);
    expect(fromBaseUnits('115792089237316195423570985008687907853269984665640564039457584007913129639935')).toBe(MAX_AMOUNT);
  });
});
