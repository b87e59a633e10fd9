import { useEffect, useState, type FormEvent } from 'react';
import type { NetworkProfile } from '@shared/domain/chains';
import { contract } from '@shared/ipc/contract';
import type { RecoveryStatus } from '@shared/domain/workspaces';
import type { AppError } from '@shared/result';
import { treasury } from '../../api';
import { Dialog } from '../../components/Dialog';
import { PassphraseField } from '../../components/PassphraseField';
import { ErrorState, Loading } from '../../components/States';
import { SubmitActions } from '../../components/SubmitActions';
import { downloadFile } from '../../download';
import { fieldIssues } from '../../forms/validation';
import { useFirstStart } from '../../store/first-start';
import { useSystem } from '../../store/system';

/** When the recovery words were last proven to be on paper, and an encrypted copy of the seed to keep. */
export function RecoverySection({ network }: { network: NetworkProfile }) {
  const { recovery, error, loadRecovery } = useFirstStart();
  const admin = useSystem((s) => s.session?.session?.operator.role === 'admin');
  const [backingUp, setBackingUp] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  useEffect(() => void loadRecovery(), [loadRecovery]);
  return (
    <section className="card" aria-labelledby="recovery-title" data-testid="settings-recovery">
      <h2 id="recovery-title">Recovery</h2>
      <div className="stack stack--tight">
        {error && !recovery && <ErrorState error={error} onRetry={() => void loadRecovery()} />}
        {!recovery && !error && <Loading what="the recovery words' state" />}
        {recovery && <p data-testid="recovery-confirmed">{confirmedText(recovery)}</p>}
        <p className="muted small">
          An encrypted backup is a file holding the seed under a backup passphrase of its own, separate from your sign-in passphrase.
          Restoring from the file needs that backup passphrase: keep the two apart, and the file off this workstation.
        </p>
        {saved && (
          <p className="notice" role="status">
            Saved {saved}. Keep it somewhere safe, away from the backup passphrase.
          </p>
        )}
        <div className="actions actions--start">
          {admin ? (
            <button type="button" className="secondary" onClick={() => setBackingUp(true)} data-testid="backup-open">
              Save encrypted backup…
            </button>
          ) : (
            <span className="muted small">Only an admin can save a backup of the seed.</span>
          )}
        </div>
      </div>
      {backingUp && (
        <BackupDialog
          network={network}
          onClose={() => setBackingUp(false)}
          onSaved={(file) => {
            setBackingUp(false);
            setSaved(file);
          }}
        />
      )}
    </section>
  );
}

function confirmedText(recovery: RecoveryStatus): string {
  if (!recovery.confirmedAt) return 'The recovery words have not been confirmed in this workspace yet.';
  const how = recovery.confirmedHow === 'restored' ? 'by restoring the seed from them' : 'by the three-word check';
  return `The recovery words were last confirmed on ${new Date(recovery.confirmedAt).toLocaleString()} by ${recovery.confirmedBy ?? 'an operator'}, ${how}.`;
}

function BackupDialog(props: { network: NetworkProfile; onClose(): void; onSaved(file: string): void }) {
  const [passphrase, setPassphrase] = useState('');
  const [backupPassphrase, setBackupPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const issues = fieldIssues(contract.system.exportBackup.request, { passphrase, backupPassphrase });
  const mismatch = repeat !== backupPassphrase ? 'The two backup passphrases differ.' : undefined;
  const same = backupPassphrase !== '' && backupPassphrase === passphrase ? 'Choose a backup passphrase other than your sign-in passphrase.' : undefined;
  const valid = Object.keys(issues).length === 0 && !mismatch && !same;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!valid) return;
    setPending(true);
    setError(null);
    const result = await treasury.system.exportBackup({ passphrase, backupPassphrase });
    setPending(false);
    if (!result.ok) return setError(result.error);
    // The passphrases leave memory with the dialog; the encrypted text only goes to the file.
    props.onSaved(downloadFile(result.data.backup, `treasury-seed-backup-${props.network}-${new Date().toISOString().slice(0, 10)}.json`, 'application/json'));
  };

  return (
    <Dialog title="Save an encrypted backup of the seed" onClose={props.onClose} testId="backup-dialog">
      <form className="stack stack--tight" onSubmit={(e) => void submit(e)}>
        <p className="muted">
          The file holds this {props.network} workspace's seed, encrypted under the backup passphrase you choose here. Whoever restores from
          it needs that backup passphrase; nobody can recover it for you.
        </p>
        <PassphraseField
          label="Your passphrase (asked again, as the seed leaves the workstation)"
          value={passphrase}
          onChange={setPassphrase}
          testId="backup-passphrase"
        />
        <PassphraseField
          label="Backup passphrase"
          fresh
          value={backupPassphrase}
          onChange={setBackupPassphrase}
          error={backupPassphrase !== '' ? (issues.backupPassphrase ?? same) : undefined}
          testId="backup-new-passphrase"
        />
        <PassphraseField
          label="Repeat the backup passphrase"
          fresh
          value={repeat}
          onChange={setRepeat}
          error={repeat !== '' ? mismatch : undefined}
          testId="backup-repeat-passphrase"
        />
        <SubmitActions
          pending={pending}
          error={error}
          disabled={!valid}
          onCancel={props.onClose}
          label={{ idle: 'Save backup file', pending: 'Encrypting… (deriving the keys takes a moment)' }}
          testId="seed-backup-save"
        />
      </form>
    </Dialog>
  );
}
