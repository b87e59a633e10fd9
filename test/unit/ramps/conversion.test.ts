import { describe, expect, it } from 'vitest';
import { convert, parseRate } from '@engine/ramps/conversion';

describe('ramp conversion', () => {
  it.each([
    // amount, from decimals, rate, to decimals, expected, note
    [100_000n, 2, '0.9985', 6, 998_500_000n, '1,000.00 USD at 0.9985 USDT/USD -> 998.5 USDT'],
    [100_000n, 2, '0.9985', 18, 998_500_000_000_000_000_000n, 'the same on an 18-decimal USDT'],
    [1_000_000n, 6, '1050.25', 2, 105_025n, '1 USDT at 1,050.25 ARS -> 1,050.25 ARS'],
    [1n, 6, '0.5', 2, 0n, 'less than a cent rounds down to nothing'],
    [333n, 2, '0.333333333333333333', 6, 1_109_999n, '18-place rate, rounded down'],
    [5_000_000n, 0, '0.00105', 6, 5_250_000_000n, '5,000,000 CLP (no minor unit) at 0.00105 -> 5,250 USDT'],
  ])('converts %s base units (%i places) at %s into %i places', (amount, from, rate, to, expected) => {
    expect(convert(amount, from, parseRate(rate), to)).toBe(expected);
  });

  it.each(['0', '0.000', '-1', '1e3', '1,5', '.5', '01.5', '1.1234567890123456789', 'NaN', ''])('refuses the rate %j', (rate) => {
    expect(() => parseRate(rate)).toThrow(expect.objectContaining({ code: 'validation' }));
  });
});
