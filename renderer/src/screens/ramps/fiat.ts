import { minorUnits, type FiatCurrency } from '@shared/domain/fiat';
import { formatAmountGrouped, parseAmount } from '@shared/money';
import { DomainError } from '@shared/result';

/** Fiat typed by the officer ("1,250.50" without the commas) as minor units, or why not. */
export function readFiat(text: string, currency: FiatCurrency): { ok: true; minor: string } | { ok: false; message: string } {
  try {
    const value = parseAmount(text, minorUnits(currency));
    if (value === 0n) return { ok: false, message: 'Amount must be greater than zero.' };
    return { ok: true, minor: value.toString() };
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, message: error.message };
    throw error;
  }
}

export function formatFiat(minor: string | null, currency: FiatCurrency | null): string {
  if (minor === null || currency === null) return '—';
  return `${currency} ${formatAmountGrouped(BigInt(minor), minorUnits(currency))}`;
}
