import { useEffect, useState } from 'react';
import type { NetworkProfile } from '@shared/domain/chains';
import { ErrorState, Loading } from '../../components/States';
import { SwitchNetworkDialog } from '../../components/SwitchNetworkDialog';
import { useWorkspaces } from '../../store/workspaces';

/** The network is the workspace's, never a setting: this says which one is open and opens another. */
export function NetworkSection() {
  const { view, error, load } = useWorkspaces();
  const [target, setTarget] = useState<NetworkProfile | null>(null);
  useEffect(() => void load(), [load]);
  return (
    <section className="card" aria-labelledby="network-title" data-testid="settings-network">
      <h2 id="network-title">Network</h2>
      {error && <ErrorState error={error} onRetry={() => void load()} />}
      {!view && !error && <Loading what="workspaces" />}
      {view && (
        <div className="stack stack--tight">
          {view.notice && (
            <p className="callout" data-testid="workspace-notice">
              {view.notice}
            </p>
          )}
          <p>
            This window works in the <strong data-testid="settings-network-current">{view.network}</strong> workspace. Each network has
            its own workspace on this workstation: its own database, recovery seed, operators, clients and balances.
          </p>
          <table data-testid="settings-workspaces">
            <thead>
              <tr>
                <th>Network</th>
                <th>Workspace</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {view.workspaces.map((workspace) => (
                <tr key={workspace.network}>
                  <td>
                    <strong>{workspace.network}</strong>
                  </td>
                  <td>{workspace.current ? 'Open in this window' : workspace.exists ? 'Exists' : 'Not created yet (its first start creates it)'}</td>
                  <td className="num">
                    {!workspace.current && (
                      <button type="button" className="secondary" onClick={() => setTarget(workspace.network)} data-testid={`switch-to-${workspace.network}`}>
                        Switch to {workspace.network}…
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {view && target && <SwitchNetworkDialog current={view.network} target={target} onClose={() => setTarget(null)} />}
    </section>
  );
}
