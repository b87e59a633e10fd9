import type { BankRail } from '../validation/bank-account';

/**
 * Fiat currencies the ramps settle in, with their ISO 4217 minor units: amounts are bigint counts of
 * the minor unit (cents, centavos), never floats.
 */
export const FIAT_MINOR_UNITS = {
  ARS: 2,
  BRL: 2,
  CLP: 0,
  COP: 2,
  EUR: 2,
  GBP: 2,
  MXN: 2,
  PEN: 2,
  USD: 2,
} as const;
export type FiatCurrency = keyof typeof FIAT_MINOR_UNITS;
export const FIAT_CURRENCIES = Object.keys(FIAT_MINOR_UNITS) as [FiatCurrency, ...FiatCurrency[]];

/** Which currencies move on each rail (an Argentine CBU may hold pesos or dollars). */
export const RAIL_CURRENCIES: Record<BankRail, readonly FiatCurrency[]> = {
  sepa: ['EUR'],
  spei: ['MXN'],
  ach: ['USD'],
  pix: ['BRL'],
  ar_transfer: ['ARS', 'USD'],
};

export function minorUnits(currency: FiatCurrency): number {
  return FIAT_MINOR_UNITS[currency];
}
