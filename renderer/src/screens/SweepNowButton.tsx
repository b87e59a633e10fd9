import { useState } from 'react';
import { CHAIN_LABELS, type Chain } from '@shared/domain/chains';
import { treasury } from '../api';

/**
 * An officer's "Sweep now" for a chain, or for one wallet on it: every asset's confirmed, unswept deposits,
 * however small. Says in words what it planned.
 */
export function SweepNowButton({ chain, walletId, testId, onPlanned }: { chain: Chain; walletId?: string; testId: string; onPlanned?: () => void }) {
  const [note, setNote] = useState<{ text: string; bad: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const where = walletId ? 'at this address' : `on ${CHAIN_LABELS[chain]}`;

  async function sweep() {
    setBusy(true);
    const result = await treasury.sweeps.sweepChain(walletId ? { chain, walletId } : { chain });
    setBusy(false);
    if (!result.ok) {
      setNote({ text: result.error.message, bad: true });
      return;
    }
    const n = result.data.length;
    setNote({ text: n === 0 ? `Nothing to sweep ${where} right now.` : `${n} ${n === 1 ? 'sweep' : 'sweeps'} planned ${where}.`, bad: false });
    if (n > 0) onPlanned?.();
  }

  return (
    <span className="sweep-now">
      <button type="button" className="secondary" onClick={() => void sweep()} disabled={busy} data-testid={testId}>
        Sweep now
      </button>
      {note && (
        <span className={note.bad ? 'bad small' : 'muted small'} role="status" data-testid={`${testId}-result`}>
          {note.text}
        </span>
      )}
    </span>
  );
}
