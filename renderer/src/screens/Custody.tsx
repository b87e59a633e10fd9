import { useEffect, useState, type FormEvent } from 'react';
import type { NetworkProfile } from '@shared/domain/chains';
import { contract } from '@shared/ipc/contract';
import type { CustodyStatus } from '@shared/domain/system';
import type { AppError, Result } from '@shared/result';
import { treasury } from '../api';
import { Dialog } from '../components/Dialog';
import { ErrorState } from '../components/States';
import { SwitchNetworkDialog } from '../components/SwitchNetworkDialog';
import { FieldError } from '../components/FieldError';
import { PassphraseField } from '../components/PassphraseField';
import { fieldIssues } from '../forms/validation';
import { useSystem } from '../store/system';
import { takeSwitchNotice, useWorkspaces } from '../store/workspaces';
import { RestoreBackup } from './backups/Backups';

type Mode = 'setup' | 'restore' | 'unlock' | 'books';

/**
 * The door to the app: first start creates the encrypted seed vault, later starts unlock it. The
 * passphrase goes to the engine once and is dropped from memory here when the call returns.
 */
export function CustodyGate(props: { custody: CustodyStatus; setupRequired: boolean; network: NetworkProfile }) {
  const { custody, setupRequired, network } = props;
  // Operators but no seed here (books restored from a backup, a workstation joining a shared database): sign
  // in first, then restore the seed from the recovery words under that operator's passphrase.
  const signedIn = useSystem((s) => s.session?.session != null);
  const [chosen, setMode] = useState<Mode>(custody.initialized || !setupRequired ? 'unlock' : 'setup');
  const mode: Mode = signedIn && !custody.initialized ? 'restore' : chosen;
  return (
    <div className="gate" data-testid="custody-gate">
      <section className="gate__panel card">
        <div className="brand brand--dark">Treasury</div>
        <WorkspaceNotices />
        {mode === 'unlock' && <UnlockForm fingerprint={custody.fingerprint} />}
        {mode === 'setup' && <SetupForm network={network} onRestore={() => setMode('restore')} onRestoreBooks={() => setMode('books')} />}
        {mode === 'books' && (
          <div className="stack">
            <RestoreBackup folder="" wordsRequired />
            <button type="button" className="secondary" onClick={() => setMode('setup')}>
              Back
            </button>
          </div>
        )}
        {mode === 'restore' && <RestoreForm network={network} signedIn={signedIn} onBack={() => setMode('setup')} />}
        <GateNetwork network={network} firstStart={setupRequired} />
      </section>
    </div>
  );
}

/** Why this window is where it is: a switch that fell back, or an upgrade that moved an older data folder. */
function WorkspaceNotices() {
  const [switchNotice] = useState(takeSwitchNotice);
  const { view, load } = useWorkspaces();
  useEffect(() => void load(), [load]);
  const notices = [switchNotice, view?.notice].filter((notice): notice is string => !!notice);
  return notices.map((notice) => (
    <p key={notice} className="callout" role="status" data-testid="workspace-notice">
      {notice}
    </p>
  ));
}

/**
 * The network at the door, and the way to another one: anybody may choose it at first start (no operator
 * exists yet); afterwards only a signed-in admin may, from Settings.
 */
function GateNetwork({ network, firstStart }: { network: NetworkProfile; firstStart: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <p className="gate__network small muted">
      Network: <strong>{network}</strong> ·{' '}
      <button type="button" className="link" onClick={() => setOpen(true)} data-testid="gate-network-change">
        change
      </button>
      {open && firstStart && <SwitchNetworkDialog current={network} onClose={() => setOpen(false)} />}
      {open && !firstStart && (
        <Dialog title="Change network" onClose={() => setOpen(false)} testId="gate-network-dialog">
          <div className="dialog__body stack stack--tight">
            <p>
              This is the <strong>{network}</strong> workspace, and it has operators: only an admin may open another network's workspace.
              Sign in as an admin first, then use Settings, Network.
            </p>
            <div className="actions">
              <button type="button" onClick={() => setOpen(false)}>
                Back to sign-in
              </button>
            </div>
          </div>
        </Dialog>
      )}
    </p>
  );
}

function useCustodyCall() {
  const setCustody = useSystem((s) => s.setCustody);
  const refresh = useSystem((s) => s.refresh);
  const refreshSession = useSystem((s) => s.refreshSession);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const run = async (call: () => Promise<Result<CustodyStatus>>) => {
    setPending(true);
    setError(null);
    const result = await call();
    setPending(false);
    if (result.ok) {
      setCustody(result.data);
      void refresh();
      void refreshSession();
    } else setError(result.error);
  };
  return { run, pending, error };
}

function UnlockForm({ fingerprint }: { fingerprint: string | null }) {
  const [operator, setOperator] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const { run, pending, error } = useCustodyCall();
  // Unlock signs the operator in; a workstation with one operator may leave the name out.
  const request = operator.trim() ? { passphrase, operator: operator.trim() } : { passphrase };
  const issues = fieldIssues(contract.system.unlock.request, request);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (Object.keys(issues).length === 0) void run(() => treasury.system.unlock(request));
  };
  return (
    <form className="stack" onSubmit={submit} aria-describedby="unlock-help">
      <h1>Unlock custody</h1>
      <p id="unlock-help" className="muted">
        The deposit keys are encrypted at rest. Enter the custody passphrase to work with wallets.
        {fingerprint && (
          <>
            {' '}
            Seed fingerprint <code>{fingerprint}</code>.
          </>
        )}
      </p>
      <label className="field">
        <span>Operator</span>
        <input
          type="text"
          autoComplete="username"
          value={operator}
          placeholder="your sign-in name (optional with one operator)"
          onChange={(e) => setOperator(e.target.value)}
          data-testid="custody-operator"
        />
      </label>
      <FieldError id="unlock-operator-error" message={operator !== '' ? issues.operator : undefined} />
      <PassphraseField label="Passphrase" value={passphrase} onChange={setPassphrase} testId="custody-passphrase" />
      {error && <ErrorState error={error} />}
      <button type="submit" disabled={pending || Object.keys(issues).length > 0} data-testid="custody-unlock">
        {pending ? 'Unlocking… (deriving the key takes a moment)' : 'Unlock'}
      </button>
    </form>
  );
}

function SetupForm({ network, onRestore, onRestoreBooks }: { network: NetworkProfile; onRestore(): void; onRestoreBooks(): void }) {
  const [passphrase, setPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [touched, setTouched] = useState(false);
  const { run, pending, error } = useCustodyCall();
  const issues = fieldIssues(contract.system.setup.request, { passphrase });
  const mismatch = confirmation !== passphrase ? 'The two passphrases differ.' : undefined;
  const valid = Object.keys(issues).length === 0 && !mismatch;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (valid) void run(() => treasury.system.setup({ passphrase }));
  };
  return (
    <form className="stack" onSubmit={submit}>
      <h1>Set up custody</h1>
      <p className="muted">
        First start of the <strong>{network}</strong> workspace on this workstation. Treasury creates the seed that derives every
        client deposit address and encrypts it under a passphrase you choose. Keep the passphrase safe: nobody can recover it. Next,
        you write down the seed's recovery words.
      </p>
      <PassphraseField
        label="New passphrase"
        fresh
        value={passphrase}
        onChange={setPassphrase}
        error={passphrase !== '' || touched ? issues.passphrase : undefined}
        testId="custody-new-passphrase"
      />
      <PassphraseField
        label="Repeat the passphrase"
        fresh
        value={confirmation}
        onChange={setConfirmation}
        error={confirmation !== '' || touched ? mismatch : undefined}
        testId="custody-confirm-passphrase"
      />
      {error && <ErrorState error={error} />}
      <div className="actions">
        <button type="button" className="secondary" onClick={onRestore}>
          Restore from recovery words…
        </button>
        <button type="button" className="secondary" onClick={onRestoreBooks} data-testid="custody-restore-books">
          Restore the books from a backup…
        </button>
        <button type="submit" disabled={pending || !valid} data-testid="custody-setup">
          {pending ? 'Creating the vault…' : 'Create custody vault'}
        </button>
      </div>
    </form>
  );
}

function RestoreForm({ network, onBack, signedIn }: { network: NetworkProfile; onBack(): void; signedIn: boolean }) {
  const [mnemonic, setMnemonic] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const { run, pending, error } = useCustodyCall();
  const issues = fieldIssues(contract.system.restore.request, { mnemonic, passphrase });
  const valid = Object.keys(issues).length === 0;
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) void run(() => treasury.system.restore({ mnemonic, passphrase }));
      }}
    >
      <h1>Restore custody</h1>
      <p className="muted">
        Rebuild a workspace from the recovery words written down at its first start. They are restored into the{' '}
        <strong data-testid="restore-network">{network}</strong> workspace: use the words of a {network} seed, or change network below first.
      </p>
      <label className="field">
        <span>Recovery words</span>
        <textarea rows={3} value={mnemonic} spellCheck={false} autoComplete="off" onChange={(e) => setMnemonic(e.target.value)} data-testid="restore-seed-words" />
        <FieldError id="restore-mnemonic-error" message={mnemonic !== '' ? issues.mnemonic : undefined} />
      </label>
      <PassphraseField
        label={signedIn ? 'Your passphrase' : 'New passphrase'}
        fresh={!signedIn}
        value={passphrase}
        onChange={setPassphrase}
        error={passphrase !== '' ? issues.passphrase : undefined}
        testId="restore-seed-passphrase"
      />
      {error && <ErrorState error={error} />}
      <div className="actions">
        <button type="button" className="secondary" onClick={onBack}>
          Back
        </button>
        <button type="submit" disabled={pending || !valid} data-testid="restore-seed-submit">
          {pending ? 'Restoring…' : 'Restore'}
        </button>
      </div>
    </form>
  );
}
