import { useState } from 'react';
import type { AppError } from '@shared/result';
import { treasury } from '../api';
import { SCREENS, SCREEN_TITLES, screenAllowed, useNavigation } from '../store/navigation';
import { useSystem } from '../store/system';
import { WaitingCount } from './WaitingCount';
import { Dialog } from './Dialog';
import { useClientScreen } from '../store/clients';
import { useWalletScreen } from '../store/wallets';

export function Sidebar() {
  const { screen, go } = useNavigation();
  const setCustody = useSystem((s) => s.setCustody);
  const operator = useSystem((s) => s.session?.session?.operator);
  const endSession = useSystem((s) => s.signOut);
  const [lockError, setLockError] = useState<AppError | null>(null);
  const [confirmLock, setConfirmLock] = useState(false);
  const lock = async () => {
    setConfirmLock(false);
    const result = await treasury.system.lock({});
    if (result.ok) setCustody(result.data);
    else setLockError(result.error);
  };
  const signOut = async () => {
    const refused = await endSession();
    if (refused) setLockError(refused);
  };
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand">Treasury</div>
      <ul>
        {SCREENS.filter((name) => screenAllowed(name, operator?.role)).map((name) => (
          <li key={name}>
            <button
              type="button"
              className={name === screen ? 'nav-item nav-item--active' : 'nav-item'}
              aria-current={name === screen ? 'page' : undefined}
              onClick={() => {
                // The menu entry is the screen's start: its list, not the last record opened.
                if (name === 'clients') useClientScreen.getState().back();
                if (name === 'wallets') useWalletScreen.getState().back();
                go(name);
              }}
              data-testid={`nav-${name}`}
            >
              {SCREEN_TITLES[name]}
              {name === 'withdrawals' && <WaitingCount />}
            </button>
          </li>
        ))}
      </ul>
      <div className="sidebar__foot">
        {operator && (
          <div className="sidebar__operator" data-testid="signed-in-operator">
            {operator.name} <span className="muted">· {operator.role}</span>
          </div>
        )}
        <button type="button" className="nav-item" onClick={() => void signOut()} data-testid="sign-out">
          Sign out
        </button>
        <button type="button" className="nav-item" onClick={() => setConfirmLock(true)} data-testid="custody-lock" title="Lock custody: the seed leaves memory, and every operator signed in to this workspace (in every window) is signed out until it is unlocked again">
          Lock
        </button>
        {lockError && <small className="bad">{lockError.message}</small>}
      </div>
      {confirmLock && (
        <Dialog title="Lock custody?" onClose={() => setConfirmLock(false)} testId="lock-confirm">
          <div className="stack dialog__body">
            <p>
              Locking signs out <strong>every operator signed in to this workspace</strong>, in this window and in every other, and takes the
              seed out of memory. Nothing can be signed until someone signs in again with their passphrase.
            </p>
            <p className="muted small">To leave only your own session, use Sign out instead.</p>
            <div className="actions">
              <button type="button" className="secondary" onClick={() => setConfirmLock(false)}>
                Cancel
              </button>
              <button type="button" className="danger" onClick={() => void lock()} data-testid="custody-lock-confirm">
                Lock and sign everyone out
              </button>
            </div>
          </div>
        </Dialog>
      )}
    </nav>
  );
}
