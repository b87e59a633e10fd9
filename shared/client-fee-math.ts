import type { ClientFeeRule, ClientFeeMode } from './domain/client-fees';
import { DomainError } from './result';

/** Percent strings carry at most 4 decimal places: 1 % is 10_000 parts of PERCENT_SCALE. */
const PERCENT_PLACES = 4;
const PERCENT_SCALE = 100n * 10n ** BigInt(PERCENT_PLACES);
const PERCENT = /^(0|[1-9][0-9]?|100)(\.[0-9]{1,4})?$/;

/** "0.25" -> 2500 (parts of a million); refuses anything but 0..100 with at most 4 places. */
export function parsePercent(text: string): bigint {
  const input = text.trim();
  if (!PERCENT.test(input)) {
    throw new DomainError('invalid_amount', 'The percent must be a number from 0 to 100 with at most 4 decimal places, like 0.25.', { input: text });
  }
  const [whole, fraction = ''] = input.split('.') as [string, string | undefined];
  const parts = BigInt(whole) * 10n ** BigInt(PERCENT_PLACES) + BigInt(fraction.padEnd(PERCENT_PLACES, '0'));
  if (parts > PERCENT_SCALE) throw new DomainError('invalid_amount', 'The percent cannot be above 100.', { input: text });
  return parts;
}

/**
 * The client's fee on `amount` base units: fixed + percent of the amount, at least the minimum.
 * Exact integer math; the percent part is rounded UP to the next whole base unit (a fraction of a base unit
 * cannot be charged, and rounding down would charge less than the published percent).
 */
export function clientFee(amount: bigint, rule: ClientFeeRule): bigint {
  const parts = parsePercent(rule.percent);
  const share = (amount * parts + PERCENT_SCALE - 1n) / PERCENT_SCALE;
  const fee = BigInt(rule.fixed) + share;
  const minimum = rule.minimum !== undefined ? BigInt(rule.minimum) : 0n;
  return fee > minimum ? fee : minimum;
}

/** What leaves the balance and what arrives, for `requested` under `mode`. */
export function feeSplit(requested: bigint, fee: bigint, mode: ClientFeeMode): { debited: bigint; netAmount: bigint } {
  return mode === 'on_top' ? { debited: requested + fee, netAmount: requested } : { debited: requested, netAmount: requested - fee };
}
