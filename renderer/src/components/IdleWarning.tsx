import { useEffect, useState } from 'react';
import { treasury } from '../api';

/** How often the window asks when its session's idle end is (the read does not count as activity). */
const POLL_MS = 10_000;
/** A minute before, or half the timeout when it is shorter than two minutes. */
const WARN_S = 60;

/**
 * A minute before the idle timeout ends this window's session (and, when it is the last one, locks the seed),
 * a bar counts down with a "Stay signed in" button. Other calls from this window move the end too; the poll
 * picks that up.
 */
export function IdleWarning() {
  const [endsAt, setEndsAt] = useState<number | null>(null);
  const [timeout, setTimeoutSeconds] = useState(600);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    let live = true;
    const read = () =>
      void treasury.system.session({}).then((result) => {
        if (!live || !result.ok) return;
        setEndsAt(result.data.session?.idleEndsAt ? Date.parse(result.data.session.idleEndsAt) : null);
        if (result.data.session) setTimeoutSeconds(result.data.session.idleTimeoutSeconds);
      });
    read();
    const poll = setInterval(read, POLL_MS);
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => {
      live = false;
      clearInterval(poll);
      clearInterval(tick);
    };
  }, []);
  if (endsAt === null) return null;
  const left = Math.ceil((endsAt - now) / 1000);
  if (left > Math.min(WARN_S, Math.floor(timeout / 2)) || left <= 0) return null;
  const stay = async () => {
    const result = await treasury.system.stayActive({});
    if (result.ok && result.data.session?.idleEndsAt) setEndsAt(Date.parse(result.data.session.idleEndsAt));
  };
  return (
    <div className="idle-warning" role="alertdialog" aria-live="assertive" aria-label="Idle lock" data-testid="idle-warning">
      <span>
        You will be locked in <strong>{left} s</strong> for inactivity.
      </span>
      <button type="button" onClick={() => void stay()} data-testid="idle-stay">
        Stay signed in
      </button>
    </div>
  );
}
