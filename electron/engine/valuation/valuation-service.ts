import type { Kysely } from 'kysely';
import type { ReconciliationLine } from '@shared/domain/ledger';
import type { CustodySeries, PriceView, SnapshotTaken, ValuationCurrency, ValuationLine, ValuationTotals, ValuedAmount } from '@shared/domain/valuation';
import { minorUnits } from '@shared/domain/fiat';
import { formatAmount } from '@shared/money';
import type { AssetRegistry } from '../chains/asset-registry';
import type { Database } from '../db/schema';
import type { Ledger } from '../ledger/ledger';
import { ratio, reconcile } from '../ledger/reconciliation';
import { convert, parseRate } from '../ramps/conversion';
import type { PriceBookStore } from './price-book';

const DAY_MS = 86_400_000;

/** A fiat amount in minor units as the boundary carries it: "1234.56", "-0.05". */
function fiat(minor: bigint, currency: ValuationCurrency): string {
  return formatAmount(minor, minorUnits(currency), minorUnits(currency));
}

export interface ValuationOptions {
  now?: () => Date;
  log?: (message: string, error?: unknown) => void;
  /** How often the daily snapshot is looked for (default hourly); it is written once per UTC day. */
  snapshotCheckMs?: number;
}

/**
 * The books in fiat: each asset's balances at its latest price (rounded down to the currency's minor unit),
 * totals over the priced assets, coverage and shortfall in fiat (a surplus in one asset never covers a
 * shortfall in another), and the daily snapshots behind the assets-under-custody chart.
 */
export class ValuationService {
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: { db: Kysely<Database>; ledger: Ledger; assets: AssetRegistry; prices: PriceBookStore },
    private readonly options: ValuationOptions = {},
  ) {}

  async totals(currency: ValuationCurrency): Promise<ValuationTotals> {
    const decimals = await this.decimals();
    const book = await this.deps.prices.book();
    const price = (assetId: string) => book.prices.find((p) => p.assetId === assetId && p.currency === currency) ?? null;
    const sums = { clientLiabilities: 0n, holdings: 0n, companyReserve: 0n, uncoveredCredit: 0n };
    let shortfall = 0n;
    const unpriced: string[] = [];
    const lines: ValuationLine[] = [];
    for (const line of await reconcile(this.deps.ledger)) {
      const p = price(line.assetId);
      const places = decimals.get(line.assetId);
      const value = (amount: string): { valued: ValuedAmount; minor: bigint | null } => {
        if (!p || places === undefined) return { valued: { amount, value: null }, minor: null };
        const minor = convert(BigInt(amount), places, parseRate(p.rate), minorUnits(currency));
        return { valued: { amount, value: fiat(minor, currency) }, minor };
      };
      const l = value(line.clientLiabilities);
      const h = value(line.holdings);
      const r = value(line.companyReserve);
      const u = value(line.uncoveredCredit);
      if (l.minor === null) {
        if (hasBalance(line)) unpriced.push(line.assetId);
      } else {
        sums.clientLiabilities += l.minor;
        sums.holdings += h.minor!;
        sums.companyReserve += r.minor!;
        sums.uncoveredCredit += u.minor!;
        if (l.minor > h.minor!) shortfall += l.minor - h.minor!;
      }
      lines.push({ assetId: line.assetId, price: p, clientLiabilities: l.valued, holdings: h.valued, companyReserve: r.valued, uncoveredCredit: u.valued });
    }
    return {
      currency,
      at: this.now().toISOString(),
      lines,
      totals: {
        clientLiabilities: fiat(sums.clientLiabilities, currency),
        holdings: fiat(sums.holdings, currency),
        companyReserve: fiat(sums.companyReserve, currency),
        uncoveredCredit: fiat(sums.uncoveredCredit, currency),
      },
      coverageRatio: sums.clientLiabilities > 0n ? ratio(sums.holdings, sums.clientLiabilities) : null,
      shortfall: fiat(shortfall, currency),
      unpriced,
    };
  }

  /** An amount of one asset in every currency it has a price in, rounded down like the totals. */
  async valueOf(assetId: string, amount: bigint): Promise<{ currency: ValuationCurrency; value: string }[]> {
    const places = (await this.decimals()).get(assetId);
    if (places === undefined) return [];
    const book = await this.deps.prices.book();
    return book.prices
      .filter((p) => p.assetId === assetId)
      .map((p) => ({ currency: p.currency, value: fiat(convert(amount, places, parseRate(p.rate), minorUnits(p.currency)), p.currency) }));
  }

  /**
   * Today's snapshot of the books per asset. 'daily' writes only when today has none (any process may try;
   * the first wins); 'on_demand' replaces today's.
   */
  async snapshot(trigger: 'daily' | 'on_demand'): Promise<SnapshotTaken> {
    const now = this.now();
    const day = now.toISOString().slice(0, 10);
    const lines = await reconcile(this.deps.ledger);
    const takenAt = now.toISOString();
    await this.deps.db.transaction().execute(async (trx) => {
      if (trigger === 'daily') {
        const taken = await trx.selectFrom('custody_snapshots').select('day').where('day', '=', day).limit(1).executeTakeFirst();
        if (taken) return;
      } else {
        await trx.deleteFrom('custody_snapshots').where('day', '=', day).execute();
      }
      if (lines.length === 0) return;
      await trx
        .insertInto('custody_snapshots')
        .values(
          lines.map((l) => ({
            day,
            asset_id: l.assetId,
            client_liabilities: l.clientLiabilities,
            holdings: l.holdings,
            company_reserve: l.companyReserve,
            uncovered_credit: l.uncoveredCredit,
            taken_at: takenAt,
            trigger,
          })),
        )
        .onConflict((oc) => oc.columns(['day', 'asset_id']).doNothing())
        .execute();
    });
    return { day, assets: lines.length, takenAt };
  }

  /** The last `days` days of snapshots, each valued at the prices in force at the end of its day. */
  async series(currency: ValuationCurrency, days: number): Promise<CustodySeries> {
    const first = new Date(this.now().getTime() - (days - 1) * DAY_MS).toISOString().slice(0, 10);
    const rows = await this.deps.db.selectFrom('custody_snapshots').selectAll().where('day', '>=', first).orderBy('day').orderBy('asset_id').execute();
    const decimals = await this.decimals();
    const history = (await this.deps.prices.history()).filter((p) => p.currency === currency);
    const byDay = new Map<string, typeof rows>();
    for (const row of rows) byDay.set(row.day, [...(byDay.get(row.day) ?? []), row]);
    const points = [...byDay.entries()].map(([day, snapshot]) => {
      const end = new Date(Date.parse(`${day}T00:00:00.000Z`) + DAY_MS).toISOString();
      const prices = pricesAt(history, end);
      let liabilities = 0n;
      let holdings = 0n;
      const unpriced: string[] = [];
      for (const row of snapshot) {
        const p = prices.get(row.asset_id);
        const places = decimals.get(row.asset_id);
        if (!p || places === undefined) {
          if (row.client_liabilities !== '0' || row.holdings !== '0') unpriced.push(row.asset_id);
          continue;
        }
        const rate = parseRate(p.rate);
        liabilities += convert(BigInt(row.client_liabilities), places, rate, minorUnits(currency));
        holdings += convert(BigInt(row.holdings), places, rate, minorUnits(currency));
      }
      return { day, clientLiabilities: fiat(liabilities, currency), holdings: fiat(holdings, currency), unpriced };
    });
    return { currency, points };
  }

  /** Once a UTC day (checked hourly and at start): read the feed when it is the source, then snapshot. */
  start(): void {
    if (this.timer) return;
    const tick = () => {
      this.running = this.daily().catch((error) => this.options.log?.('The daily valuation snapshot failed', error));
    };
    tick();
    this.timer = setInterval(tick, this.options.snapshotCheckMs ?? 3_600_000);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  async daily(): Promise<SnapshotTaken | null> {
    const day = this.now().toISOString().slice(0, 10);
    const taken = await this.deps.db.selectFrom('custody_snapshots').select('day').where('day', '=', day).limit(1).executeTakeFirst();
    if (taken) return null;
    const { settings } = await this.deps.prices.book();
    if (settings.source === 'feed' && settings.feedUrl) {
      await this.deps.prices.refreshFeed('system').catch((error) => this.options.log?.('Reading the price feed failed', error));
    }
    return this.snapshot('daily');
  }

  private async decimals(): Promise<Map<string, number>> {
    return new Map((await this.deps.assets.list()).map((a) => [a.id, a.decimals]));
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}

function hasBalance(line: ReconciliationLine): boolean {
  return [line.clientLiabilities, line.holdings, line.companyReserve, line.uncoveredCredit].some((v) => v !== '0');
}

/** The latest price per asset recorded as true before `end` (history is sorted by asOf). */
function pricesAt(history: PriceView[], end: string): Map<string, PriceView> {
  const prices = new Map<string, PriceView>();
  for (const p of history) {
    if (p.asOf >= end) break;
    prices.set(p.assetId, p);
  }
  return prices;
}
