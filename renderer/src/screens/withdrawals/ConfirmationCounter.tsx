import { useEffect, useState } from 'react';
import type { WithdrawalDepth, WithdrawalView } from '@shared/domain/withdrawals';
import { treasury } from '../../api';

/** How often a broadcast withdrawal's depth is read again while it is on screen (a block is 2-3 s on these chains). */
const REFRESH_MS = 8_000;

/**
 * "12 of 64 confirmations" under a broadcast withdrawal, read from the chain while it is on screen, with the
 * transaction on the profile's explorer (devnet has none).
 */
export function ConfirmationCounter({ withdrawal: w, explorerUrl }: { withdrawal: Pick<WithdrawalView, 'id' | 'state' | 'txHash'>; explorerUrl?: string }) {
  const [depth, setDepth] = useState<WithdrawalDepth | null>(null);
  const live = w.state === 'broadcast';
  useEffect(() => {
    if (!live) return;
    let on = true;
    const read = () =>
      void treasury.withdrawals.depth({ withdrawalId: w.id }).then((result) => {
        if (on && result.ok) setDepth(result.data);
      });
    read();
    const timer = setInterval(read, REFRESH_MS);
    return () => {
      on = false;
      clearInterval(timer);
    };
  }, [w.id, live]);
  const hash = depth?.txHash ?? w.txHash;
  if (!live && !(hash && explorerUrl)) return null;
  return (
    <span className="confirmations small" data-testid="withdrawal-confirmations">
      {live &&
        (depth === null
          ? 'reading the chain…'
          : depth.confirmations === null
            ? 'waiting to be mined'
            : `${Math.min(depth.confirmations, depth.required)} of ${depth.required} confirmations`)}
      {hash && explorerUrl && (
        <a href={`${explorerUrl}/tx/${hash}`} target="_blank" rel="noreferrer" onClick={(e) => e.stopPropagation()} data-testid="withdrawal-explorer">
          explorer ↗
        </a>
      )}
    </span>
  );
}
