import { useEffect, type ReactElement } from 'react';
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
import { useSystem } from './store/system';
import { useEngineEvents } from './store/engine-events';

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
  const { status, error, refresh } = useSystem();
  const custody = status?.custody;
  const profile = status?.profile;
  const loadAssets = useAssets((s) => s.load);
  const unlocked = custody?.unlocked ?? false;
  // Decimals follow the profile's registry: read it once the app opens, and again when the profile changes.
  useEffect(() => {
    if (profile && unlocked) void loadAssets();
  }, [profile, unlocked, loadAssets]);

  // Sign-out or the idle timeout wiped the seed: read the status again, so the gate asks for a sign-in.
  useEngineEvents((event) => {
    if (event.type === 'session.ended') void refresh();
  });

  if (!custody || !custody.unlocked) {
    return (
      <div className="app app--gate">
        <main className="content content--gate">
          {custody ? <CustodyGate custody={custody} /> : error ? <ErrorState error={error} onRetry={() => void refresh()} /> : <Loading what="the engine" />}
        </main>
        <StatusBar />
      </div>
    );
  }
  return (
    <div className="app">
      <Sidebar />
      <main className="content" data-testid={`screen-${screen}`}>
        <h1>{SCREEN_TITLES[screen]}</h1>
        {SCREEN_VIEWS[screen]()}
      </main>
      <StatusBar />
    </div>
  );
}
