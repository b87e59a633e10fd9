import { useState } from 'react';

/** What an action said it did, in words; `bad` when it was refused. */
export interface ActionNote {
  text: string;
  bad: boolean;
}

/**
 * A secondary button that runs one request and says beside it, in words, what came of it (the sweep and gas
 * tank actions). Disabled while the request runs.
 */
export function ActionWithNote({ label, testId, run }: { label: string; testId: string; run: () => Promise<ActionNote> }) {
  const [note, setNote] = useState<ActionNote | null>(null);
  const [busy, setBusy] = useState(false);

  async function act() {
    setBusy(true);
    try {
      setNote(await run());
    } finally {
      setBusy(false);
    }
  }

  return (
    <span className="sweep-now">
      <button type="button" className="secondary" onClick={() => void act()} disabled={busy} title={busy ? 'Working on it: the answer shows beside the button' : undefined} aria-busy={busy} data-testid={testId}>
        {label}
      </button>
      {note && (
        <span className={note.bad ? 'bad small' : 'muted small'} role="status" data-testid={`${testId}-result`}>
          {note.text}
        </span>
      )}
    </span>
  );
}
