import { useState } from 'react';
import { ErrorState, Loading } from '../../components/States';
import { useControlsSettings } from './use-controls-settings';

/**
 * The controls' settings beside the withdrawal policy: how long a newly approved whitelisted destination
 * waits before its first use, and whether transfers may land in the company's own wallets (no client).
 * Only an admin may change them (the engine refuses others; the change is audited with before and after).
 */
export function ControlsSettingsCard() {
  const [hours, setHours] = useState('');
  const { settings, error, saved, load, save } = useControlsSettings((s) => setHours(String(s.whitelistTimeLockHours)));
  const hoursValid = /^\d{1,3}$/.test(hours) && Number(hours) <= 720;

  return (
    <section className="card" aria-labelledby="controls-title" data-testid="settings-controls">
      <h2 id="controls-title">Controls</h2>
      <p className="muted small">
        Four eyes always apply: nobody approves, verifies or signs what they asked for. A whitelisted destination waits for a second officer, then
        for the time lock below, before it can be paid.
      </p>
      {error && <ErrorState error={error} onRetry={() => void load()} />}
      {!settings && !error && <Loading what="the controls" />}
      {settings && (
        <form
          className="row-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (hoursValid) void save({ whitelistTimeLockHours: Number(hours) });
          }}
        >
          <label className="field">
            <span>Whitelist time lock (hours)</span>
            <input value={hours} inputMode="numeric" onChange={(e) => setHours(e.target.value)} aria-invalid={!hoursValid} data-testid="controls-time-lock" />
          </label>
          <button type="submit" disabled={!hoursValid || Number(hours) === settings.whitelistTimeLockHours}>
            Save
          </button>
          <label className="field field--checkbox">
            <input
              type="checkbox"
              checked={settings.transfersToUnownedWallets}
              onChange={(e) => void save({ transfersToUnownedWallets: e.target.checked })}
              data-testid="controls-unowned-wallets"
            />
            <span>Internal transfers may land in the company's own wallets (wallets of no client)</span>
          </label>
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
