import { useCallback, useEffect, useState } from 'react';
import type { ControlsSettings } from '@shared/domain/controls';
import { RISK_LEVELS, RISK_LEVEL_LABELS } from '@shared/domain/screening';
import type { AppError } from '@shared/result';
import { treasury } from '../../api';
import { ErrorState, Loading } from '../../components/States';

/**
 * The controls' settings beside the withdrawal policy: how long a newly approved whitelisted destination
 * waits before its first use, and whether transfers may land in the company's own wallets (no client).
 * Only an admin may change them (the engine refuses others; the change is audited with before and after).
 */
export function ControlsSettingsCard() {
  const [settings, setSettings] = useState<ControlsSettings | null>(null);
  const [hours, setHours] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const [saved, setSaved] = useState(false);
  const load = useCallback(async () => {
    const result = await treasury.withdrawals.controlsGet({});
    if (result.ok) {
      setSettings(result.data);
      setHours(String(result.data.whitelistTimeLockHours));
    } else setError(result.error);
  }, []);
  useEffect(() => void load(), [load]);

  const save = async (patch: Partial<ControlsSettings>) => {
    setSaved(false);
    const result = await treasury.withdrawals.controlsSet(patch);
    if (result.ok) {
      setSettings(result.data);
      setHours(String(result.data.whitelistTimeLockHours));
      setError(null);
      setSaved(true);
    } else setError(result.error);
  };
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
          <fieldset className="field" data-testid="controls-risk-levels">
            <legend>Clients who may withdraw to destinations not whitelisted</legend>
            {RISK_LEVELS.map((level) => (
              <label key={level} className="field field--checkbox">
                <input
                  type="checkbox"
                  checked={settings.riskLevelsToAnyDestination.includes(level)}
                  onChange={(e) =>
                    void save({
                      riskLevelsToAnyDestination: e.target.checked
                        ? RISK_LEVELS.filter((l) => l === level || settings.riskLevelsToAnyDestination.includes(l))
                        : settings.riskLevelsToAnyDestination.filter((l) => l !== level),
                    })
                  }
                />
                <span>{RISK_LEVEL_LABELS[level]}</span>
              </label>
            ))}
          </fieldset>
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
