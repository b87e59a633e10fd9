import { useState, type FormEvent } from 'react';
import { contract } from '@shared/ipc/contract';
import type { CustodyStatus } from '@shared/domain/system';
import type { AppError, Result } from '@shared/result';
import { treasury } from '../api';
import { ErrorState } from '../components/States';
import { FieldError } from '../components/FieldError';
import { fieldIssues } from '../forms/validation';
import { useSystem } from '../store/system';
import { RestoreBackup } from './backups/Backups';

type Mode = 'setup' | 'restore' | 'unlock' | 'books';

/**
 * The door to the app: first start creates the encrypted seed vault, later starts unlock it. The
 * passphrase goes to the engine once and is dropped from memory here when the call returns.
 */
export function CustodyGate({ custody, setupRequired }: { custody: CustodyStatus; setupRequired: boolean }) {
  // Operators but no seed here (books restored from a backup, a workstation joining a shared database): sign
  // in first, then restore the seed from the recovery words under that operator's passphrase.
  const signedIn = useSystem((s) => s.session?.session != null);
  const [chosen, setMode] = useState<Mode>(custody.initialized || !setupRequired ? 'unlock' : 'setup');
  const mode: Mode = signedIn && !custody.initialized ? 'restore' : chosen;
  return (
    <div className="gate" data-testid="custody-gate">
      <section className="gate__panel card">
        <div className="brand brand--dark">Treasury</div>
        {mode === 'unlock' && <UnlockForm fingerprint={custody.fingerprint} />}
        {mode === 'setup' && <SetupForm onRestore={() => setMode('restore')} onRestoreBooks={() => setMode('books')} />}
        {mode === 'books' && (
          <div className="stack">
            <RestoreBackup folder="" wordsRequired />
            <button type="button" className="secondary" onClick={() => setMode('setup')}>
              Back
            </button>
          </div>
        )}
        {mode === 'restore' && <RestoreForm signedIn={signedIn} onBack={() => setMode('setup')} />}
      </section>
    </div>
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
      <label className="field">
        <span>Passphrase</span>
        <input
          type="password"
          autoComplete="current-password"
          value={passphrase}
          onChange={(e) => setPassphrase(e.target.value)}
          data-testid="custody-passphrase"
        />
      </label>
      {error && <ErrorState error={error} />}
      <button type="submit" disabled={pending || Object.keys(issues).length > 0} data-testid="custody-unlock">
        {pending ? 'Unlocking… (deriving the key takes a moment)' : 'Unlock'}
      </button>
    </form>
  );
}

function SetupForm({ onRestore, onRestoreBooks }: { onRestore(): void; onRestoreBooks(): void }) {
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
        First start on this data folder. Treasury creates the seed that derives every client deposit address and encrypts it
        under a passphrase you choose. Keep the passphrase safe: nobody can recover it.
      </p>
      <label className="field">
        <span>New passphrase</span>
        <input
          type="password"
          autoComplete="new-password"
          value={passphrase}
          aria-invalid={(touched || passphrase !== '') && !!issues.passphrase}
          aria-describedby="setup-passphrase-error"
          onChange={(e) => setPassphrase(e.target.value)}
          data-testid="custody-new-passphrase"
        />
        <FieldError id="setup-passphrase-error" message={passphrase !== '' || touched ? issues.passphrase : undefined} />
      </label>
      <label className="field">
        <span>Repeat the passphrase</span>
        <input
          type="password"
          autoComplete="new-password"
          value={confirmation}
          aria-invalid={(touched || confirmation !== '') && !!mismatch}
          aria-describedby="setup-confirm-error"
          onChange={(e) => setConfirmation(e.target.value)}
          data-testid="custody-confirm-passphrase"
        />
        <FieldError id="setup-confirm-error" message={confirmation !== '' || touched ? mismatch : undefined} />
      </label>
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

function RestoreForm({ onBack, signedIn }: { onBack(): void; signedIn: boolean }) {
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
      <p className="muted">Rebuild this workstation from the recovery words written down at first start.</p>
      <label className="field">
        <span>Recovery words</span>
        <textarea rows={3} value={mnemonic} spellCheck={false} autoComplete="off" onChange={(e) => setMnemonic(e.target.value)} data-testid="restore-seed-words" />
        <FieldError id="restore-mnemonic-error" message={mnemonic !== '' ? issues.mnemonic : undefined} />
      </label>
      <label className="field">
        <span>{signedIn ? 'Your passphrase' : 'New passphrase'}</span>
        <input type="password" autoComplete={signedIn ? 'current-password' : 'new-password'} value={passphrase} onChange={(e) => setPassphrase(e.target.value)} data-testid="restore-seed-passphrase" />
        <FieldError id="restore-passphrase-error" message={passphrase !== '' ? issues.passphrase : undefined} />
      </label>
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
