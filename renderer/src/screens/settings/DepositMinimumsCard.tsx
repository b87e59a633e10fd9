import { useCallback, useEffect, useState } from 'react';
import type { Asset } from '@shared/domain/assets';
import type { DepositMinimumView } from '@shared/domain/deposits';
import { formatAmount, parseAmount } from '@shared/money';
import type { AppError } from '@shared/result';
import { treasury } from '../../api';
import { ErrorState, Loading } from '../../components/States';
import { useAssets } from '../../store/assets';
import { amountInWords } from '../../words/amounts';
import { assetName } from '../../words/names';

/**
 * The smallest deposit credited to a client, per asset. A smaller one is recorded as "below minimum" and not
 * credited (an officer may credit it by hand); it rides along with the address's next sweep. Admins change it;
 * each change is audited with before and after.
 */
export function DepositMinimumsCard() {
  const assets = useAssets();
  const [minimums, setMinimums] = useState<DepositMinimumView[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const load = useCallback(async () => {
    const result = await treasury.wallets.depositMinimums({});
    if (result.ok) {
      setMinimums(result.data);
      setError(null);
    } else setError(result.error);
  }, []);
  useEffect(() => void load(), [load]);
  const { loaded, error: assetsError, load: loadAssets } = assets;
  useEffect(() => {
    if (!loaded && !assetsError) void loadAssets();
  }, [loaded, assetsError, loadAssets]);

  return (
    <section className="card" aria-labelledby="minimums-title" data-testid="settings-deposit-minimums">
      <h2 id="minimums-title">Minimum deposits</h2>
      <p className="muted small">
        A deposit below its asset's minimum is recorded as below minimum and not credited to the client; an officer may credit it by hand from the
        wallet's deposits. Zero credits every deposit. Stablecoins start at 1; native coins and added tokens have no minimum until you set one.
      </p>
      {(error ?? assetsError) && <ErrorState error={(error ?? assetsError)!} onRetry={() => void (error ? load() : loadAssets())} />}
      {(!minimums || !loaded) && !error && !assetsError && <Loading what="the deposit minimums" />}
      {minimums && loaded && (
        <div className="stack stack--tight">
          {minimums.map((m) => {
            const asset = assets.byId[m.assetId];
            return asset ? (
              <MinimumRow key={m.assetId} minimum={m} asset={asset} onSaved={(next) => setMinimums((all) => all?.map((x) => (x.assetId === next.assetId ? next : x)) ?? null)} />
            ) : null;
          })}
        </div>
      )}
    </section>
  );
}

function MinimumRow({ minimum, asset, onSaved }: { minimum: DepositMinimumView; asset: Asset; onSaved(next: DepositMinimumView): void }) {
  const [text, setText] = useState(formatAmount(BigInt(minimum.minAmount), asset.decimals));
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [saved, setSaved] = useState(false);
  const parsed = toBaseUnits(text, asset.decimals);
  const dirty = parsed !== null && parsed !== minimum.minAmount;
  const id = `minimum-${asset.id.replace(/[^a-zA-Z0-9]/g, '-')}`;

  const save = async () => {
    if (parsed === null) return;
    setPending(true);
    setSaved(false);
    const result = await treasury.wallets.setDepositMinimum({ assetId: asset.id, minAmount: parsed });
    setPending(false);
    if (result.ok) {
      setError(null);
      setSaved(true);
      onSaved(result.data);
    } else setError(result.error);
  };

  return (
    <form
      className="row-form"
      data-testid={id}
      onSubmit={(e) => {
        e.preventDefault();
        if (dirty) void save();
      }}
    >
      <label className="field">
        <span>{assetName(asset)}</span>
        <input
          value={text}
          inputMode="decimal"
          aria-invalid={parsed === null}
          aria-describedby={`${id}-note`}
          onChange={(e) => {
            setText(e.target.value);
            setSaved(false);
          }}
          data-testid={`${id}-input`}
        />
      </label>
      <button type="submit" className="secondary" disabled={pending || !dirty} data-testid={`${id}-save`}>
        {pending ? 'Saving…' : 'Save'}
      </button>
      <small id={`${id}-note`} className="muted">
        {parsed === null
          ? `Give an amount in ${asset.symbol}, up to ${asset.decimals} decimal places.`
          : minimum.isDefault
            ? 'The default.'
            : `Default: ${BigInt(minimum.defaultMinAmount) === 0n ? 'none' : amountInWords(minimum.defaultMinAmount, asset)}.`}
      </small>
      {saved && (
        <span className="ok small" role="status">
          Saved.
        </span>
      )}
      {error && <ErrorState error={error} />}
    </form>
  );
}

/** What the officer typed as a base-unit decimal string; null when it is not an amount of this asset. */
function toBaseUnits(text: string, decimals: number): string | null {
  try {
    return parseAmount(text, decimals).toString();
  } catch {
    return null;
  }
}
