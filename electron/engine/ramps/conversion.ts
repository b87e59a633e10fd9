import { DomainError } from '@shared/result';

/** An exchange rate as the officer typed it, exact: numerator / 10^scale. Never a float. */
export interface Rate {
  text: string;
  numerator: bigint;
  scale: number;
}

const RATE = /^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$/;

export function parseRate(text: string): Rate {
  const value = text.trim();
  if (!RATE.test(value)) throw new DomainError('validation', 'A rate is a positive decimal like 0.9985 (at most 18 places).', { field: 'rate' });
  const [whole, fraction = ''] = value.split('.') as [string, string?];
  const numerator = BigInt(whole + fraction);
  if (numerator === 0n) throw new DomainError('validation', 'A rate must be greater than zero.', { field: 'rate' });
  return { text: value, numerator, scale: fraction.length };
}

/**
 * Converts `amount` base units of a currency with `fromDecimals` places at `rate` (units of the target
 * per whole unit of the source) into base units of a target with `toDecimals`, rounding down: the
 * company never gives out a fraction of a base unit it did not receive.
 */
export function convert(amount: bigint, fromDecimals: number, rate: Rate, toDecimals: number): bigint {
  return (amount * rate.numerator * 10n ** BigInt(toDecimals)) / (10n ** BigInt(rate.scale) * 10n ** BigInt(fromDecimals));
}
