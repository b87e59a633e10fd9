import { useEffect, useState, type ReactElement } from 'react';
import { Sidebar } from './components/Sidebar';
import { StatusBar } from './components/StatusBar';
import { ErrorState, Loading } from './components/States';
import { Audit } from './screens/Audit';
import { Clients } from './screens/Clients';
import { CustodyGate } from './screens/Custody';
import { Dashboard } from './screens/Dashboard';
import { Holding } from './screens/Holding';
import { Ramps } from './screens/Ramps';
import { Settings } from './screens/Settings';
import { Wallets } from './screens/Wallets';
import { Withdrawals } from './screens/Withdrawals';
import { useAssets } from './store/assets';
import { SCREEN_TITLES, useNavigation, type Screen } from './store/navigation';
import { useEngineEvents } from './store/engine-events';
import { useSystem } from './store/system';

const SCREEN_VIEWS: Record<Screen, () => ReactElement> = {
  dashboard: () => <Dashboard />,
  clients: () => <Clients />,
  wallets: () => <Wallets />,
  holding: () => <Holding />,
  withdrawals: () => <Withdrawals />,
  ramps: () => <Ramps />,
  audit: () => <Audit />,
  settings: () => <Settings />,
};

export function App() {
  const screen = useNavigation((s) => s.screen);
  const { status, error, refresh, session, refreshSession } = useSystem();
  const custody = status?.custody;
  useEffect(() => void refreshSession(), [refreshSession]);
  // Which operator this window is signed in as decides the gate too; an ended session asks again.
  useEngineEvents((event) => {
    if (event.type === 'session.ended') void refreshSession();
  });
  const profile = status?.profile;
  const loadAssets = useAssets((s) => s.load);
  const unlocked = custody?.unlocked ?? false;
  const signedIn = session?.session != null;
  // Decimals follow the profile's registry: read it once the app opens (seed open, operator signed in),
  // and again when the profile changes.
  useEffect(() => {
    if (profile && unlocked && signedIn) void loadAssets();
  }, [profile, unlocked, signedIn, loadAssets]);

  // Sign-out or the idle timeout wiped the seed: read the status again, so the gate asks for a sign-in.
  useEngineEvents((event) => {
    if (event.type === 'session.ended') void refresh();
  });

  // The desktop app rebuilt its engine after an unexpected error (sessions ended), or gave up on it.
  const [engineNotice, setEngineNotice] = useState<string | null>(null);
  useEngineEvents((event) => {
    if (event.type === 'engine.restarted') {
      setEngineNotice('The app hit an unexpected error and restarted its engine. Nothing saved was lost and work in progress resumes; please sign in again.');
      void refresh();
      void refreshSession();
    } else if (event.type === 'engine.stopped') {
      setEngineNotice('The app hit repeated unexpected errors and stopped its engine. Close and reopen the app; deposits are not being watched until then.');
    }
  });
  const notice = engineNotice && (
    <p className="notice" role="alert" data-testid="engine-notice">
      {engineNotice} <button type="button" onClick={() => setEngineNotice(null)}>Dismiss</button>
    </p>
  );

  // The app opens for a signed-in operator with the seed open; anything else is the gate.
  if (!custody || !session || !custody.unlocked || !signedIn) {
    return (
      <div className="app app--gate">
        <main className="content content--gate">
          {notice}
          {custody && session ? (
            <CustodyGate custody={custody} setupRequired={session.setupRequired} />
          ) : error ? <ErrorState error={error} onRetry={() => void refresh()} /> : <Loading what="the engine" />}
        </main>
        <StatusBar />
      </div>
    );
  }
  return (
    <div className="app">
      <Sidebar />
      <main className="content" data-testid={`screen-${screen}`}>
        {notice}
        <h1>{SCREEN_TITLES[screen]}</h1>
        {SCREEN_VIEWS[screen]()}
      </main>
      <StatusBar />
    </div>
  );
}
