import type { Kysely } from 'kysely';
import type { PriceBook, PriceEntry, PriceSource, PriceView, ValuationCurrency, ValuationSettings } from '@shared/domain/valuation';
import { DomainError } from '@shared/result';
import type { AssetRegistry } from '../chains/asset-registry';
import type { AuditLog } from '../audit/audit-log';
import type { Database } from '../db/schema';
import { putSetting } from '../db/settings';
import { parseRate } from '../ramps/conversion';
import { readPriceFeed } from './price-feed';

const SETTINGS_KEY = 'valuation';
const DEFAULT_SETTINGS: ValuationSettings = { source: 'manual', feedUrl: null };

type PriceRow = { asset_id: string; currency: string; rate: string; source: PriceSource; entered_by: string; entered_at: string; as_of: string };

export function priceView(row: PriceRow): PriceView {
  return { assetId: row.asset_id, currency: row.currency as ValuationCurrency, rate: row.rate, source: row.source, enteredBy: row.entered_by, enteredAt: row.entered_at, asOf: row.as_of };
}

/**
 * Where prices come from and every price recorded: an officer's rates (the default; works offline) or the
 * HTTP price feed. Prices are only ever added (the table refuses changes), each batch audited in the same
 * transaction, so the value the books showed on any day can be told again.
 */
export class PriceBookStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly assets: AssetRegistry,
    private readonly audit: AuditLog,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async settings(): Promise<ValuationSettings> {
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', SETTINGS_KEY).executeTakeFirst();
    return row ? { ...DEFAULT_SETTINGS, ...(JSON.parse(row.value) as Partial<ValuationSettings>) } : DEFAULT_SETTINGS;
  }

  async updateSettings(next: ValuationSettings, operator: string): Promise<PriceBook> {
    const before = await this.settings();
    await this.db.transaction().execute(async (trx) => {
      await putSetting(trx, SETTINGS_KEY, next);
      await this.audit.record({ operator, action: 'valuation.settings_changed', entity: { type: 'settings', id: SETTINGS_KEY }, change: { before, after: next } }, trx);
    });
    return this.book();
  }

  /** The latest price per asset and currency, with the settings and the last feed read. */
  async book(): Promise<PriceBook> {
    const latest = await this.db
      .selectFrom('price_rates')
      .selectAll()
      .where('id', 'in', (eb) => eb.selectFrom('price_rates').select((e) => e.fn.max('id').as('id')).groupBy(['asset_id', 'currency']))
      .orderBy('asset_id')
      .orderBy('currency')
      .execute();
    const feed = await this.db.selectFrom('price_rates').select('entered_at').where('source', '=', 'feed').orderBy('id', 'desc').limit(1).executeTakeFirst();
    return { settings: await this.settings(), prices: latest.map(priceView), feedReadAt: feed?.entered_at ?? null };
  }

  /** Every price recorded, oldest first: the series values each day at the prices true then. */
  async history(): Promise<PriceView[]> {
    return (await this.db.selectFrom('price_rates').selectAll().orderBy('as_of').orderBy('id').execute()).map(priceView);
  }

  /** Rates an officer typed: true as of now, audited with who entered them. */
  async enter(entries: PriceEntry[], operator: string): Promise<PriceBook> {
    const known = new Set((await this.assets.list()).map((a) => a.id));
    for (const e of entries) {
      if (!known.has(e.assetId)) throw new DomainError('not_found', `There is no asset ${e.assetId} in this workspace.`, { field: 'assetId' });
      parseRate(e.rate);
    }
    const at = this.now().toISOString();
    await this.record(entries, 'manual', operator, at, at);
    return this.book();
  }

  /** Reads the feed at the configured URL and records its prices; a bad answer changes nothing. */
  async refreshFeed(operator: string): Promise<PriceBook> {
    const settings = await this.settings();
    if (!settings.feedUrl) throw new DomainError('conflict', 'No price feed is set up: give its URL in Settings first.');
    const known = new Set((await this.assets.list()).map((a) => a.id));
    const answer = await readPriceFeed(settings.feedUrl, known, this.now());
    // The same answer read again (or an older one) adds nothing.
    const last = await this.db.selectFrom('price_rates').select('as_of').where('source', '=', 'feed').orderBy('as_of', 'desc').limit(1).executeTakeFirst();
    if (!last || last.as_of < answer.asOf) await this.record(answer.entries, 'feed', operator, this.now().toISOString(), answer.asOf, settings.feedUrl);
    return this.book();
  }

  private async record(entries: PriceEntry[], source: PriceSource, operator: string, enteredAt: string, asOf: string, feedUrl?: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('price_rates')
        .values(entries.map((e) => ({ asset_id: e.assetId, currency: e.currency, rate: e.rate, source, entered_by: operator, entered_at: enteredAt, as_of: asOf })))
        .execute();
      await this.audit.record(
        {
          operator,
          action: source === 'manual' ? 'valuation.prices_entered' : 'valuation.feed_read',
          entity: { type: 'price_rates', id: asOf },
          change: { prices: entries.map((e) => ({ assetId: e.assetId, currency: e.currency, rate: e.rate })), asOf, ...(feedUrl ? { feedUrl } : {}) },
        },
        trx,
      );
    });
  }
}
