import { useCallback, useEffect, useState } from 'react';
import type { RetentionSettings } from '@shared/domain/clients';
import type { AppError } from '@shared/result';
import { treasury } from '../../api';
import { ErrorState, Loading } from '../../components/States';

/**
 * How long a closed client's records are kept before they may be erased. Only an admin may change it (the
 * engine refuses others; the change is audited with before and after). Erasure itself is on the client's page.
 */
export function RetentionSettingsCard() {
  const [settings, setSettings] = useState<RetentionSettings | null>(null);
  const [years, setYears] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const [saved, setSaved] = useState(false);
  const load = useCallback(async () => {
    const result = await treasury.clients.retention({});
    if (result.ok) {
      setSettings(result.data);
      setYears(String(result.data.yearsAfterClose));
    } else setError(result.error);
  }, []);
  useEffect(() => void load(), [load]);

  const valid = /^\d{1,3}$/.test(years) && Number(years) >= 1 && Number(years) <= 100;
  const save = async () => {
    setSaved(false);
    const result = await treasury.clients.setRetention({ yearsAfterClose: Number(years) });
    if (result.ok) {
      setSettings(result.data);
      setError(null);
      setSaved(true);
    } else setError(result.error);
  };

  return (
    <section className="card" aria-labelledby="retention-title" data-testid="settings-retention">
      <h2 id="retention-title">Client data retention</h2>
      <p className="muted small">
        Client data and KYC files are sealed at rest. Once a client's relationship is closed, with nothing owed either way, their records are kept
        this many years (AML rules often say five); after that an officer may ask for erasure and a second operator approves it. Erasure destroys
        the client's key: their personal data and files become unreadable, while the books and the audit trail keep their entries.
      </p>
      {error && <ErrorState error={error} onRetry={() => void load()} />}
      {!settings && !error && <Loading what="the retention setting" />}
      {settings && (
        <form
          className="row-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (valid) void save();
          }}
        >
          <label className="field">
            <span>Keep after closing (years)</span>
            <input value={years} inputMode="numeric" onChange={(e) => setYears(e.target.value)} aria-invalid={!valid} data-testid="retention-years" />
          </label>
          <button type="submit" disabled={!valid || Number(years) === settings.yearsAfterClose}>
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
