import type { PriceBookStore } from '../valuation/price-book';
import type { ValuationService } from '../valuation/valuation-service';
import type { AreaHandlers } from './types';

export const valuationHandlers = (prices: PriceBookStore, valuation: ValuationService): AreaHandlers<'valuation'> => ({
  prices: () => prices.book(),
  setPrices: ({ prices: entries }, context) => prices.enter(entries, context.operator ?? 'officer'),
  updateSettings: (settings, context) => prices.updateSettings(settings, context.operator ?? 'officer'),
  refreshFeed: (_request, context) => prices.refreshFeed(context.operator ?? 'officer'),
  totals: ({ currency }) => valuation.totals(currency),
  series: ({ currency, days }) => valuation.series(currency, days),
  snapshot: () => valuation.snapshot('on_demand'),
});
