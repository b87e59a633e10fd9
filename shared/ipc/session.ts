/** The header the headless host reads the operator session from (the per-start token is another header). */
export const SESSION_HEADER = 'x-treasury-session';

/**
 * Takes the session token out of an answer that opened a session (sign-in, setup, restore, unlock as
 * sign-in), so the door keeps it and the page sees the rest. Returns null when the answer opened none.
 */
export function takeSessionToken(result: unknown): string | null {
  if (!result || typeof result !== 'object' || (result as { ok?: unknown }).ok !== true) return null;
  const data = (result as { data?: unknown }).data;
  if (!data || typeof data !== 'object') return null;
  const session = (data as { session?: unknown }).session;
  if (!session || typeof session !== 'object') return null;
  const token = (session as { token?: unknown }).token;
  if (typeof token !== 'string') return null;
  delete (session as { token?: unknown }).token;
  return token;
}
