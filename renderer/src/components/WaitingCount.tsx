import { useCallback, useEffect, useState } from 'react';
import { treasury } from '../api';
import { useEngineEvents } from '../store/engine-events';

/**
 * How many withdrawals wait for the signed-in operator (to approve or to sign), as a badge beside the
 * menu entry; it follows the withdrawals' events.
 */
export function WaitingCount() {
  const [count, setCount] = useState(0);
  const load = useCallback(async () => {
    const [requested, approved] = await Promise.all([
      treasury.withdrawals.list({ state: 'requested', limit: 200 }),
      treasury.withdrawals.list({ state: 'approved', limit: 200 }),
    ]);
    const mine = [...(requested.ok ? requested.data.items : []), ...(approved.ok ? approved.data.items : [])].filter((w) =>
      (w.allowedActions ?? []).some((a) => a === 'approve' || a === 'sign'),
    );
    setCount(mine.length);
  }, []);
  useEffect(() => void load(), [load]);
  // An off-ramp's crypto leg becomes a withdrawal to approve and sign: its moves can change the count too.
  useEngineEvents((event) => {
    if (event.type === 'withdrawal.status' || event.type === 'ramp.status') void load();
  });
  if (count === 0) return null;
  return (
    <span className="nav-count" title={`${count} withdrawal${count === 1 ? '' : 's'} waiting for you to approve or sign`} data-testid="nav-waiting-count">
      {count}
    </span>
  );
}
