import { useState } from 'react';
import { ErrorState, Loading } from '../../components/States';
import { useControlsSettings } from './use-controls-settings';

/**
 * Business clients: the share at which a beneficial owner's own KYC must be verified before the business
 * can be (a controls setting; only an admin may change it, and the change is audited).
 */
export function OwnerThresholdCard() {
  const [percent, setPercent] = useState('');
  const { settings, error, saved, load, save } = useControlsSettings((s) => setPercent(String(s.uboThresholdPercent)));
  const current = settings?.uboThresholdPercent ?? null;
  const valid = /^\d{1,3}$/.test(percent) && Number(percent) >= 1 && Number(percent) <= 100;

  return (
    <section className="card" aria-labelledby="owner-threshold-title" data-testid="settings-owner-threshold">
      <h2 id="owner-threshold-title">Business clients</h2>
      <p className="muted small">
        A business is verified only when every beneficial owner holding at least this share has verified KYC of their own. 25% follows FATF and the EU
        directive; some regimes ask for 10%.
      </p>
      {error && <ErrorState error={error} onRetry={() => void load()} />}
      {current === null && !error && <Loading what="the business client rule" />}
      {current !== null && (
        <form
          className="row-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (valid) void save({ uboThresholdPercent: Number(percent) });
          }}
        >
          <label className="field">
            <span>Owners to verify from (%)</span>
            <input value={percent} inputMode="numeric" onChange={(e) => setPercent(e.target.value)} aria-invalid={!valid} data-testid="owner-threshold" />
          </label>
          <button type="submit" disabled={!valid || Number(percent) === current}>
            Save
          </button>
          {saved && (
            <span className="ok small" role="status">
              Saved.
            </span>
          )}
        </form>
      )}
    </section>
  );
}
