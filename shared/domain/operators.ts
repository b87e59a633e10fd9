import type { CustodyStatus } from './system';

/**
 * Who may do what on this workstation. officer: clients, wallets, transfers, requests; approver: approves
 * and signs withdrawals (never their own request); auditor: read-only and exports; admin: operators,
 * settings, policies (and everything else, bound by maker-checker like anyone).
 */
export const ROLES = ['admin', 'officer', 'approver', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export interface OperatorView {
  id: string;
  name: string;
  role: Role;
  disabled: boolean;
  /** Whether this operator's sign-in can open the deposit-address seed. */
  seedAccess: boolean;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * A signed-in session as the renderer sees it. `token` is present only on the answer that opens the
 * session; the Electron door keeps it in main and strips it, the headless door's page holds it in memory.
 */
export interface SessionView {
  token?: string;
  operator: { id: string; name: string; role: Role };
  idleTimeoutSeconds: number;
  startedAt: string;
  /** When the idle timeout ends this session unless it is used (the window warns a minute before). */
  idleEndsAt?: string;
}

export interface SignedIn {
  session: SessionView;
  custody: CustodyStatus;
}

export interface SessionState {
  /** No operator exists yet: first start creates the admin and the seed vault. */
  setupRequired: boolean;
  session: SessionView | null;
}

export interface SecuritySettings {
  idleTimeoutMinutes: number;
}
