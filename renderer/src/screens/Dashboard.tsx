import { CHAIN_LABELS } from '@shared/domain/chains';
import { useSystem } from '../store/system';
import { ErrorState, Loading } from '../components/States';

export function Dashboard() {
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
            </tr>
          </thead>
          <tbody>
            {status.chains.map((chain) => (
              <tr key={chain.chain}>
                <td>{CHAIN_LABELS[chain.chain]}</td>
                <td>
                  <code>{chain.endpoint}</code>
                </td>
                <td className={chain.reachable ? 'ok' : 'bad'}>{chain.reachable ? chain.head : `unreachable (${chain.error})`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
