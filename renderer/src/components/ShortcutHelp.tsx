import { useEffect, useRef, useState } from 'react';
import { SCREEN_TITLES, screenAllowed, useNavigation } from '../store/navigation';
import { useSystem } from '../store/system';
import { useClientScreen } from '../store/clients';
import { useWalletScreen } from '../store/wallets';
import { Dialog } from './Dialog';
import { GO_KEYS, typingIn } from './shortcuts';

/** How long after "g" the screen letter is awaited. */
const SEQUENCE_MS = 1200;

/**
 * The keyboard: "?" opens this sheet, "g" then a letter goes to a screen (its list, as the sidebar does).
 * Keys typed into a field are left alone.
 */
export function ShortcutHelp() {
  const [open, setOpen] = useState(false);
  const pendingG = useRef(0);
  const role = useSystem((s) => s.session?.session?.operator.role);
  const go = useNavigation((s) => s.go);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typingIn(e.target) || document.querySelector('dialog[open]')) return;
      if (e.key === '?') {
        e.preventDefault();
        setOpen(true);
        return;
      }
      if (e.key === 'g') {
        pendingG.current = Date.now();
        return;
      }
      const screen = GO_KEYS[e.key];
      if (screen && Date.now() - pendingG.current < SEQUENCE_MS && screenAllowed(screen, role)) {
        pendingG.current = 0;
        if (screen === 'clients') useClientScreen.getState().back();
        if (screen === 'wallets') useWalletScreen.getState().back();
        go(screen);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [role, go]);
  if (!open) return null;
  return (
    <Dialog title="Keyboard shortcuts" onClose={() => setOpen(false)} testId="shortcut-help">
      <div className="stack dialog__body">
        <table className="shortcuts">
          <tbody>
            <tr>
              <td><kbd>Ctrl</kbd> <kbd>K</kbd></td>
              <td>Search clients, wallets, addresses and transactions</td>
            </tr>
            <tr>
              <td><kbd>?</kbd></td>
              <td>This list</td>
            </tr>
            <tr>
              <td><kbd>Esc</kbd></td>
              <td>Close a dialog or the search</td>
            </tr>
            {Object.entries(GO_KEYS)
              .filter(([, screen]) => screenAllowed(screen, role))
              .map(([key, screen]) => (
                <tr key={key}>
                  <td><kbd>g</kbd> then <kbd>{key}</kbd></td>
                  <td>Go to {SCREEN_TITLES[screen]}</td>
                </tr>
              ))}
          </tbody>
        </table>
        <div className="actions">
          <button type="button" onClick={() => setOpen(false)}>
            Close
          </button>
        </div>
      </div>
    </Dialog>
  );
}
