import { useCallback, useEffect, useState } from 'react';
import { CHAINS, CHAIN_LABELS, NETWORK_PROFILES, type Chain, type NetworkProfile } from '@shared/domain/chains';
import type { Configuration } from '@shared/domain/configuration';
import type { AppError } from '@shared/result';
import { treasury } from '../api';
import { ErrorState, Loading } from '../components/States';
import { useSystem } from '../store/system';

export function Settings() {
  const [configuration, setConfiguration] = useState<Configuration | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const refreshStatus = useSystem((s) => s.refresh);

  const load = useCallback(async () => {
    const result = await treasury.configuration.get({});
    if (result.ok) setConfiguration(result.data);
    else setError(result.error);
  }, []);
  useEffect(() => void load(), [load]);

  const changeProfile = async (profile: NetworkProfile) => {
    const result = await treasury.configuration.update({ profile });
    if (result.ok) {
      setConfiguration(result.data);
      setError(null);
      void refreshStatus();
    } else setError(result.error);
  };

  if (!configuration && error) return <ErrorState error={error} onRetry={() => void load()} />;
  if (!configuration) return <Loading what="settings" />;
  return (
    <div className="stack">
      {error && <ErrorState error={error} />}
      <section className="card">
        <h2>Network profile</h2>
        <label className="field">
          <span>Profile</span>
          <select
            value={configuration.profile}
            onChange={(e) => void changeProfile(e.target.value as NetworkProfile)}
            data-testid="settings-profile"
          >
            {NETWORK_PROFILES.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
      </section>
      <section className="card">
        <h2>Chains on {configuration.profile}</h2>
        {CHAINS.map((chain) => (
          <ChainSettingsForm
            key={`${configuration.profile}-${chain}`}
            chain={chain}
            configuration={configuration}
            onSaved={(next) => {
              setConfiguration(next);
              setError(null);
              void refreshStatus();
            }}
            onError={setError}
          />
        ))}
      </section>
    </div>
  );
}

function ChainSettingsForm(props: {
  chain: Chain;
  configuration: Configuration;
  onSaved(next: Configuration): void;
  onError(error: AppError): void;
}) {
  const current = props.configuration.chains[props.chain];
  const [rpcUrl, setRpcUrl] = useState(current.rpcUrl);
  const [confirmations, setConfirmations] = useState(String(current.confirmations));
  const [saving, setSaving] = useState(false);
  const confirmationsValid = /^[1-9][0-9]{0,3}$/.test(confirmations);

  const save = async () => {
    setSaving(true);
    const result = await treasury.configuration.update({
      chain: props.chain,
      rpcUrl,
      confirmations: Number.parseInt(confirmations, 10),
    });
    setSaving(false);
    if (result.ok) props.onSaved(result.data);
    else props.onError(result.error);
  };

  return (
    <form
      className="row-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <strong className="row-form__title">{CHAIN_LABELS[props.chain]}</strong>
      <label className="field">
        <span>RPC endpoint</span>
        <input value={rpcUrl} onChange={(e) => setRpcUrl(e.target.value)} data-testid={`settings-rpc-${props.chain}`} />
      </label>
      <label className="field field--narrow">
        <span>Confirmations</span>
        <input
          value={confirmations}
          inputMode="numeric"
          aria-invalid={!confirmationsValid}
          onChange={(e) => setConfirmations(e.target.value)}
        />
      </label>
      <button type="submit" disabled={saving || !confirmationsValid} data-testid={`settings-save-${props.chain}`}>
        {saving ? 'Saving…' : 'Save'}
      </button>
    </form>
  );
}
