import { create } from 'zustand';
import type { SessionState } from '@shared/domain/operators';
import type { CustodyStatus, SystemStatus } from '@shared/domain/system';
import type { AppError } from '@shared/result';
import { treasury } from '../api';

interface SystemState {
  status: SystemStatus | null;
  error: AppError | null;
  loading: boolean;
  /** Who is signed in in this window (null until first asked). */
  session: SessionState | null;
  refresh(): Promise<void>;
  refreshSession(): Promise<void>;
  /** Takes a custody answer (setup, unlock, lock) without waiting for the next status poll. */
  setCustody(custody: CustodyStatus): void;
  /** Ends this window's session (the gate asks again); answers the refusal, if any. */
  signOut(): Promise<AppError | null>;
}

export const useSystem = create<SystemState>((set, get) => ({
  status: null,
  error: null,
  loading: false,
  session: null,
  async refreshSession() {
    const result = await treasury.system.session({});
    if (result.ok) set({ session: result.data });
  },
  async refresh() {
    set({ loading: true });
    const result = await treasury.system.status({});
    if (result.ok) set({ status: result.data, error: null, loading: false });
    else set({ error: result.error, loading: false });
  },
  async signOut() {
    const result = await treasury.system.signOut({});
    void get().refreshSession();
    void get().refresh();
    return result.ok ? null : result.error;
  },
  setCustody(custody) {
    const status = get().status;
    if (status) set({ status: { ...status, custody } });
  },
}));
