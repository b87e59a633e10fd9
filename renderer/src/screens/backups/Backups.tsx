import { useCallback, useEffect, useState } from 'react';
import type { BackupEntry, BackupSettings, BackupStatus, RestorePreview } from '@shared/domain/backups';
import { CHAIN_LABELS, type Chain } from '@shared/domain/chains';
import type { AppError } from '@shared/result';
import { treasury } from '../../api';
import { ErrorState, Loading } from '../../components/States';
import { useEngineEvents } from '../../store/engine-events';

/** How the officer reads a backup's health: green only when the last good backup is within its schedule. */
function healthLine(status: BackupStatus): { text: string; good: boolean } {
  const last = status.lastGood ? new Date(status.lastGood.at).toLocaleString() : null;
  switch (status.health) {
    case 'ok':
      return { text: `Last good backup ${last}, in ${status.lastGood!.folders} folder${status.lastGood!.folders === 1 ? '' : 's'}`, good: true };
    case 'stale':
      return { text: last ? `Last good backup ${last}: older than the ${status.settings.intervalMinutes}-minute schedule allows` : 'No backup has been made yet', good: false };
    case 'not_configured':
      return { text: 'No backup folder chosen: the books are not backed up (Settings → Backups)', good: false };
    case 'no_key':
      return { text: 'Backups wait until an operator with access to the seed signs in once', good: false };
    case 'server':
      return { text: 'Backed up by the PostgreSQL server (base backups and WAL archive)', good: true };
  }
}

function useBackupStatus() {
  const [status, setStatus] = useState<BackupStatus | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const load = useCallback(async () => {
    const result = await treasury.backups.status({});
    if (result.ok) {
      setStatus(result.data);
      setError(null);
    } else setError(result.error);
  }, []);
  useEffect(() => {
    void load();
    // A schedule turns stale by the clock alone; look again every minute.
    const timer = setInterval(() => void load(), 60_000);
    return () => clearInterval(timer);
  }, [load]);
  return { status, error, load, setStatus };
}

/** Dashboard: the last good backup of the books, red when it is older than its schedule allows. */
export function BackupCard() {
  const { status, error, load } = useBackupStatus();
  const [running, setRunning] = useState(false);
  const [runError, setRunError] = useState<AppError | null>(null);
  if (error) return <ErrorState error={error} onRetry={() => void load()} />;
  if (!status) return <Loading what="backups" />;
  const line = healthLine(status);
  return (
    <section className={line.good ? 'card' : 'card card--alert'} aria-labelledby="backup-title" data-testid="dashboard-backup">
      <div className="card__head">
        <h2 id="backup-title">Backups of the books</h2>
        <span className={line.good ? 'badge badge--active' : 'badge badge--short'} data-testid="backup-health">
          {line.good ? 'up to date' : 'attention'}
        </span>
        <span className="spacer" />
        {status.health !== 'server' && status.health !== 'not_configured' && (
          <button
            type="button"
            className="secondary"
            disabled={running}
            onClick={async () => {
              setRunning(true);
              const result = await treasury.backups.run({});
              setRunning(false);
              setRunError(result.ok ? null : result.error);
              await load();
            }}
            data-testid="backup-now"
          >
            {running ? 'Backing up…' : 'Back up now'}
          </button>
        )}
      </div>
      <p className={line.good ? 'ok' : 'bad strong'} data-testid="backup-last">
        {line.text}
      </p>
      {status.lastAttempt && !status.lastAttempt.ok && <p className="bad">The last attempt ({new Date(status.lastAttempt.at).toLocaleString()}) reached no folder.</p>}
      {status.lastAttempt?.ok && status.lastAttempt.error && <p className="bad">Some folders were not written: {status.lastAttempt.error}</p>}
      {runError && <ErrorState error={runError} />}
    </section>
  );
}

/** Settings → Backups: folders, schedule and retention, the backups made, and a restore. */
export function BackupSettingsSection() {
  const { status, error, load, setStatus } = useBackupStatus();
  const [draft, setDraft] = useState<{ folders: string; interval: string; hourly: string; daily: string; monthly: string } | null>(null);
  const [saveError, setSaveError] = useState<AppError | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (status && !draft) {
      const s = status.settings;
      setDraft({ folders: s.folders.join('\n'), interval: String(s.intervalMinutes), hourly: String(s.keepHourlyHours), daily: String(s.keepDailyDays), monthly: String(s.keepMonthlyMonths) });
    }
  }, [status, draft]);
  if (error) return <ErrorState error={error} onRetry={() => void load()} />;
  if (!status || !draft) return <Loading what="backup settings" />;
  const settings: BackupSettings = {
    folders: draft.folders.split('\n').map((f) => f.trim()).filter(Boolean),
    intervalMinutes: Number(draft.interval),
    keepHourlyHours: Number(draft.hourly),
    keepDailyDays: Number(draft.daily),
    keepMonthlyMonths: Number(draft.monthly),
  };
  const number = (key: 'interval' | 'hourly' | 'daily' | 'monthly', label: string, testId: string) => (
    <label className="field">
      <span>{label}</span>
      <input type="number" min={0} value={draft[key]} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} data-testid={testId} />
    </label>
  );
  return (
    <section className="card" aria-labelledby="backup-settings-title" data-testid="settings-backups">
      <h2 id="backup-settings-title">Backups</h2>
      <p className="muted">
        The books are copied while the app runs, encrypted so that only this workspace's recovery words open them, into every folder below (a second disk,
        a mounted network share): every {status.settings.intervalMinutes} minutes, before a new version changes the database, and after each withdrawal.
      </p>
      <p className={healthLine(status).good ? 'ok' : 'bad'}>{healthLine(status).text}</p>
      <form
        className="stack"
        onSubmit={async (e) => {
          e.preventDefault();
          const result = await treasury.backups.updateSettings(settings);
          setSaved(result.ok);
          if (result.ok) {
            setStatus(result.data);
            setSaveError(null);
          } else setSaveError(result.error);
        }}
      >
        <label className="field">
          <span>Backup folders (one full path per line)</span>
          <textarea rows={2} spellCheck={false} value={draft.folders} onChange={(e) => setDraft({ ...draft, folders: e.target.value })} data-testid="backup-folders" />
        </label>
        <div className="grid">
          {number('interval', 'Minutes between backups', 'backup-interval')}
          {number('hourly', 'Keep one per hour for (hours)', 'backup-keep-hourly')}
          {number('daily', 'Keep one per day for (days)', 'backup-keep-daily')}
          {number('monthly', 'Keep one per month for (months)', 'backup-keep-monthly')}
        </div>
        {saveError && <ErrorState error={saveError} />}
        <div className="actions">
          {saved && <span className="ok">Saved.</span>}
          <button type="submit" data-testid="books-backup-save">
            Save backup settings
          </button>
        </div>
      </form>
      <RestoreBackup key={status.settings.folders[0] ?? ''} folder={status.settings.folders[0] ?? ''} />
    </section>
  );
}

/**
 * A restore of the books from a backup file: list a folder's backups, check one (preview: what it holds, the
 * audit chain inside, what the current books would lose), then restore after typing RESTORE. The recovery words
 * open the backup; a signed-in admin with the seed open may leave them out.
 */
export function RestoreBackup({ folder: initialFolder, wordsRequired = false }: { folder: string; wordsRequired?: boolean }) {
  const [folder, setFolder] = useState(initialFolder);
  const [entries, setEntries] = useState<BackupEntry[] | null>(null);
  const [file, setFile] = useState('');
  const [words, setWords] = useState('');
  const [preview, setPreview] = useState<RestorePreview | null>(null);
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const [pending, setPending] = useState(false);
  const [reopening, setReopening] = useState(false);
  const wordsPart = words.trim() ? { words: words.trim() } : {};

  const list = async () => {
    setError(null);
    const result = await treasury.backups.list(folder.trim() ? { folder: folder.trim() } : {});
    if (result.ok) {
      setEntries(result.data);
      setFile(result.data.find((e) => e.sameNetwork)?.file ?? '');
    } else setError(result.error);
  };
  const check = async () => {
    setPending(true);
    setError(null);
    setPreview(null);
    const result = await treasury.backups.preview({ file, ...wordsPart });
    setPending(false);
    if (result.ok) setPreview(result.data);
    else setError(result.error);
  };
  const restore = async () => {
    setPending(true);
    setError(null);
    const result = await treasury.backups.restore({ file, confirm, ...wordsPart });
    setPending(false);
    if (!result.ok) return setError(result.error);
    setReopening(true);
  };
  // The workspace reopens on the restored books; the window follows it (or after a while, whatever happened).
  useEngineEvents((event) => {
    if (reopening && event.type === 'workspace.switched') window.location.reload();
  });
  useEffect(() => {
    if (!reopening) return;
    const timer = setTimeout(() => window.location.reload(), 10_000);
    return () => clearTimeout(timer);
  }, [reopening]);

  if (reopening) return <p className="ok" data-testid="restore-reopening">The books are restored. Reopening the workspace…</p>;
  return (
    <div className="stack" data-testid="restore-backup">
      <h3>Restore the books from a backup</h3>
      <label className="field">
        <span>Folder holding the backups</span>
        <input type="text" spellCheck={false} value={folder} onChange={(e) => setFolder(e.target.value)} data-testid="restore-folder" />
      </label>
      <div className="actions">
        <button type="button" className="secondary" onClick={() => void list()} data-testid="restore-list">
          List backups
        </button>
      </div>
      {entries !== null && entries.length === 0 && <p className="muted">No backups of the books in that folder.</p>}
      {entries !== null && entries.length > 0 && (
        <label className="field">
          <span>Backup</span>
          <select
            value={file}
            onChange={(e) => {
              setFile(e.target.value);
              setPreview(null);
            }}
            data-testid="restore-file"
          >
            {entries.map((entry) => (
              <option key={entry.file} value={entry.file} disabled={!entry.sameNetwork}>
                {new Date(entry.manifest.createdAt).toLocaleString()} · {entry.manifest.trigger} · {entry.manifest.network}
                {entry.sameNetwork ? '' : ' (another network: cannot be restored here)'}
              </option>
            ))}
          </select>
        </label>
      )}
      {file && (
        <label className="field">
          <span>Recovery words{wordsRequired ? '' : ' (not needed while the seed is open here)'}</span>
          <textarea rows={3} spellCheck={false} autoComplete="off" value={words} onChange={(e) => setWords(e.target.value)} data-testid="restore-words" />
        </label>
      )}
      {file && (
        <div className="actions">
          <button type="button" className="secondary" disabled={pending || (wordsRequired && !words.trim())} onClick={() => void check()} data-testid="restore-check">
            {pending && !preview ? 'Checking the backup…' : 'Check this backup'}
          </button>
        </div>
      )}
      {preview && <PreviewView preview={preview} />}
      {preview?.integrity.ok && (
        <div className="actions">
          <label className="field">
            <span>Type RESTORE to replace the books with this backup</span>
            <input type="text" value={confirm} onChange={(e) => setConfirm(e.target.value)} data-testid="restore-confirm" />
          </label>
          <button type="button"  disabled={pending || confirm.trim().toLowerCase() !== 'restore'} onClick={() => void restore()} data-testid="restore-submit">
            {pending ? 'Restoring…' : 'Restore the books'}
          </button>
        </div>
      )}
      {error && <ErrorState error={error} />}
    </div>
  );
}

function PreviewView({ preview }: { preview: RestorePreview }) {
  const { manifest, integrity, since } = preview;
  const cursors = Object.entries(manifest.cursors);
  return (
    <div className="stack" data-testid="restore-preview">
      <dl>
        <dt>Made</dt>
        <dd>{new Date(manifest.createdAt).toLocaleString()}</dd>
        <dt>Network</dt>
        <dd>{manifest.network}</dd>
        <dt>Audit records</dt>
        <dd>{manifest.auditHead.seq}</dd>
        <dt>Check</dt>
        <dd className={integrity.ok ? 'ok' : 'bad strong'} data-testid="restore-integrity">
          {integrity.ok ? 'Audit chain and ledger verified' : integrity.message}
        </dd>
        {cursors.length > 0 && (
          <>
            <dt>Watchers rescan from</dt>
            <dd>{cursors.map(([chain, block]) => `${CHAIN_LABELS[chain as Chain] ?? chain} block ${block}`).join(', ')}</dd>
          </>
        )}
      </dl>
      {since === null && <p className="muted">These books hold nothing yet: nothing is lost.</p>}
      {since !== null && (
        <div data-testid="restore-losses">
          <p className={since.records > 0 ? 'bad' : 'muted'}>
            {since.continues ? `${since.records} change(s) made after this backup will be lost.` : 'The current books are not a continuation of this backup: all of them are replaced.'}
          </p>
          <ul>
            {since.depositsCredited > 0 && <li>{since.depositsCredited} deposit credit(s): the watchers find them on chain again and credit them once.</li>}
            {since.withdrawals.length > 0 && (
              <li className="bad">
                {since.withdrawals.length} withdrawal(s) sent after the backup: their transactions are on chain and must be reconciled by hand.
              </li>
            )}
            {Object.entries(since.otherChanges).map(([action, count]) => (
              <li key={action}>
                {count} × {action.replace(/[._]/g, ' ')}
              </li>
            ))}
          </ul>
        </div>
      )}
      {preview.withdrawalsInFlight > 0 && <p className="muted">{preview.withdrawalsInFlight} withdrawal(s) in flight in the backup are looked up on chain again.</p>}
    </div>
  );
}
