import { useCallback, useEffect, useRef, useState } from 'react';
import { treasury } from '../api';
import { useEngineEvents } from '../store/engine-events';

type Waiting = { withdrawals: number; onRampCredits: number; companyCredits: number };
const NONE: Waiting = { withdrawals: 0, onRampCredits: 0, companyCredits: 0 };

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** What the badge counts, in the officer's words, for its tooltip. */
export function waitingTitle(w: Waiting): string {
  const parts = [
    w.withdrawals > 0 ? `${plural(w.withdrawals, 'withdrawal', 'withdrawals')} to approve or sign` : '',
    w.onRampCredits > 0 ? `${plural(w.onRampCredits, 'on-ramp credit', 'on-ramp credits')} to approve` : '',
    w.companyCredits > 0 ? `${plural(w.companyCredits, 'company credit', 'company credits')} to approve` : '',
  ].filter(Boolean);
  return `Waiting for you: ${parts.join(', ')}. Items you asked for yourself wait for another operator and are not counted.`;
}

/**
 * How many items wait for the signed-in operator, as a badge beside the menu entry: withdrawals to approve or
 * sign, on-ramp credits and company credits to approve. Only what the engine's allowed actions let this operator
 * do is counted, so a maker never counts their own request.
 */
export function WaitingCount() {
  const [waiting, setWaiting] = useState<Waiting>(NONE);
  const load = useCallback(async () => {
    const [requested, approved, onRamps, credits] = await Promise.all([
      treasury.withdrawals.list({ state: 'requested', limit: 200 }),
      treasury.withdrawals.list({ state: 'approved', limit: 200 }),
      treasury.ramps.listOnRamps({ state: 'quoted', limit: 200 }),
      treasury.transfers.companyCredits({ state: 'requested', limit: 200 }),
    ]);
    // A list this role may not read answers with a refusal: it counts nothing.
    const withdrawals = [...(requested.ok ? requested.data.items : []), ...(approved.ok ? approved.data.items : [])].filter((w) =>
      (w.allowedActions ?? []).some((a) => a === 'approve' || a === 'sign'),
    ).length;
    const onRampCredits = onRamps.ok ? onRamps.data.items.filter((r) => r.allowedActions?.includes('approveCredit')).length : 0;
    // Reject is open to the maker too; only an approval is this operator's to give.
    const companyCredits = credits.ok ? credits.data.items.filter((c) => c.allowedActions?.includes('approve')).length : 0;
    setWaiting({ withdrawals, onRampCredits, companyCredits });
  }, []);
  // No timer: every read is an operator call and counts as activity, so polling would keep an idle session
  // from ever locking. A company credit asked for in another window shows at the next event or navigation.
  useEffect(() => {
    void load();
  }, [load]);
  // An off-ramp's crypto leg becomes a withdrawal to approve and sign, an on-ramp credit waits on its ramp's moves,
  // and an approved company credit moves a balance.
  // Balances move in bursts (a sweep, a block of deposits): one look after the burst is enough.
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(pending.current), []);
  useEngineEvents((event) => {
    if (event.type !== 'withdrawal.status' && event.type !== 'ramp.status' && event.type !== 'balance.changed') return;
    clearTimeout(pending.current);
    pending.current = setTimeout(() => void load(), 300);
  });
  const count = waiting.withdrawals + waiting.onRampCredits + waiting.companyCredits;
  if (count === 0) return null;
  return (
    <span className="nav-count" title={waitingTitle(waiting)} data-testid="nav-waiting-count">
      {count}
    </span>
  );
}
