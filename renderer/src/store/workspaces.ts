import { create } from 'zustand';
import type { NetworkProfile } from '@shared/domain/chains';
import type { WorkspaceView } from '@shared/domain/workspaces';
import type { AppError } from '@shared/result';
import { forgetHostSession, treasury } from '../api';

/** How long a switch may take (closing one engine, opening or creating the other) before the window says so. */
const SWITCH_TIMEOUT_MS = 60_000;
const POLL_MS = 1_000;

interface WorkspacesState {
  view: WorkspaceView | null;
  error: AppError | null;
  /** The network this window asked to open, while the door closes this workspace and opens it. */
  switching: NetworkProfile | null;
  load(): Promise<void>;
  /** Asks the door for the network's workspace, then reloads into it; answers the refusal, if any. */
  switchTo(network: NetworkProfile, confirm: string): Promise<AppError | null>;
}

export const useWorkspaces = create<WorkspacesState>((set) => ({
  view: null,
  error: null,
  switching: null,
  async load() {
    const result = await treasury.system.workspaces({});
    if (result.ok) set({ view: result.data, error: null });
    else set({ error: result.error });
  },
  async switchTo(network, confirm) {
    set({ switching: network });
    const result = await treasury.system.switchNetwork({ network, confirm });
    if (!result.ok) {
      set({ switching: null });
      return result.error;
    }
    const opened = await workspaceOpened(network);
    if (opened === null) {
      set({ switching: null });
      return {
        code: 'locked',
        message: `The ${network} workspace did not open within a minute. Check the engine's log, then reload this window.`,
      };
    }
    // A workspace that failed to open leaves the previous one reopened; either way every session ended with the engine.
    if (opened !== network) sessionStorage.setItem(SWITCH_NOTICE_KEY, `The ${network} workspace could not be opened, so ${opened} was opened again. Sign in again.`);
    reloadIntoWorkspace();
    return null;
  },
}));

const SWITCH_NOTICE_KEY = 'treasury.workspace.notice';

/** Said once after a reload: why this window is not in the network it asked for. */
export function takeSwitchNotice(): string | null {
  const notice = sessionStorage.getItem(SWITCH_NOTICE_KEY);
  sessionStorage.removeItem(SWITCH_NOTICE_KEY);
  return notice;
}

/** Drops this window's operator session (the engine that knew it has closed) and starts the app again. */
export function reloadIntoWorkspace(): void {
  forgetHostSession();
  window.location.reload();
}

/**
 * Resolves with the network the door opened: from its 'workspace.switched' event, or, should the event be
 * missed (a reconnecting socket), from system:status answering for the new network. Null on timeout.
 */
function workspaceOpened(network: NetworkProfile): Promise<NetworkProfile | null> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (opened: NetworkProfile | null) => {
      if (done) return;
      done = true;
      unsubscribe();
      clearInterval(poll);
      clearTimeout(timer);
      resolve(opened);
    };
    const unsubscribe = treasury.onEvent((event) => {
      if (event.type === 'workspace.switched') finish(event.network as NetworkProfile);
    });
    // Calls answer 'locked' while one workspace closes and the other opens; the old one may still answer first.
    const poll = setInterval(() => {
      void treasury.system.status({}).then((status) => {
        if (status.ok && status.data.profile === network) finish(network);
      });
    }, POLL_MS);
    const timer = setTimeout(() => finish(null), SWITCH_TIMEOUT_MS);
  });
}
