import { useCallback, useEffect, useState } from 'react';
import { VALUATION_CURRENCIES, type PriceBook, type PriceEntry, type PriceSource, type ValuationCurrency } from '@shared/domain/valuation';
import type { AppError, Result } from '@shared/result';
import { treasury } from '../../api';
import { ErrorState, Loading } from '../../components/States';
import { useAssets } from '../../store/assets';
import { assetName } from './fiat';

const RATE = /^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$/;
const key = (assetId: string, currency: string) => `${assetId}|${currency}`;

/**
 * Where the books' prices come from: rates typed here (the default, works offline; each saved with who and
 * when) or an HTTP price feed at a URL, read daily and on demand. A feed answer that is not valid is refused
 * whole and the prices stay as they were.
 */
export function PricesSection() {
  const assets = useAssets((s) => s.list);
  const [book, setBook] = useState<PriceBook | null>(null);
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [source, setSource] = useState<PriceSource>('manual');
  const [feedUrl, setFeedUrl] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const show = useCallback((next: PriceBook) => {
    setBook(next);
    setSource(next.settings.source);
    setFeedUrl(next.settings.feedUrl ?? '');
    setDraft(Object.fromEntries(next.prices.map((p) => [key(p.assetId, p.currency), p.rate])));
  }, []);
  useEffect(() => {
    void treasury.valuation.prices({}).then((r) => (r.ok ? show(r.data) : setError(r.error)));
  }, [show]);

  const run = async (name: string, work: () => Promise<Result<PriceBook>>, done: string) => {
    setBusy(name);
    setError(null);
    setNotice(null);
    const result = await work();
    setBusy(null);
    if (!result.ok) return setError(result.error);
    show(result.data);
    setNotice(done);
  };

  if (!book) return error ? <ErrorState error={error} /> : <Loading what="prices" />;
  const current = new Map(book.prices.map((p) => [key(p.assetId, p.currency), p]));
  const changed: PriceEntry[] = [];
  let invalid = false;
  for (const asset of assets) {
    for (const currency of VALUATION_CURRENCIES) {
      const value = (draft[key(asset.id, currency)] ?? '').trim();
      if (value === '' || value === current.get(key(asset.id, currency))?.rate) continue;
      if (!RATE.test(value) || /^0(\.0*)?$/.test(value)) invalid = true;
      else changed.push({ assetId: asset.id, currency, rate: value });
    }
  }
  const settingsChanged = source !== book.settings.source || (feedUrl.trim() || null) !== book.settings.feedUrl;

  return (
    <section className="card" aria-labelledby="prices-title" data-testid="settings-prices">
      <h2 id="prices-title">Prices</h2>
      <p className="muted">
        What one unit of each asset is worth, for the dashboard's value of the books and its chart. Rates typed here are the default and work offline;
        a price feed is read once a day and when asked.
      </p>
      <fieldset className="stack">
        <legend>Source</legend>
        <label>
          <input type="radio" name="price-source" checked={source === 'manual'} onChange={() => setSource('manual')} /> Rates entered here
        </label>
        <label>
          <input type="radio" name="price-source" checked={source === 'feed'} onChange={() => setSource('feed')} data-testid="price-source-feed" /> Price feed
        </label>
        {source === 'feed' && (
          <label className="field">
            <span>Feed URL (answers the treasury-prices/1 format; see the README)</span>
            <input value={feedUrl} onChange={(e) => setFeedUrl(e.target.value)} placeholder="https://prices.example.com/treasury.json" data-testid="price-feed-url" />
          </label>
        )}
        <div className="actions">
          {book.settings.source === 'feed' && (
            <button type="button" className="secondary" disabled={busy !== null} onClick={() => void run('feed', () => treasury.valuation.refreshFeed({}), 'Prices read from the feed.')} data-testid="price-feed-read">
              {busy === 'feed' ? 'Reading…' : 'Read the feed now'}
            </button>
          )}
          <button
            type="button"
            disabled={busy !== null || !settingsChanged || (source === 'feed' && feedUrl.trim() === '')}
            onClick={() => void run('settings', () => treasury.valuation.updateSettings({ source, feedUrl: feedUrl.trim() || null }), 'Price source saved.')}
            data-testid="price-source-save"
          >
            Save source
          </button>
        </div>
        {book.feedReadAt && <p className="muted small">Feed last read {new Date(book.feedReadAt).toLocaleString()}.</p>}
      </fieldset>
      <table className="price-grid">
        <thead>
          <tr>
            <th>Asset</th>
            {VALUATION_CURRENCIES.map((c) => (
              <th key={c}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {assets.map((asset) => (
            <tr key={asset.id}>
              <td>{assetName(asset)}</td>
              {VALUATION_CURRENCIES.map((currency: ValuationCurrency) => {
                const k = key(asset.id, currency);
                const price = current.get(k);
                const value = draft[k] ?? '';
                const bad = value.trim() !== '' && (!RATE.test(value.trim()) || /^0(\.0*)?$/.test(value.trim()));
                return (
                  <td key={currency}>
                    <input
                      inputMode="decimal"
                      aria-label={`${currency} per ${assetName(asset)}`}
                      value={value}
                      placeholder="no price"
                      aria-invalid={bad}
                      title={price ? `${price.source === 'feed' ? 'From the feed' : `Entered by ${price.enteredBy}`}, true as of ${new Date(price.asOf).toLocaleString()}` : undefined}
                      onChange={(e) => setDraft((d) => ({ ...d, [k]: e.target.value }))}
                      data-testid={`price-${asset.symbol}-${asset.chain}-${currency}`}
                    />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {invalid && <p className="bad">A price is a positive decimal like 17.25 (a point, no thousands separators, at most 18 places).</p>}
      {error && <ErrorState error={error} />}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <div className="actions">
        <button
          type="button"
          disabled={busy !== null || invalid || changed.length === 0}
          onClick={() => void run('rates', () => treasury.valuation.setPrices({ prices: changed }), `${changed.length} price${changed.length === 1 ? '' : 's'} saved.`)}
          data-testid="prices-save"
        >
          {busy === 'rates' ? 'Saving…' : 'Save prices'}
        </button>
      </div>
    </section>
  );
}
