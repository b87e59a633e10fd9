import { useCallback, useEffect, useState } from 'react';
import { CHAINS, type NetworkProfile } from '@shared/domain/chains';
import type { Configuration } from '@shared/domain/configuration';
import type { AppError } from '@shared/result';
import { treasury } from '../../api';
import { ErrorState, Loading } from '../../components/States';
import { allEndpointsConfirmed } from '../../store/first-start';
import { ChainEndpointForm } from '../settings/ChainEndpoints';

/**
 * Mainnet and testnet first start: which node each chain is read from. Until the officer confirms (or edits)
 * an endpoint, that chain is not watched and its deposits are not credited.
 */
export function EndpointsStep({ network, onDone }: { network: NetworkProfile; onDone(): void }) {
  const [configuration, setConfiguration] = useState<Configuration | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const load = useCallback(async () => {
    const result = await treasury.configuration.get({});
    if (result.ok) setConfiguration(result.data);
    else setError(result.error);
  }, []);
  useEffect(() => void load(), [load]);
  const done = configuration ? allEndpointsConfirmed(configuration) : false;
  return (
    <div className="stack" data-testid="endpoints-step">
      <h1>Confirm the chain endpoints</h1>
      <p className="muted">
        Treasury reads each chain of the {network} workspace from one node. Check that each address below is a node you trust (a
        provider you chose, or your own), change it if not, and confirm it. A chain whose endpoint is not confirmed is not watched: no
        deposit on it is seen or credited until you confirm it, here or later in Settings.
      </p>
      {error && <ErrorState error={error} onRetry={configuration ? undefined : () => void load()} />}
      {!configuration && !error && <Loading what="the endpoints" />}
      {configuration && (
        <div>
          {CHAINS.map((chain) => (
            <ChainEndpointForm
              key={chain}
              chain={chain}
              configuration={configuration}
              onSaved={(next) => {
                setConfiguration(next);
                setError(null);
              }}
              />
          ))}
        </div>
      )}
      <div className="actions">
        {!done && (
          <button type="button" className="secondary" onClick={onDone} data-testid="endpoints-later">
            Later: leave the unconfirmed chains unwatched
          </button>
        )}
        <button type="button" disabled={!done} onClick={onDone} data-testid="endpoints-done">
          Continue
        </button>
      </div>
    </div>
  );
}
