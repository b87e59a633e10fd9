import { z } from 'zod';
import {
  PRICE_SOURCES,
  VALUATION_CURRENCIES,
  type CustodySeries,
  type PriceBook,
  type SnapshotTaken,
  type ValuationTotals,
} from '../../domain/valuation';
import { channel } from '../define';
import * as s from '../schemas';

const currency = z.enum(VALUATION_CURRENCIES);
/** Units of the currency per whole unit of the asset: a positive decimal, at most 18 places. */
const rate = z.string().trim().regex(/^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$/, 'Must be a positive decimal like 17.25 (at most 18 places).');

export const valuationChannels = {
  prices: channel<PriceBook>()('valuation:prices', s.empty),
  /** Rates an officer enters: recorded with who and when, audited. */
  setPrices: channel<PriceBook>()(
    'valuation:setPrices',
    z.object({ prices: z.array(z.object({ assetId: s.assetId, currency, rate }).strict()).min(1).max(500) }).strict(),
  ),
  /** Where prices come from: entered rates or the HTTP feed at feedUrl. */
  updateSettings: channel<PriceBook>()(
    'valuation:updateSettings',
    z
      .object({ source: z.enum(PRICE_SOURCES), feedUrl: s.httpUrl.nullable() })
      .strict()
      .refine((r) => r.source !== 'feed' || r.feedUrl !== null, { message: 'A price feed needs its URL.', path: ['feedUrl'] }),
  ),
  /** Reads the feed now; a bad answer is refused whole and changes nothing. */
  refreshFeed: channel<PriceBook>()('valuation:refreshFeed', s.empty),
  totals: channel<ValuationTotals>()('valuation:totals', z.object({ currency }).strict()),
  /** Assets under custody per day from the daily snapshots, valued at each day's prices. */
  series: channel<CustodySeries>()('valuation:series', z.object({ currency, days: z.number().int().min(2).max(3660).default(90) }).strict()),
  /** Takes today's snapshot now (it replaces today's earlier one). */
  snapshot: channel<SnapshotTaken>()('valuation:snapshot', s.empty),
} as const;
