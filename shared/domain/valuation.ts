/**
 * Valuation of the books in fiat. Prices are exact decimal strings ("17.2345": units of the currency per whole
 * unit of the asset); values are decimal strings of the currency with its minor units ("1234.56"). Never floats.
 */
export const VALUATION_CURRENCIES = ['USD', 'EUR', 'MXN', 'BRL', 'ARS'] as const;
export type ValuationCurrency = (typeof VALUATION_CURRENCIES)[number];

export const PRICE_SOURCES = ['manual', 'feed'] as const;
export type PriceSource = (typeof PRICE_SOURCES)[number];

export interface PriceView {
  assetId: string;
  currency: ValuationCurrency;
  rate: string;
  source: PriceSource;
  enteredBy: string;
  /** When it was recorded in the books. */
  enteredAt: string;
  /** When the price was true: the entry time, or the feed's own time. */
  asOf: string;
}

export interface ValuationSettings {
  /** Rates an officer enters (the default, works offline) or an HTTP price feed. */
  source: PriceSource;
  /** The feed's URL (http or https), read when the source is the feed. */
  feedUrl: string | null;
}

export interface PriceBook {
  settings: ValuationSettings;
  /** The latest price per asset and currency. */
  prices: PriceView[];
  /** The last time the feed was read successfully, if ever. */
  feedReadAt: string | null;
}

/** One price as entered by an officer. */
export interface PriceEntry {
  assetId: string;
  currency: ValuationCurrency;
  rate: string;
}

export interface ValuedAmount {
  /** Base units of the asset. */
  amount: string;
  /** In the currency ("1234.56"), null without a price. */
  value: string | null;
}

export interface ValuationLine {
  assetId: string;
  price: PriceView | null;
  clientLiabilities: ValuedAmount;
  holdings: ValuedAmount;
  companyReserve: ValuedAmount;
  uncoveredCredit: ValuedAmount;
}

export interface ValuationTotals {
  currency: ValuationCurrency;
  at: string;
  lines: ValuationLine[];
  /** Sums over the assets that have a price; each a decimal string in the currency. */
  totals: { clientLiabilities: string; holdings: string; companyReserve: string; uncoveredCredit: string };
  /** Holdings over liabilities in fiat, 4 places ("1.0000"); null when nothing is owed. */
  coverageRatio: string | null;
  /** What clients are owed beyond what the company holds, in fiat ("0.00" when covered). */
  shortfall: string;
  /** Assets with a balance but no price in this currency: left out of the totals, named on screen. */
  unpriced: string[];
}

export interface CustodyPoint {
  day: string;
  /** Client balances (assets under custody) and company holdings valued at that day's prices; decimal strings. */
  clientLiabilities: string;
  holdings: string;
  /** Assets of that day's snapshot without a price then. */
  unpriced: string[];
}

export interface CustodySeries {
  currency: ValuationCurrency;
  points: CustodyPoint[];
}

export interface SnapshotTaken {
  day: string;
  assets: number;
  takenAt: string;
}
