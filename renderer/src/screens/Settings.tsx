import { useCallback, useEffect, useState } from 'react';
import { CHAINS, CHAIN_LABELS, type Chain, type NetworkProfile } from '@shared/domain/chains';
import type { ChainEndpointHealth, Configuration } from '@shared/domain/configuration';
import type { AppError } from '@shared/result';
import { treasury } from '../api';
import { contract } from '@shared/ipc/contract';
import { ErrorState, Loading } from '../components/States';
import { FieldError } from '../components/FieldError';
import { fieldIssues } from '../forms/validation';
import { useAssets } from '../store/assets';
import { useSystem } from '../store/system';
import { AddressBook } from './settings/AddressBook';
import { DepositMinimumsCard } from './settings/DepositMinimumsCard';
import { AlertSettingsCard } from './settings/AlertSettingsCard';
import { Operators, SweepRules } from './settings/Policies';
import { ClientFeeSchedules } from './settings/ClientFees';
import { OwnerThresholdCard } from './settings/OwnerThresholdCard';
import { RampSettings } from './settings/RampSettings';
import { RetentionSettingsCard } from './settings/RetentionSettingsCard';
import { ChainField } from '../components/ChainField';
import { ChainEndpointForm } from './settings/ChainEndpoints';
import { NetworkSection } from './settings/NetworkSection';
import { RecoverySection } from './settings/RecoverySection';
import { BackupSettingsSection } from './backups/Backups';
import { ApiKeysSection } from './settings/ApiKeysSection';
import { PricesSection } from './valuation/PricesSection';
import { WebhooksSection } from './settings/WebhooksSection';

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
  const endpointHealth = useEndpointHealth(configuration);

  if (!configuration && error) return <ErrorState error={error} onRetry={() => void load()} />;
  if (!configuration) return <Loading what="settings" />;
  return (
    <div className="stack">
      {error && <ErrorState error={error} />}
      <NetworkSection />
      <section className="card" aria-labelledby="chains-title">
        <h2 id="chains-title">Chains on {configuration.profile}</h2>
        {configuration.profile !== 'devnet' && (
          <p className="muted small">A chain is watched, and its deposits credited, only once its endpoint is confirmed here.</p>
        )}
        {CHAINS.map((chain) => (
          <ChainEndpointForm
            key={`${configuration.profile}-${chain}`}
            chain={chain}
            configuration={configuration}
            health={endpointHealth?.find((h) => h.chain === chain)?.endpoints}
            onSaved={(next) => {
              setConfiguration(next);
              setError(null);
              void refreshStatus();
            }}
          />
        ))}
      </section>
      <AssetsSection profile={configuration.profile} />
      <DepositMinimumsCard />
      <PricesSection />
      <SweepRules />
      <ClientFeeSchedules />
      <AlertSettingsCard />
      <OwnerThresholdCard />
      <AddressBook />
      <RampSettings />
      <RetentionSettingsCard />
      <Operators />
      <ApiKeysSection />
      <RecoverySection network={configuration.profile} />
      <BackupSettingsSection />
      <WebhooksSection />
    </div>
  );
}

const HEALTH_REFRESH_MS = 20_000;

/** Each chain's endpoints as the engine finds them, asked again when the settings change and every 20 s. */
function useEndpointHealth(configuration: Configuration | null): ChainEndpointHealth[] | null {
  const [health, setHealth] = useState<ChainEndpointHealth[] | null>(null);
  useEffect(() => {
    if (!configuration) return;
    let live = true;
    const ask = async () => {
      const result = await treasury.configuration.endpointHealth({});
      // Health is a help, not a gate: when it cannot be read the list is simply not shown.
      if (live) setHealth(result.ok ? result.data : null);
    };
    void ask();
    const timer = setInterval(() => void ask(), HEALTH_REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [configuration]);
  return health;
}

/** The profile's asset registry and the one way to extend it: a token read from its contract on chain. */
function AssetsSection({ profile }: { profile: NetworkProfile }) {
  const { list, loaded, error, load } = useAssets();
  useEffect(() => void load(), [load, profile]);
  return (
    <section className="card" aria-labelledby="assets-title">
      <h2 id="assets-title">Assets on {profile}</h2>
      {error && <ErrorState error={error} onRetry={() => void load()} />}
      {!loaded && !error && <Loading what="assets" />}
      {loaded && (
        <table data-testid="settings-assets">
          <thead>
            <tr>
              <th>Asset</th>
              <th>Chain</th>
              <th className="num">Decimals</th>
              <th>Contract</th>
            </tr>
          </thead>
          <tbody>
            {list.map((asset) => (
              <tr key={asset.id}>
                <td>
                  <strong>{asset.symbol}</strong>
                </td>
                <td>{CHAIN_LABELS[asset.chain]}</td>
                <td className="num">{asset.decimals}</td>
                <td>{asset.contract ? <code>{asset.contract}</code> : <span className="muted">native coin</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <AddTokenForm onAdded={() => void load()} />
    </section>
  );
}

function AddTokenForm({ onAdded }: { onAdded(): void }) {
  const [chain, setChain] = useState<Chain>('polygon');
  const [address, setAddress] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const issues = fieldIssues(contract.configuration.addToken.request, { chain, contract: address });
  const valid = Object.keys(issues).length === 0;

  const submit = async () => {
    setPending(true);
    setError(null);
    setAdded(null);
    const result = await treasury.configuration.addToken({ chain, contract: address.trim() });
    setPending(false);
    if (result.ok) {
      setAdded(`Added ${result.data.symbol} on ${CHAIN_LABELS[result.data.chain]} with ${result.data.decimals} decimals, read from the contract.`);
      setAddress('');
      onAdded();
    } else setError(result.error);
  };

  return (
    <form
      className="stack stack--tight add-token"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) void submit();
      }}
    >
      <h3>Add a custom token</h3>
      <p className="muted small">Symbol and decimals are read from the token contract on the chain, never typed in.</p>
      <div className="row-form row-form--token">
        <ChainField value={chain} onChange={setChain} testId="add-token-chain" />
        <label className="field">
          <span>Token contract address</span>
          <input
            value={address}
            spellCheck={false}
            placeholder={chain === 'tron' ? 'T…' : '0x…'}
            aria-invalid={address !== '' && !valid}
            aria-describedby="add-token-error"
            onChange={(e) => setAddress(e.target.value)}
            data-testid="add-token-contract"
          />
          <FieldError id="add-token-error" message={address !== '' ? issues.contract : undefined} />
        </label>
        <button type="submit" disabled={pending || !valid} data-testid="add-token-submit">
          {pending ? 'Reading contract…' : 'Add token'}
        </button>
      </div>
      {error && <ErrorState error={error} />}
      {added && (
        <p className="notice" role="status">
          {added}
        </p>
      )}
    </form>
  );
}
