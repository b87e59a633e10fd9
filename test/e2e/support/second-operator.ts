import type { TreasuryApp } from './fixtures';

// The page function runs in Chromium; this file is type-checked as Node code.
declare const sessionStorage: { getItem(key: string): string | null };

type Answer<T> = { ok: boolean; data?: T; error?: { code: string; message: string } };

/**
 * Another operator at another workstation, for four eyes: the operator is created by the signed-in admin,
 * signed in with a session of their own (the page's session is untouched), and calls the engine with it.
 */
export async function secondOperator(app: TreasuryApp, name: string, role: 'officer' | 'approver' | 'admin'): Promise<<T = unknown>(channel: string, request: unknown) => Promise<T>> {
  const passphrase = `${name} has a long passphrase`;
  const created = await app.engineCall('system:operators:create', { name, role, passphrase });
  if (!created.ok) throw new Error(`system:operators:create: ${created.error?.message}`);
  const call = <T>(channel: string, request: unknown, session?: string) =>
    app.page.evaluate(
      async ({ channel, request, session }) => {
        const token = sessionStorage.getItem('treasury.host.token') ?? '';
        const response = await fetch(`/api/${encodeURIComponent(channel)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-treasury-token': token, ...(session ? { 'x-treasury-session': session } : {}) },
          body: JSON.stringify(request),
        });
        return (await response.json()) as Answer<T>;
      },
      { channel, request, session },
    );
  const opened = await call<{ session: { token: string } }>('system:signIn', { operator: name, passphrase });
  if (!opened.ok) throw new Error(`system:signIn as ${name}: ${opened.error?.message}`);
  const session = opened.data!.session.token;
  return async <T>(channel: string, request: unknown): Promise<T> => {
    const result = await call<T>(channel, request, session);
    if (!result.ok) throw new Error(`${channel} as ${name}: ${result.error?.message}`);
    return result.data!;
  };
}
