import type { ApiKeySecret } from '@shared/domain/api-keys';
import type { Engine } from '@engine/engine';
import { startApiServer, type RunningApi } from '../../electron/host/api/api-server';
import type { Dispatcher } from '@engine/api/dispatch';
import { callOk, TEST_ADMIN, TEST_PASSPHRASE, type TestOperator } from './engine';

export interface ApiAnswer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** One HTTP call to the /v1 API as an integration would make it (fetch, JSON, x-api-key). */
export async function apiCall<T = any>(
  api: RunningApi,
  method: string,
  path: string,
  options: { key?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = { ...(options.key ? { 'x-api-key': options.key } : {}), ...options.headers };
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(`${api.url}${path.replace(/^\/v1/, '')}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

/** The integration API on loopback, on a free port, over this engine. */
export function startTestApi(engine: Engine): Promise<RunningApi> {
  return startApiServer({ engine, port: 0, log: () => {} });
}

/** An API key the test admin makes (all scopes unless named). */
export async function makeKey(engine: Engine, name: string, options: Record<string, unknown> = {}, as?: TestOperator): Promise<ApiKeySecret> {
  return callOk<ApiKeySecret>(engine, 'system:apiKeys:create', { name, scopes: ['read', 'wallets', 'withdrawals', 'ramps', 'clients'], ...options }, as);
}

/** The admin signed in afresh: API tests move the clock past the idle timeout, which ends sessions and locks the seed. */
export async function signInAdmin(door: Dispatcher): Promise<TestOperator> {
  const opened = await door.call('system:signIn', { operator: TEST_ADMIN, passphrase: TEST_PASSPHRASE }, { door: 'test' });
  if (!opened.ok) throw new Error(opened.error.message);
  return { context: { door: 'test', session: (opened.data as { session: { token: string } }).session.token } } as TestOperator;
}
