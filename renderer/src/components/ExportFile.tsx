import { useState } from 'react';
import type { AppError } from '@shared/result';
import type { TreasuryDesktop } from '@shared/ipc/desktop';
import { treasury } from '../api';
import { ErrorState } from './States';

declare global {
  interface Window {
    treasuryDesktop?: TreasuryDesktop;
  }
}

/** A file the engine wrote, as the officer takes it: its name, a download, and in the desktop app "Show in folder". */
export function ExportFile({ file, detail, testId }: { file: string; detail?: string; testId?: string }) {
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const name = file.split(/[\\/]/).pop() ?? file;

  const download = async () => {
    setBusy(true);
    setError(null);
    const result = await treasury.audit.readExport({ file, content: true });
    setBusy(false);
    if (!result.ok) return setError(result.error);
    const bytes = Uint8Array.from(atob(result.data.base64 ?? ''), (c) => c.charCodeAt(0));
    const url = URL.createObjectURL(new Blob([bytes], { type: result.data.mimeType }));
    const link = document.createElement('a');
    link.href = url;
    link.download = result.data.name;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  const show = async () => {
    const result = await window.treasuryDesktop!.showInFolder(file);
    setError(result.ok ? null : result.error);
  };

  return (
    <div className="export-file" data-testid={testId}>
      <span className="export-file__name" title={file}>
        {name}
      </span>
      {detail && <span className="muted small">{detail}</span>}
      <span className="spacer" />
      <button type="button" className="secondary" disabled={busy} onClick={() => void download()} data-testid={testId ? `${testId}-download` : undefined}>
        {busy ? 'Preparing…' : 'Download'}
      </button>
      {window.treasuryDesktop && (
        <button type="button" className="secondary" onClick={() => void show()}>
          Show in folder
        </button>
      )}
      {error && <ErrorState error={error} />}
    </div>
  );
}
