import { create } from 'zustand';
import type { Role } from '@shared/domain/operators';

export const SCREENS = ['dashboard', 'clients', 'wallets', 'holding', 'withdrawals', 'activity', 'ramps', 'policy', 'audit', 'settings'] as const;
export type Screen = (typeof SCREENS)[number];

export const SCREEN_TITLES: Record<Screen, string> = {
  dashboard: 'Dashboard',
  clients: 'Clients',
  wallets: 'Wallets',
  holding: 'Holding',
  withdrawals: 'Withdrawals',
  activity: 'Activity',
  ramps: 'Ramps',
  policy: 'Policy',
  audit: 'Audit',
  settings: 'Settings',
};

/**
 * Which roles see each screen: the sidebar lists only these and the window guards the rest. The engine
 * enforces the role table on every call whatever a screen shows; this keeps each role to its own work.
 */
export const SCREEN_ROLES: Record<Screen, readonly Role[]> = {
  dashboard: ['admin', 'officer', 'approver', 'auditor'],
  clients: ['admin', 'officer', 'auditor'],
  wallets: ['admin', 'officer', 'approver', 'auditor'],
  holding: ['admin', 'officer', 'approver'],
  withdrawals: ['admin', 'officer', 'approver', 'auditor'],
  activity: ['admin', 'officer', 'approver', 'auditor'],
  ramps: ['admin', 'officer', 'auditor'],
  policy: ['admin', 'officer', 'auditor'],
  audit: ['admin', 'officer', 'auditor'],
  settings: ['admin', 'officer'],
};

export function screenAllowed(screen: Screen, role: Role | undefined): boolean {
  return role !== undefined && SCREEN_ROLES[screen].includes(role);
}

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
