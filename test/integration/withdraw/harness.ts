import { TEST_PASSPHRASE, type TestEngine } from '@test/engine';

/** What a door passes: a session token since sign-in exists (the engine resolves the operator from it). */
export type CallContext = { door: 'test'; operator?: string; session?: string };

export interface Operators {
  admin: CallContext;
  /** an officer: requests */
  alice: CallContext;
  /** an approver: approves and signs */
  bob: CallContext;
}

/** Signs in an admin, an officer (alice) and an approver (bob); on first start creates them. */
export async function signIn(t: TestEngine, firstStart: boolean): Promise<Operators> {
  const api = { call: (channel: string, payload: unknown, context: CallContext) => t.engine.api.call(channel, payload, context as never) };
  const channel = firstStart ? 'system:setup' : 'system:unlock';
  let opened = await api.call(channel, { passphrase: TEST_PASSPHRASE, operator: 'admin' }, { door: 'test' });
  if (!opened.ok && opened.error.code === 'validation') opened = await api.call(channel, { passphrase: TEST_PASSPHRASE }, { door: 'test' });
  if (!opened.ok) throw new Error(`open: ${opened.error.message}`);
  const token = (opened.data as { session?: { token?: string } }).session?.token;
  // Before sign-in existed the context named the operator directly; keep the test runnable on both.
  if (!token) return { admin: { door: 'test', operator: 'admin' }, alice: { door: 'test', operator: 'alice' }, bob: { door: 'test', operator: 'bob' } };
  const admin: CallContext = { door: 'test', session: token };
  const contexts: Operators = { admin, alice: admin, bob: admin };
  for (const [name, role] of [['alice', 'officer'], ['bob', 'approver']] as const) {
    if (firstStart) {
      const created = await api.call('system:operators:create', { name, role, passphrase: TEST_PASSPHRASE }, admin);
      if (!created.ok) throw new Error(`create ${name}: ${created.error.message}`);
    }
    const session = await api.call('system:signIn', { operator: name, passphrase: TEST_PASSPHRASE }, { door: 'test' });
    if (!session.ok) throw new Error(`sign in ${name}: ${session.error.message}`);
    contexts[name] = { door: 'test', session: (session.data as { session: { token: string } }).session.token };
  }
  return contexts;
}

