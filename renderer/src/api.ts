import { contract } from '@shared/ipc/contract';
import type { TreasuryApi } from '@shared/ipc/bridge';
import type { EngineEvent } from '@shared/ipc/events';
import { fail } from '@shared/result';
import { SESSION_HEADER, takeSessionToken } from '@shared/ipc/session';

declare global {
  interface Window {
    treasury?: TreasuryApi;
  }
}

const TOKEN_KEY = 'treasury.host.token';
/** The operator session this tab signed in with (headless only: in Electron, main keeps it per window). */
const SESSION_KEY = 'treasury.host.session';

/** The token arrives in the URL fragment once; keep it for this tab and take it out of the address bar. */
function hostToken(): string | null {
  const match = /(?:^#|&)token=([0-9a-f]{64})/.exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, match[1]);
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

/** The headless host's door: the same methods, over loopback HTTP and one WebSocket for events. */
function hostBridge(token: string | null): TreasuryApi {
  const api: Record<string, unknown> = {};
  for (const [area, methods] of Object.entries(contract)) {
    const areaApi: Record<string, (request: unknown) => Promise<unknown>> = {};
    for (const [method, { name }] of Object.entries(methods as Record<string, { name: string }>)) {
      areaApi[method] = async (request: unknown) => {
        if (!token) return fail('unauthenticated', 'Open the app with the link the host printed (it carries the session token).');
        try {
          const response = await fetch(`/api/${encodeURIComponent(name)}`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-treasury-token': token,
              ...(sessionStorage.getItem(SESSION_KEY) ? { [SESSION_HEADER]: sessionStorage.getItem(SESSION_KEY)! } : {}),
            },
            body: JSON.stringify(request ?? {}),
          });
          const result: unknown = await response.json();
          // Sign-in (and setup, restore) answers with a session token: keep it for this tab, hand on the rest.
          const session = takeSessionToken(result);
          if (session) sessionStorage.setItem(SESSION_KEY, session);
          if (name === 'system:signOut') sessionStorage.removeItem(SESSION_KEY);
          return result;
        } catch {
          return fail('chain_unavailable', 'The Treasury host is not answering. Is it still running?');
        }
      };
    }
    api[area] = areaApi;
  }
  const listeners = new Set<(event: EngineEvent) => void>();
  let socket: WebSocket | null = null;
  const connect = () => {
    if (!token || socket) return;
    socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/events?token=${token}`);
    socket.onmessage = (message) => {
      const event = JSON.parse(String(message.data)) as EngineEvent;
      for (const listener of listeners) listener(event);
    };
    socket.onclose = () => {
      socket = null;
      if (listeners.size > 0) setTimeout(connect, 2000);
    };
  };
  api.onEvent = (listener: (event: EngineEvent) => void) => {
    listeners.add(listener);
    connect();
    return () => listeners.delete(listener);
  };
  return api as TreasuryApi;
}

/**
 * Another network's workspace has its own operators: the session this tab signed in with means nothing there.
 * (In Electron, main forgets the window's session itself when the workspace changes.)
 */
export function forgetHostSession(): void {
  sessionStorage.removeItem(SESSION_KEY);
}

/** The one place that picks the door: Electron's preload bridge, or the headless host. */
export const treasury: TreasuryApi = window.treasury ?? hostBridge(hostToken());
export const door: 'electron' | 'headless' = window.treasury ? 'electron' : 'headless';
