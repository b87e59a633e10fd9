import { useEffect, useState, type FormEvent } from 'react';
import { NETWORK_PROFILES, type NetworkProfile } from '@shared/domain/chains';
import { contract } from '@shared/ipc/contract';
import type { AppError } from '@shared/result';
import { fieldIssues } from '../forms/validation';
import { useWorkspaces } from '../store/workspaces';
import { Dialog } from './Dialog';
import { FieldError } from './FieldError';
import { ErrorState } from './States';

/**
 * Opening another network's workspace, asked first: the dialog names the network, says that nothing crosses
 * workspaces, and takes the officer's typed network name as the confirmation the engine checks too. Without a
 * `target` it first asks which network.
 */
export function SwitchNetworkDialog(props: { current: NetworkProfile; target?: NetworkProfile; onClose(): void }) {
  const { view, load, switchTo, switching } = useWorkspaces();
  useEffect(() => void load(), [load]);
  const others = NETWORK_PROFILES.filter((network) => network !== props.current);
  const [target, setTarget] = useState<NetworkProfile>(props.target ?? others[0]!);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const exists = view?.workspaces.find((w) => w.network === target)?.exists ?? false;
  const issue = fieldIssues(contract.system.switchNetwork.request, { network: target, confirm: typed }).confirm;
  const mismatch = typed.trim() !== '' && issue ? `That is not "${target}": type the network name exactly as shown.` : undefined;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (issue) return;
    setError(null);
    const refused = await switchTo(target, typed);
    if (refused) setError(refused);
  };

  return (
    <Dialog title={`Switch to ${target}`} onClose={switching ? () => {} : props.onClose} testId="switch-network-dialog">
      <form className="stack stack--tight" onSubmit={(e) => void submit(e)}>
        {!props.target && (
          <label className="field">
            <span>Network</span>
            <select value={target} onChange={(e) => setTarget(e.target.value as NetworkProfile)} data-testid="switch-network-target">
              {others.map((network) => (
                <option key={network} value={network}>
                  {network}
                </option>
              ))}
            </select>
          </label>
        )}
        <p>
          This window is in the <strong>{props.current}</strong> workspace. The <strong>{target}</strong> workspace has its own database,
          recovery seed, operators, clients and balances: nothing here is there, and nothing there is here.
        </p>
        <p className={exists ? 'muted' : 'callout'} data-testid="switch-network-exists">
          {exists
            ? `The ${target} workspace exists on this workstation: you sign in there with its own operators.`
            : `There is no ${target} workspace yet: its own first start creates it, with a new passphrase and new recovery words.`}
        </p>
        {target === 'mainnet' && <p className="callout">Mainnet moves real funds.</p>}
        <label className="field">
          <span>Type {target} to confirm</span>
          <input
            value={typed}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={!!mismatch}
            aria-describedby="switch-network-error"
            onChange={(e) => setTyped(e.target.value)}
            data-testid="switch-network-confirm"
          />
          <FieldError id="switch-network-error" message={mismatch} />
        </label>
        {switching && (
          <p className="notice notice--progress" role="status">
            Closing the {props.current} workspace and opening {switching}… this window reloads when it is open.
          </p>
        )}
        {error && <ErrorState error={error} />}
        <div className="actions">
          <button type="button" className="secondary" onClick={props.onClose} disabled={switching !== null}>
            Cancel
          </button>
          <button type="submit" disabled={!!issue || switching !== null} data-testid="switch-network-submit">
            {switching ? `Opening ${switching}…` : `Switch to ${target}`}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
