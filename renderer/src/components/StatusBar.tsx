import { useEffect } from 'react';
import { CHAIN_LABELS } from '@shared/domain/chains';
import { useEngineEvents } from '../store/engine-events';
import { useSystem } from '../store/system';

const REFRESH_MS = 10_000;

/** Network profile and engine health from a live system:status call. */
export function StatusBar() {
  const { status, error, refresh } = useSystem();
  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);
  // A confirmed or edited endpoint shows at once, not at the next tick.
  useEngineEvents((event) => {
    if (event.type === 'configuration.changed') void refresh();
  });

  if (error) {
    return (
      <footer className="status-bar status-bar--error" role="status" data-testid="status-bar">
        Engine unreachable: {error.message}
      </footer>
    );
  }
  if (!status) {
    return (
      <footer className="status-bar" role="status" data-testid="status-bar">
        Connecting to the engine…
      </footer>
    );
  }
  return (
    <footer className="status-bar" role="status" data-testid="status-bar">
      <span className={`profile profile--${status.profile}`} data-testid="status-profile">
        {status.profile}
      </span>
      <span data-testid="status-database" className={status.database.healthy ? 'ok' : 'bad'}>
        {status.database.dialect} {status.database.healthy ? 'healthy' : 'failing'}
      </span>
      {status.chains.map((chain) => (
        <span key={chain.chain} className={chain.reachable ? 'ok' : chain.awaitingConfirmation ? 'muted' : 'bad'} title={chain.error ?? chain.endpoint}>
          {CHAIN_LABELS[chain.chain]}: {chain.reachable ? `block ${chain.head}` : chain.awaitingConfirmation ? 'endpoint not confirmed' : 'unreachable'}
        </span>
      ))}
      <span className="spacer" />
      <span>{status.host === 'electron' ? 'Desktop' : 'Headless host'} · v{status.version}</span>
    </footer>
  );
}
