import { z } from 'zod';
import { VALUATION_CURRENCIES, type PriceEntry, type ValuationCurrency } from '@shared/domain/valuation';
import { DomainError } from '@shared/result';
import { parseRate } from '../ramps/conversion';

/**
 * The price feed's answer (README "Valuation"): one JSON object,
 *   { "format": "treasury-prices/1", "asOf": "2026-12-03T12:00:00Z",
 *     "prices": { "polygon:USDT": { "USD": "1.0002", "EUR": "0.9431" }, "tron:TRX": { "USD": "0.2561" } } }
 * Prices are decimal strings (a JSON number is a float and is refused), keyed by asset id and currency.
 * Assets this workspace does not know and currencies it does not value in are skipped; anything else wrong
 * refuses the whole answer.
 */
export const PRICE_FEED_FORMAT = 'treasury-prices/1';
const MAX_BYTES = 1 << 20;
const TIMEOUT_MS = 10_000;
/** A feed's clock may run a little ahead of ours; an answer from further in the future is refused. */
const FUTURE_SLACK_MS = 5 * 60_000;

const feedSchema = z
  .object({
    format: z.literal(PRICE_FEED_FORMAT),
    asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/, 'must be a UTC time like 2026-12-03T12:00:00Z'),
    prices: z.record(z.string().max(120), z.record(z.string().max(10), z.string({ message: 'must be a decimal string like "17.25", not a number' }))),
  })
  .strict();

export interface FeedAnswer {
  asOf: string;
  entries: PriceEntry[];
}

/** Checks a feed answer's text; throws `price_feed_invalid` naming the first problem. */
export function parsePriceFeed(text: string, knownAssets: ReadonlySet<string>, now: Date): FeedAnswer {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalid('The price feed did not answer with JSON.');
  }
  const parsed = feedSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalid(`The price feed's answer is not in the expected format: ${issue.path.join('.') || 'the answer'} ${issue.message}.`);
  }
  const asOf = new Date(parsed.data.asOf);
  if (Number.isNaN(asOf.getTime())) throw invalid('The price feed gave a time that does not exist.');
  if (asOf.getTime() > now.getTime() + FUTURE_SLACK_MS) throw invalid(`The price feed's prices are dated in the future (${parsed.data.asOf}).`);
  const entries: PriceEntry[] = [];
  for (const [assetId, byCurrency] of Object.entries(parsed.data.prices)) {
    if (!knownAssets.has(assetId)) continue;
    for (const [currency, rate] of Object.entries(byCurrency)) {
      if (!(VALUATION_CURRENCIES as readonly string[]).includes(currency)) continue;
      try {
        parseRate(rate);
      } catch {
        throw invalid(`The price feed's ${currency} price of ${assetId} ("${rate.slice(0, 40)}") is not a positive decimal.`);
      }
      entries.push({ assetId, currency: currency as ValuationCurrency, rate: rate.trim() });
    }
  }
  if (entries.length === 0) throw invalid('The price feed has no price for any asset of this workspace.');
  return { asOf: asOf.toISOString(), entries };
}

/** Reads the feed over HTTP: a non-200 answer or no answer is `price_feed_unavailable`, a bad one `price_feed_invalid`. */
export async function readPriceFeed(url: string, knownAssets: ReadonlySet<string>, now: Date): Promise<FeedAnswer> {
  let text: string;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), headers: { accept: 'application/json' }, redirect: 'error' });
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new DomainError('price_feed_unavailable', `The price feed answered HTTP ${response.status}; no prices were recorded.`);
    }
    text = await readLimited(response);
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new DomainError('price_feed_unavailable', 'The price feed could not be reached; no prices were recorded.');
  }
  return parsePriceFeed(text, knownAssets, now);
}

async function readLimited(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BYTES) {
      await reader.cancel();
      throw invalid('The price feed answered more than 1 MiB.');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function invalid(message: string): DomainError {
  return new DomainError('price_feed_invalid', `${message} No prices were recorded.`);
}
