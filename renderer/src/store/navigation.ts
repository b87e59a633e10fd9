import { create } from 'zustand';

export const SCREENS = ['dashboard', 'clients', 'wallets', 'holding', 'withdrawals', 'ramps', 'policy', 'audit', 'settings'] as const;
export type Screen = (typeof SCREENS)[number];

export const SCREEN_TITLES: Record<Screen, string> = {
  dashboard: 'Dashboard',
  clients: 'Clients',
  wallets: 'Wallets',
  holding: 'Holding',
  withdrawals: 'Withdrawals',
  ramps: 'Ramps',
  policy: 'Policy',
  audit: 'Audit',
  settings: 'Settings',
};

function fromHash(): Screen {
  const name = window.location.hash.replace(/^#\/?/, '');
  return (SCREENS as readonly string[]).includes(name) ? (name as Screen) : 'dashboard';
}

interface NavigationState {
  screen: Screen;
  go(screen: Screen): void;
}

export const useNavigation = create<NavigationState>((set) => ({
  screen: fromHash(),
  go(screen) {
    history.replaceState(null, '', `#/${screen}`);
    set({ screen });
  },
}));
