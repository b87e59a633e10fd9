import { useCallback, useState } from 'react';
import { VALUATION_CURRENCIES, type CustodySeries, type ValuationCurrency, type ValuationTotals } from '@shared/domain/valuation';
import type { AppError } from '@shared/result';
import { treasury } from '../../api';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { useAssets } from '../../store/assets';
import { useLoadAndReloadOn } from '../../store/engine-events';
import { CustodyChart } from './CustodyChart';
import { assetName, fiatText } from './fiat';

const CURRENCY_KEY = 'treasury.valuation.currency';

function storedCurrency(): ValuationCurrency {
  const stored = localStorage.getItem(CURRENCY_KEY);
  return (VALUATION_CURRENCIES as readonly string[]).includes(stored ?? '') ? (stored as ValuationCurrency) : 'USD';
}

/** Coverage ratio string ("0.4446") as a percentage with two places, from its digits. */
function percent(ratio: string): string {
  const [whole = '0', fraction = ''] = ratio.split('.');
  const bps = BigInt(whole) * 10_000n + BigInt(fraction.padEnd(4, '0').slice(0, 4));
  return `${bps / 100n}.${(bps % 100n).toString().padStart(2, '0')}%`;
}

/** The books in the chosen currency: what clients are owed, what the company holds, coverage, and the chart. */
export function ValuationCard() {
  const [currency, setCurrency] = useState<ValuationCurrency>(storedCurrency);
  const [totals, setTotals] = useState<ValuationTotals | null>(null);
  const [series, setSeries] = useState<CustodySeries | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const byId = useAssets((s) => s.byId);

  const load = useCallback(async () => {
    const [t, s] = await Promise.all([treasury.valuation.totals({ currency }), treasury.valuation.series({ currency, days: 90 })]);
    if (t.ok) setTotals(t.data);
    if (s.ok) setSeries(s.data);
    setError(!t.ok ? t.error : !s.ok ? s.error : null);
  }, [currency]);
  useLoadAndReloadOn(load, ['balance.changed', 'deposit.confirmed'], 500);

  const choose = (next: ValuationCurrency) => {
    localStorage.setItem(CURRENCY_KEY, next);
    setCurrency(next);
  };
  const snapshot = async () => {
    setBusy(true);
    const result = await treasury.valuation.snapshot({});
    setBusy(false);
    if (result.ok) void load();
    else setError(result.error);
  };

  const priced = totals?.lines.filter((l) => l.price !== null) ?? [];
  const short = totals !== null && totals.shortfall !== '0.00';
  return (
    <section className="card" aria-labelledby="valuation-title" data-testid="dashboard-valuation">
      <div className="card__head">
        <h2 id="valuation-title">Value of the books</h2>
        <span className="spacer" />
        <label className="inline-field">
          <span className="muted small">Currency</span>
          <select value={currency} onChange={(e) => choose(e.target.value as ValuationCurrency)} data-testid="valuation-currency">
            {VALUATION_CURRENCIES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && <ErrorState error={error} onRetry={() => void load()} />}
      {totals === null && !error && <Loading what="valuation" />}
      {totals !== null && priced.length === 0 && totals.lines.length > 0 && (
        <EmptyState title={`No ${currency} prices yet`}>Enter rates (or set up a price feed) in Settings, under Prices, to see the books in {currency}.</EmptyState>
      )}
      {totals !== null && totals.lines.length === 0 && <EmptyState title="Nothing owed and nothing held yet" />}
      {totals !== null && priced.length > 0 && (
        <>
          <dl className="figures">
            <div>
              <dt>Client balances (assets under custody)</dt>
              <dd data-testid="valuation-liabilities">{fiatText(totals.totals.clientLiabilities, currency)}</dd>
            </div>
            <div>
              <dt>Company holdings</dt>
              <dd data-testid="valuation-holdings">{fiatText(totals.totals.holdings, currency)}</dd>
            </div>
            <div>
              <dt>Coverage</dt>
              <dd className={short ? 'bad strong' : 'ok'} data-testid="valuation-coverage">
                {totals.coverageRatio === null ? 'nothing owed' : percent(totals.coverageRatio)}
              </dd>
            </div>
            <div>
              <dt>Shortfall</dt>
              <dd className={short ? 'bad strong' : 'muted'} data-testid="valuation-shortfall">
                {short ? fiatText(totals.shortfall, currency) : 'none'}
              </dd>
            </div>
            <div>
              <dt>Uncovered credit</dt>
              <dd>{fiatText(totals.totals.uncoveredCredit, currency)}</dd>
            </div>
          </dl>
          {totals.unpriced.length > 0 && (
            <p className="notice notice--warning" data-testid="valuation-unpriced">
              Left out for want of a {currency} price: {totals.unpriced.map((id) => assetName(byId[id])).join(', ')}. Enter it in Settings, under Prices.
            </p>
          )}
          <p className="muted small">
            Each asset at its latest price, rounded down to the cent; a surplus in one asset never covers a shortfall in another. Prices as of{' '}
            {new Date(priced.map((l) => l.price!.asOf).sort()[0]!).toLocaleString()} at the oldest.
          </p>
        </>
      )}
      <div className="card__head">
        <h3>Assets under custody over time</h3>
        <span className="spacer" />
        <button type="button" className="secondary" disabled={busy} onClick={() => void snapshot()} data-testid="valuation-snapshot">
          {busy ? 'Taking…' : "Take today's snapshot"}
        </button>
      </div>
      {series !== null && series.points.length === 0 && (
        <EmptyState title="No snapshots yet">The engine records the books once a day while it runs; take today's now to start the chart.</EmptyState>
      )}
      {series !== null && series.points.length > 0 && <CustodyChart points={series.points} currency={currency} />}
    </section>
  );
}
