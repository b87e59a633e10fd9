import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from '../../../electron/host/server';
import { SESSION_HEADER } from '@shared/ipc/session';
import { startTestEngine, TEST_PASSPHRASE, type TestEngine } from '@test/engine';

/** The headless door: the per-start token lets a page talk to the host; the session header says who it is. */
let t: TestEngine;
let host: RunningHost;
beforeAll(async () => {
  t = await startTestEngine();
  await t.signInAs('auditor', 'audrey');
  const rendererDir = mkdtempSync(join(tmpdir(), 'treasury-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Treasury</title>');
  host = await startHost({ engine: t.engine, rendererDir });
});
afterAll(async () => {
  await host.close();
  await t.dispose();
});

async function call(channel: string, body: unknown, session?: string) {
  const response = await fetch(`${host.url}/api/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-treasury-token': host.token, ...(session ? { [SESSION_HEADER]: session } : {}) },
    body: JSON.stringify(body),
  });
  return response.json() as Promise<{ ok: boolean; data?: any; error?: { code: string } }>;
}

describe('operator sessions on the headless host', () => {
  it('signs in over HTTP and acts as that operator only with the session header', async () => {
    const signedIn = await call('system:signIn', { operator: 'audrey', passphrase: TEST_PASSPHRASE });
    expect(signedIn).toMatchObject({ ok: true, data: { session: { operator: { name: 'audrey', role: 'auditor' } } } });
    const session = signedIn.data.session.token as string;
    expect(await call('wallets:list', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await call('wallets:list', {}, session)).toMatchObject({ ok: true });
    expect(await call('wallets:create', { chain: 'polygon', label: 'x' }, session)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('takes nothing about the operator from the body, and refuses a malformed or unknown session', async () => {
    expect(await call('wallets:list', { operator: 'admin', role: 'admin' })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    for (const session of ['not-hex', 'f'.repeat(64), t.adminSession.slice(0, 63)]) {
      expect(await call('system:operators:list', {}, session)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    }
  });

  it('ends the session on sign-out', async () => {
    const session = (await call('system:signIn', { operator: 'audrey', passphrase: TEST_PASSPHRASE })).data.session.token as string;
    expect(await call('system:signOut', {}, session)).toMatchObject({ ok: true });
    expect(await call('wallets:list', {}, session)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });
});
