import { useEffect, useState, type ReactElement, type ReactNode } from 'react';
import type { NetworkProfile } from '@shared/domain/chains';
import { NetworkBand } from './components/NetworkBand';
import { Sidebar } from './components/Sidebar';
import { StatusBar } from './components/StatusBar';
import { NotificationCentre } from './components/NotificationCentre';
import { EmptyState, ErrorState, Loading } from './components/States';
import { Audit } from './screens/Audit';
import { Clients } from './screens/Clients';
import { CustodyGate } from './screens/Custody';
import { Dashboard } from './screens/Dashboard';
import { Holding } from './screens/Holding';
import { Ramps } from './screens/Ramps';
import { Activity } from './screens/Activity';
import { Policy } from './screens/Policy';
import { Settings } from './screens/Settings';
import { EndpointsStep } from './screens/setup/Endpoints';
import { RecoveryWordsStep } from './screens/setup/RecoveryWords';
import { Wallets } from './screens/Wallets';
import { Withdrawals } from './screens/Withdrawals';
import { useAssets } from './store/assets';
import { SCREEN_TITLES, screenAllowed, useNavigation, type Screen } from './store/navigation';
import { useEngineEvents } from './store/engine-events';
import { useFirstStart } from './store/first-start';
import { useSystem } from './store/system';
import { IdleWarning } from './components/IdleWarning';
import { CommandPalette } from './components/CommandPalette';
import { ShortcutHelp } from './components/ShortcutHelp';
import { reloadIntoWorkspace, useWorkspaces } from './store/workspaces';

const SCREEN_VIEWS: Record<Screen, () => ReactElement> = {
  dashboard: () => <Dashboard />,
  clients: () => <Clients />,
  wallets: () => <Wallets />,
  holding: () => <Holding />,
  withdrawals: () => <Withdrawals />,
  activity: () => <Activity />,
  ramps: () => <Ramps />,
  policy: () => <Policy />,
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

  // Another window switched the workspace: the engine this window's session lived in has closed.
  useEngineEvents((event) => {
    if (event.type === 'workspace.switched' && useWorkspaces.getState().switching === null) reloadIntoWorkspace();
  });

  const open = !!custody && !!session && unlocked && signedIn;
  const admin = session?.session?.operator.role === 'admin';
  const operatorId = session?.session?.operator.id;
  const firstStart = useFirstStart();
  const loadFirstStart = firstStart.load;
  // What an admin still owes this workspace (recovery words, endpoints), read again at each sign-in.
  useEffect(() => {
    if (open && admin && profile) void loadFirstStart(profile);
  }, [open, admin, operatorId, profile, loadFirstStart]);

  // The app opens for a signed-in operator with the seed open; anything else is the gate.
  if (!open) {
    return (
      <Gate>
        {notice}
        {custody && session && profile ? (
          <CustodyGate custody={custody} setupRequired={session.setupRequired} network={profile} />
        ) : error ? <ErrorState error={error} onRetry={() => void refresh()} /> : <Loading what="the engine" />}
      </Gate>
    );
  }
  if (admin && profile) {
    const step = firstStartStep(profile, firstStart);
    if (step) return <Gate>{step}</Gate>;
  }
  return (
    <div className="app">
      <NetworkBand />
      <Sidebar />
      <main className="content" data-testid={`screen-${screen}`}>
        {notice}
        <div className="content__top">
          <h1>{SCREEN_TITLES[screen]}</h1>
          <NotificationCentre />
        </div>
        {screenAllowed(screen, session?.session?.operator.role) ? (
          SCREEN_VIEWS[screen]()
        ) : (
          <EmptyState title="This screen is not part of your role">Choose one of the screens in the sidebar.</EmptyState>
        )}
      </main>
      <StatusBar />
      <IdleWarning />
      <CommandPalette />
      <ShortcutHelp />
    </div>
  );
}

function Gate({ children }: { children: ReactNode }) {
  return (
    <div className="app app--gate">
      <NetworkBand />
      <main className="content content--gate">{children}</main>
      <StatusBar />
    </div>
  );
}

/**
 * The steps a signed-in admin finishes before the app opens: the recovery words until three of them are
 * confirmed (older workspaces too), then on mainnet and testnet the chain endpoints. Null: the app opens.
 */
function firstStartStep(network: NetworkProfile, state: ReturnType<typeof useFirstStart.getState>): ReactNode {
  const { recovery, endpointsDone, error } = state;
  if (error && (!recovery || endpointsDone === null)) return <ErrorState error={error} onRetry={() => void state.load(network)} />;
  if (!recovery) return <Loading what="the recovery words' state" />;
  const withEndpoints = network !== 'devnet';
  if (!recovery.confirmedAt) {
    return (
      <SetupPanel current={1} withEndpoints={withEndpoints}>
        <RecoveryWordsStep recovery={recovery} onConfirmed={state.setRecovery} />
      </SetupPanel>
    );
  }
  if (endpointsDone === null) return <Loading what="the chain endpoints" />;
  if (!endpointsDone) {
    return (
      <SetupPanel current={2} withEndpoints={withEndpoints}>
        <EndpointsStep network={network} onDone={state.finishEndpoints} />
      </SetupPanel>
    );
  }
  return null;
}

function SetupPanel({ current, withEndpoints, children }: { current: number; withEndpoints: boolean; children: ReactNode }) {
  const signOut = useSystem((s) => s.signOut);
  const steps = ['Passphrase', 'Recovery words', ...(withEndpoints ? ['Chain endpoints'] : [])];
  return (
    <div className="gate">
      <section className="gate__panel gate__panel--wide card">
        <div className="brand brand--dark">Treasury</div>
        <ol className="steps steps--setup" aria-label="First start">
          {steps.map((name, index) => (
            <li
              key={name}
              className={index < current ? 'steps__item steps__item--done' : index === current ? 'steps__item steps__item--current' : 'steps__item'}
              aria-current={index === current ? 'step' : undefined}
            >
              <span className="steps__mark">{index < current ? '✓' : index + 1}</span>
              {name}
            </li>
          ))}
        </ol>
        {children}
        <p className="gate__network small muted">
          Not now?{' '}
          <button type="button" className="link" onClick={() => void signOut()} data-testid="setup-sign-out">
            Sign out
          </button>
: this step comes back at the next admin sign-in.
        </p>
      </section>
    </div>
  );
}
