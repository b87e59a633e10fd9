import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PriceBookStore } from '@engine/valuation/price-book';
import { ValuationService } from '@engine/valuation/valuation-service';
import type { CustodySeries, PriceBook, SnapshotTaken, ValuationTotals } from '@shared/domain/valuation';
import type { WalletView } from '@shared/domain/wallets';
import { callOk, snapshotRows, startUnlockedEngine, type TestEngine } from '@test/engine';

/**
 * The books in fiat at rates an officer enters: each asset at its own price, rounded down to the cent,
 * totals over the priced assets, coverage and shortfall in fiat; and the daily snapshots valued at the
 * prices of their own day.
 */
const USDT = 10n ** 6n;
const POL = 10n ** 18n;
let t: TestEngine;
let wallet: WalletView;

async function book(credits: Array<{ key: string; assetId: string; amount: bigint; from: 'uncovered_credit' | 'deposit_in_transit' }>) {
  for (const c of credits) {
    await t.engine.services.ledger.transfer({
      idempotencyKey: c.key,
      debit: c.from === 'uncovered_credit' ? { kind: 'uncovered_credit', assetId: c.assetId } : { kind: 'deposit_in_transit', assetId: c.assetId, walletId: wallet.id },
      credit: { kind: 'client_wallet', assetId: c.assetId, walletId: wallet.id },
      amount: c.amount,
      code: c.from === 'uncovered_credit' ? 'company_credit' : 'deposit',
    });
  }
}

beforeAll(async () => {
  t = await startUnlockedEngine();
  wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'Valued' });
  // USDT: 2,250.50 owed, 1,000 held (a deposit), 1,250.50 of it uncovered credit. POL: 2.5 owed and held.
  await book([
    { key: 'v-credit', assetId: 'polygon:USDT', amount: 1_250_500_000n, from: 'uncovered_credit' },
    { key: 'v-deposit', assetId: 'polygon:USDT', amount: 1_000n * USDT, from: 'deposit_in_transit' },
    { key: 'v-pol', assetId: 'polygon:POL', amount: (5n * POL) / 2n, from: 'deposit_in_transit' },
  ]);
});
afterAll(() => t.dispose());

describe('valuation at entered rates', () => {
  it('values each asset at its price, totals in the chosen currency, coverage and shortfall in fiat', async () => {
    const entered = await callOk<PriceBook>(t.engine, 'valuation:setPrices', {
      prices: [
        { assetId: 'polygon:USDT', currency: 'USD', rate: '1.0002' },
        { assetId: 'polygon:POL', currency: 'USD', rate: '0.45123' },
        { assetId: 'polygon:USDT', currency: 'EUR', rate: '0.9431' },
        { assetId: 'polygon:USDT', currency: 'ARS', rate: '1010.123456789012345678' },
      ],
    });
    expect(entered.settings.source).toBe('manual');
    expect(entered.prices.find((p) => p.assetId === 'polygon:USDT' && p.currency === 'USD')).toMatchObject({ rate: '1.0002', source: 'manual', enteredBy: 'admin' });

    const usd = await callOk<ValuationTotals>(t.engine, 'valuation:totals', { currency: 'USD' });
    const usdt = usd.lines.find((l) => l.assetId === 'polygon:USDT')!;
    // 2,250.5 x 1.0002 = 2,250.9501 -> 2,250.95 (down to the cent); 1,000 x 1.0002 = 1,000.20; 1,250.5 x 1.0002 = 1,250.7501.
    expect(usdt.clientLiabilities).toEqual({ amount: '2250500000', value: '2250.95' });
    expect(usdt.holdings.value).toBe('1000.20');
    expect(usdt.uncoveredCredit.value).toBe('1250.75');
    // 2.5 POL x 0.45123 = 1.128075 -> 1.12.
    expect(usd.lines.find((l) => l.assetId === 'polygon:POL')!.clientLiabilities.value).toBe('1.12');
    expect(usd.totals).toEqual({ clientLiabilities: '2252.07', holdings: '1001.32', companyReserve: '0.00', uncoveredCredit: '1250.75' });
    // 1,001.32 / 2,252.07, truncated to four places; the shortfall is USDT's alone (POL's surplus covers nothing else).
    expect(usd.coverageRatio).toBe('0.4446');
    expect(usd.shortfall).toBe('1250.75');
    expect(usd.unpriced).toEqual([]);

    // POL has no euro price: left out of the euro totals and named.
    const eur = await callOk<ValuationTotals>(t.engine, 'valuation:totals', { currency: 'EUR' });
    expect(eur.totals.clientLiabilities).toBe('2122.44'); // 2,250.5 x 0.9431 = 2,122.44655
    expect(eur.unpriced).toEqual(['polygon:POL']);
    // Eighteen places of a peso rate, exact: 2,250.5 x 1,010.123456789012345678 = 2,273,282.8395...
    expect((await callOk<ValuationTotals>(t.engine, 'valuation:totals', { currency: 'ARS' })).totals.clientLiabilities).toBe('2273282.83');
  });

  it('audits each entry with who entered it and when', async () => {
    const record = await t.engine.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'valuation.prices_entered').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(record.operator).toBe('admin');
    const change = JSON.parse(record.change) as { prices: unknown[]; asOf: string };
    expect(change.prices).toContainEqual({ assetId: 'polygon:USDT', currency: 'USD', rate: '1.0002' });
    expect(Date.parse(change.asOf)).toBeGreaterThan(Date.now() - 60_000);
    // The latest entry wins; the earlier one stays on record.
    await callOk(t.engine, 'valuation:setPrices', { prices: [{ assetId: 'polygon:USDT', currency: 'USD', rate: '0.9999' }] });
    const book = await callOk<PriceBook>(t.engine, 'valuation:prices', {});
    expect(book.prices.filter((p) => p.assetId === 'polygon:USDT' && p.currency === 'USD').map((p) => p.rate)).toEqual(['0.9999']);
    const kept = await t.engine.database.db.selectFrom('price_rates').select('rate').where('asset_id', '=', 'polygon:USDT').where('currency', '=', 'USD').orderBy('id').execute();
    expect(kept.map((r) => r.rate)).toEqual(['1.0002', '0.9999']);
  });

  it.each([
    ['a rate in exponent form', [{ assetId: 'polygon:USDT', currency: 'USD', rate: '1e3' }], 'validation'],
    ['a negative rate', [{ assetId: 'polygon:USDT', currency: 'USD', rate: '-1' }], 'validation'],
    ['a zero rate', [{ assetId: 'polygon:USDT', currency: 'USD', rate: '0' }], 'validation'],
    ['nineteen places', [{ assetId: 'polygon:USDT', currency: 'USD', rate: '1.1234567890123456789' }], 'validation'],
    ['a rate as a number', [{ assetId: 'polygon:USDT', currency: 'USD', rate: 1.5 }], 'validation'],
    ['a currency not valued in', [{ assetId: 'polygon:USDT', currency: 'JPY', rate: '150' }], 'validation'],
    ['an asset this workspace does not have', [{ assetId: 'polygon:DOGE', currency: 'USD', rate: '0.1' }], 'not_found'],
    ['one bad line among good ones', [{ assetId: 'polygon:USDT', currency: 'MXN', rate: '17.2' }, { assetId: 'polygon:DOGE', currency: 'USD', rate: '0.1' }], 'not_found'],
  ])('refuses %s and changes nothing', async (_name, prices, code) => {
    const before = await snapshotRows(t.engine);
    expect(await t.engine.api.call('valuation:setPrices', { prices }, { door: 'test' })).toMatchObject({ ok: false, error: { code } });
    expect(await snapshotRows(t.engine)).toBe(before);
  });
});

describe('daily snapshots', () => {
  it('writes one per day, values each day at its own prices, and replaces today on demand', async () => {
    const { db } = t.engine.database;
    const { ledger, assets, audit } = t.engine.services;
    let now = Date.parse('2025-06-01T09:00:00.000Z');
    const clock = () => new Date(now);
    const prices = new PriceBookStore(db, assets, audit, clock);
    const valuation = new ValuationService({ db, ledger, assets, prices }, { now: clock });

    await prices.enter([{ assetId: 'polygon:USDT', currency: 'MXN', rate: '20' }, { assetId: 'polygon:POL', currency: 'MXN', rate: '10' }], 'officer');
    expect(await valuation.daily()).toMatchObject({ day: '2025-06-01' });
    now += 3_600_000;
    expect(await valuation.daily()).toBeNull(); // once a day
    now = Date.parse('2025-06-02T10:00:00.000Z');
    await book([{ key: 'v-day2', assetId: 'polygon:USDT', amount: 100n * USDT, from: 'uncovered_credit' }]);
    await prices.enter([{ assetId: 'polygon:USDT', currency: 'MXN', rate: '18.5' }], 'officer');
    await valuation.daily();
    now = Date.parse('2025-06-04T23:00:00.000Z');
    await valuation.daily();
    await book([{ key: 'v-day4', assetId: 'polygon:USDT', amount: 49_500_000n, from: 'uncovered_credit' }]);
    const taken = await valuation.snapshot('on_demand');
    expect(taken).toMatchObject({ day: '2025-06-04', assets: 2 });

    const series = await valuation.series('MXN', 10);
    // Day 1: 2,250.5 USDT x 20 + 2.5 POL x 10; day 2: 2,350.5 x 18.5 + 25; day 4 (on demand): 2,400 x 18.5 + 25. No day 3.
    expect(series.points).toEqual([
      { day: '2025-06-01', clientLiabilities: '45035.00', holdings: '20025.00', unpriced: [] },
      { day: '2025-06-02', clientLiabilities: '43509.25', holdings: '18525.00', unpriced: [] },
      { day: '2025-06-04', clientLiabilities: '44425.00', holdings: '18525.00', unpriced: [] },
    ]);
    // A day before any price in that currency is shown, with what it could not value named.
    const brl = await valuation.series('BRL', 10);
    expect(brl.points[0]).toEqual({ day: '2025-06-01', clientLiabilities: '0.00', holdings: '0.00', unpriced: ['polygon:POL', 'polygon:USDT'] });
  });

  it('takes today\'s snapshot through the api and charts it', async () => {
    const taken = await callOk<SnapshotTaken>(t.engine, 'valuation:snapshot', {});
    expect(taken.day).toBe(new Date().toISOString().slice(0, 10));
    const series = await callOk<CustodySeries>(t.engine, 'valuation:series', { currency: 'USD', days: 30 });
    expect(series.points.at(-1)).toMatchObject({ day: taken.day, unpriced: [] });
    expect(await t.engine.api.call('valuation:series', { currency: 'USD', days: 1 }, { door: 'test' })).toMatchObject({ ok: false, error: { code: 'validation' } });
  });
});
