import { useCallback, useState } from 'react';
import { CHAIN_LABELS } from '@shared/domain/chains';
import type { ReconciliationLine } from '@shared/domain/ledger';
import type { ChainHealth } from '@shared/domain/system';
import type { AppError } from '@shared/result';
import { treasury } from '../api';
import { Amount } from '../components/Amount';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { useAssets } from '../store/assets';
import { useLoadAndReloadOn } from '../store/engine-events';
import { useSystem } from '../store/system';
import { DashboardQueues } from './DashboardQueues';
import { BackupCard } from './backups/Backups';
import { ValuationCard } from './valuation/ValuationCard';

/** Coverage as a bar width: holdings over liabilities in basis points, from the engine's exact ratio string. */
function coverageBasisPoints(ratio: string | null): number | null {
  if (ratio === null) return null;
  const [whole = '0', fraction = '0000'] = ratio.split('.');
  return Number(BigInt(whole) * 10_000n + BigInt(fraction.padEnd(4, '0').slice(0, 4)));
}

export function Dashboard() {
  return (
    <div className="stack">
      <Coverage />
      <ValuationCard />
      <BackupCard />
      <DashboardQueues />
      <EngineHealth />
    </div>
  );
}

function Coverage() {
  const [lines, setLines] = useState<ReconciliationLine[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);

  const load = useCallback(async () => {
    const result = await treasury.audit.reconcile({});
    if (result.ok) {
      setLines(result.data);
      setError(null);
      setUpdatedAt(new Date());
    } else setError(result.error);
  }, []);
  // Balance changes arrive in bursts (a batch of deposits); reconcile once per burst.
  useLoadAndReloadOn(load, ['balance.changed', 'deposit.confirmed', 'configuration.changed', 'sweep.status', 'withdrawal.status', 'ramp.status'], 300);

  return (
    <section className="card" aria-labelledby="coverage-title" data-testid="dashboard-coverage">
      <div className="card__head">
        <h2 id="coverage-title">Client liabilities and holdings</h2>
        {lines !== null && lines.length > 0 && <CoverageSummary lines={lines} />}
        <span className="spacer" />
        <span className="muted small" aria-live="polite">
          {updatedAt ? `Live · reconciled ${updatedAt.toLocaleTimeString()}` : ''}
        </span>
      </div>
      {error && <ErrorState error={error} onRetry={() => void load()} />}
      {lines === null && !error && <Loading what="reconciliation" />}
      {lines !== null && lines.length === 0 && (
        <EmptyState title="Nothing owed and nothing held yet">
          Per asset, what clients are owed and what the company holds (holding wallet plus unswept deposits) will appear here as the ledger
          records movements.
        </EmptyState>
      )}
      {lines !== null && lines.length > 0 && (
        <table className="coverage-table">
          <thead>
            <tr>
              <th>Asset</th>
              <th className="num">Client liabilities</th>
              <th className="num">Holdings</th>
              <th className="num">Uncovered credit</th>
              <th>Coverage</th>
              <th className="num">Shortfall</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line) => (
              <CoverageRow key={line.assetId} line={line} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function CoverageSummary({ lines }: { lines: ReconciliationLine[] }) {
  const short = lines.filter((line) => line.shortfall !== '0').length;
  return short === 0 ? (
    <span className="badge badge--active" data-testid="coverage-summary">
      every asset covered
    </span>
  ) : (
    <span className="badge badge--short" data-testid="coverage-summary">
      {short} asset{short === 1 ? '' : 's'} short
    </span>
  );
}

function CoverageRow({ line }: { line: ReconciliationLine }) {
  const asset = useAssets((s) => s.byId[line.assetId]);
  const bps = coverageBasisPoints(line.coverageRatio);
  const short = line.shortfall !== '0';
  const percent = bps === null ? null : `${(bps / 100).toFixed(2)}%`;
  return (
    <tr data-testid={`coverage-${line.assetId}`} className={short ? 'row--short' : undefined}>
      <td>
        <strong>{asset?.symbol ?? line.assetId}</strong> <span className="muted">{asset ? CHAIN_LABELS[asset.chain] : ''}</span>
      </td>
      <td className="num">
        <Amount value={line.clientLiabilities} assetId={line.assetId} />
      </td>
      <td className="num">
        <Amount value={line.holdings} assetId={line.assetId} />
      </td>
      <td className="num">
        <Amount value={line.uncoveredCredit} assetId={line.assetId} />
      </td>
      <td>
        {bps === null ? (
          <span className="muted">nothing owed</span>
        ) : (
          <div className="coverage">
            <div
              className="coverage__bar"
              role="meter"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={Math.min(100, bps / 100)}
              aria-label={`Coverage of ${asset?.symbol ?? line.assetId}`}
            >
              <div className={short ? 'coverage__fill coverage__fill--short' : 'coverage__fill'} style={{ width: `${Math.min(100, bps / 100)}%` }} />
            </div>
            <span className={short ? 'bad strong' : 'ok'} data-testid={`coverage-ratio-${line.assetId}`}>
              {percent}
            </span>
          </div>
        )}
      </td>
      <td className={short ? 'num bad strong' : 'num muted'} data-testid={`shortfall-${line.assetId}`}>
        {short ? <Amount value={line.shortfall} assetId={line.assetId} /> : 'none'}
      </td>
    </tr>
  );
}

function EngineHealth() {
  const { status, error, refresh } = useSystem();
  if (error) return <ErrorState error={error} onRetry={() => void refresh()} />;
  if (!status) return <Loading what="engine status" />;
  return (
    <div className="grid">
      <section className="card">
        <h2>Engine</h2>
        <dl>
          <dt>Network profile</dt>
          <dd data-testid="dashboard-profile">{status.profile}</dd>
          <dt>Database</dt>
          <dd>
            {status.database.dialect} at <code>{status.database.location}</code>
          </dd>
          <dt>Migrations applied</dt>
          <dd>{status.database.migrations.length}</dd>
          <dt>Custody</dt>
          <dd>
            {status.custody.unlocked ? 'unlocked' : 'locked'}
            {status.custody.fingerprint && (
              <>
                {' '}
                · seed <code>{status.custody.fingerprint}</code>
              </>
            )}
          </dd>
          <dt>Running since</dt>
          <dd>{new Date(status.startedAt).toLocaleString()}</dd>
        </dl>
      </section>
      <section className="card">
        <h2>Chains</h2>
        <table>
          <thead>
            <tr>
              <th>Chain</th>
              <th>Endpoint</th>
              <th>Head block</th>
              <th>Deposits credited by</th>
            </tr>
          </thead>
          <tbody>
            {status.chains.map((chain) => (
              <tr key={chain.chain}>
                <td>{CHAIN_LABELS[chain.chain]}</td>
                <td>
                  <code>{chain.endpoint}</code>
                </td>
                <td className={chain.reachable ? 'ok' : chain.awaitingConfirmation ? 'muted' : 'bad'}>
                  {chain.reachable ? chain.head : chain.awaitingConfirmation ? 'endpoint not confirmed: confirm it in Settings to watch this chain' : `unreachable (${chain.error})`}
                </td>
                <WatchedBy watchedBy={chain.watchedBy} />
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

/** Which process credits a chain's deposits: on a shared database it may be another workstation or the watcher service. */
function WatchedBy({ watchedBy }: { watchedBy: ChainHealth['watchedBy'] }) {
  if (watchedBy === undefined) return <td>—</td>;
  if (watchedBy === null) return <td className="bad">nobody: deposits are not being credited</td>;
  return (
    <td className="ok" data-testid="watched-by" title={watchedBy.since ? `since ${watchedBy.since}` : undefined}>
      {watchedBy.here ? 'this workstation' : watchedBy.who}
    </td>
  );
}
