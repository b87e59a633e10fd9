import { DomainError } from './result';

/** The largest amount any supported chain can represent (uint256). */
export const MAX_AMOUNT = (1n << 256n) - 1n;

const BASE_UNITS = /^(0|[1-9][0-9]*)$/;
const DECIMAL = /^(0|[1-9][0-9]*)(\.[0-9]+)?$/;

function invalid(reason: string, input: string): never {
  throw new DomainError('invalid_amount', reason, { input });
}

/**
 * Parses a human decimal ("1250.5") into base units for an asset with `decimals` places.
 * Refuses negatives, exponents, empty strings, separators, more places than the asset has and
 * anything past uint256. Never goes through a float.
 */
export function parseAmount(text: string, decimals: number): bigint {
  const input = text.trim();
  if (input === '') invalid('Amount is empty.', text);
  if (input.startsWith('-')) invalid('Amount cannot be negative.', text);
  if (!DECIMAL.test(input)) invalid('Amount must be digits with an optional decimal point, like 1250.50.', text);
  const [whole, fraction = ''] = input.split('.') as [string, string | undefined];
  const places = fraction.replace(/^\./, '');
  if (places.length > decimals) {
    invalid(`Amount has ${places.length} decimal places; this asset has ${decimals}.`, text);
  }
  const value = BigInt(whole) * 10n ** BigInt(decimals) + BigInt(places.padEnd(decimals, '0') || '0');
  if (value > MAX_AMOUNT) invalid('Amount is larger than any chain can hold.', text);
  return value;
}

/** Formats base units as a plain decimal, trimming trailing zeros but keeping `minPlaces`. */
export function formatAmount(value: bigint, decimals: number, minPlaces = 0): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const unit = 10n ** BigInt(decimals);
  const whole = abs / unit;
  let fraction = decimals > 0 ? (abs % unit).toString().padStart(decimals, '0') : '';
  fraction = fraction.replace(/0+$/, '');
  if (fraction.length < minPlaces) fraction = fraction.padEnd(Math.min(minPlaces, decimals), '0');
  return `${negative ? '-' : ''}${whole.toString()}${fraction ? `.${fraction}` : ''}`;
}

/** Formats with thousands separators for display ("1,250.50"); display only, never parsed back. */
export function formatAmountGrouped(value: bigint, decimals: number, minPlaces = 2): string {
  const plain = formatAmount(value, decimals, minPlaces);
  const [whole, fraction] = plain.split('.') as [string, string | undefined];
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction ? `${grouped}.${fraction}` : grouped;
}

/** Base units as they cross IPC: a canonical non-negative integer string. */
export function toBaseUnits(value: bigint): string {
  if (value < 0n) throw new DomainError('invalid_amount', 'Base-unit amounts cannot be negative.');
  return value.toString();
}

export function isBaseUnits(text: string): boolean {
  return BASE_UNITS.test(text) && text.length <= 78 && BigInt(text) <= MAX_AMOUNT;
}

export function fromBaseUnits(text: string): bigint {
  if (!isBaseUnits(text)) invalid('Amount must be a whole number of base units.', text);
  return BigInt(text);
}
