import { useCallback, useEffect, useState } from 'react';
import type { AlertSettings } from '@shared/domain/alerts';
import { CHAIN_LABELS } from '@shared/domain/chains';
import { formatAmount, parseAmount } from '@shared/money';
import type { AppError } from '@shared/result';
import { treasury } from '../../api';
import { ErrorState, Loading } from '../../components/States';
import { useAssets } from '../../store/assets';

/**
 * When alerts are raised: how long approvals may wait, how long a sent sweep or withdrawal may stay
 * unconfirmed, how far behind a node may be, and per asset how much uncovered credit is tolerated (in the
 * asset's units; none set means any). Only an admin may change them (audited with before and after).
 */
export function AlertSettingsCard() {
  const assetList = useAssets((s) => s.list);
  const assetsLoaded = useAssets((s) => s.loaded);
  const loadAssets = useAssets((s) => s.load);
  const [settings, setSettings] = useState<AlertSettings | null>(null);
  const [form, setForm] = useState<Record<string, string>>({});
  const [error, setError] = useState<AppError | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const fill = useCallback(
    (data: AlertSettings) => {
      const limits: Record<string, string> = {};
      for (const asset of assetList) {
        const limit = data.uncoveredCreditLimits[asset.id];
        limits[`limit:${asset.id}`] = limit ? formatAmount(BigInt(limit), asset.decimals) : '';
      }
      setForm({ approvalWaitMinutes: String(data.approvalWaitMinutes), stuckMinutes: String(data.stuckMinutes), lagBlocks: String(data.lagBlocks), ...limits });
    },
    [assetList],
  );
  const load = useCallback(async () => {
    if (!assetsLoaded) await loadAssets();
    const result = await treasury.alerts.settings({});
    if (result.ok) setSettings(result.data);
    else setError(result.error);
  }, [assetsLoaded, loadAssets]);
  useEffect(() => void load(), [load]);
  useEffect(() => {
    if (settings) fill(settings);
  }, [settings, fill]);

  const save = async () => {
    setSaved(false);
    setProblem(null);
    const whole = (key: string, label: string) => {
      if (!/^\d{1,6}$/.test(form[key] ?? '') || Number(form[key]) < 1) throw new Error(`${label}: give a whole number, 1 or more.`);
      return Number(form[key]);
    };
    let patch: AlertSettings;
    try {
      const limits: Record<string, string> = {};
      for (const asset of assetList) {
        const text = (form[`limit:${asset.id}`] ?? '').trim();
        if (text === '') continue;
        try {
          limits[asset.id] = parseAmount(text, asset.decimals).toString();
        } catch {
          throw new Error(`Uncovered credit limit for ${asset.symbol}: give an amount of ${asset.symbol}, such as 250.`);
        }
      }
      patch = {
        approvalWaitMinutes: whole('approvalWaitMinutes', 'Approvals waiting'),
        stuckMinutes: whole('stuckMinutes', 'Unconfirmed sends'),
        lagBlocks: whole('lagBlocks', 'Node behind'),
        uncoveredCreditLimits: limits,
      };
    } catch (e) {
      setProblem((e as Error).message);
      return;
    }
    const result = await treasury.alerts.updateSettings(patch);
    if (result.ok) {
      setSettings(result.data);
      setError(null);
      setSaved(true);
    } else setError(result.error);
  };
  const field = (key: string, label: string) => (
    <label className="field" key={key}>
      <span>{label}</span>
      <input value={form[key] ?? ''} inputMode="numeric" onChange={(e) => setForm({ ...form, [key]: e.target.value })} data-testid={`alert-settings-${key}`} />
    </label>
  );

  return (
    <section className="card" aria-labelledby="alert-settings-title" data-testid="settings-alerts">
      <h2 id="alert-settings-title">Alerts</h2>
      <p className="muted small">When the bell rings for causes that build up over time. Gas tank thresholds are set on the dashboard's gas tank cards.</p>
      {error && <ErrorState error={error} onRetry={() => void load()} />}
      {!settings && !error && <Loading what="the alert settings" />}
      {settings && (
        <form
          className="stack stack--tight"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <div className="alert-settings__grid">
            {field('approvalWaitMinutes', 'Approvals waiting longer than (minutes)')}
            {field('stuckMinutes', 'Sends unconfirmed after (minutes)')}
            {field('lagBlocks', 'Node behind by more than (blocks)')}
          </div>
          <div className="alert-settings__grid">
            {assetList.map((asset) => (
              <label className="field" key={asset.id}>
                <span>
                  Uncovered credit limit, {asset.symbol} on {CHAIN_LABELS[asset.chain]}
                </span>
                <input
                  value={form[`limit:${asset.id}`] ?? ''}
                  placeholder="none: any"
                  inputMode="decimal"
                  onChange={(e) => setForm({ ...form, [`limit:${asset.id}`]: e.target.value })}
                  data-testid={`alert-settings-limit-${asset.id}`}
                />
              </label>
            ))}
          </div>
          {problem && (
            <div className="bad small" role="alert">
              {problem}
            </div>
          )}
          <div className="actions actions--start">
            <button type="submit" data-testid="alert-settings-save">
              Save
            </button>
            {saved && (
              <span className="ok small" role="status">
                Saved.
              </span>
            )}
          </div>
        </form>
      )}
    </section>
  );
}
