import type { ReactElement } from 'react';
import { Sidebar } from './components/Sidebar';
import { StatusBar } from './components/StatusBar';
import { Dashboard } from './screens/Dashboard';
import { NotYetAvailable } from './screens/Placeholder';
import { Settings } from './screens/Settings';
import { SCREEN_TITLES, useNavigation, type Screen } from './store/navigation';

const SCREEN_VIEWS: Record<Screen, () => ReactElement> = {
  dashboard: () => <Dashboard />,
  clients: () => <NotYetAvailable area="Clients and KYC" />,
  wallets: () => <NotYetAvailable area="Wallets" />,
  holding: () => <NotYetAvailable area="The holding wallet" />,
  withdrawals: () => <NotYetAvailable area="Withdrawals" />,
  ramps: () => <NotYetAvailable area="On-ramp and off-ramp" />,
  audit: () => <NotYetAvailable area="Audit" />,
  settings: () => <Settings />,
};

export function App() {
  const screen = useNavigation((s) => s.screen);
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
