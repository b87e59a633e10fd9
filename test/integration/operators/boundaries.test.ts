import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFileHash, startTestEngine, type TestEngine } from '@test/engine';

/** Settings are input too: an RPC endpoint is http(s) or nothing, whoever sends it. */
let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(() => t.dispose());

describe('RPC endpoints in settings', () => {
  it.each([
    'file:///etc/passwd',
    'ftp://rpc.example.com/',
    'javascript:alert(1)',
    'data:text/plain,hello',
    'ws://127.0.0.1:8545',
    'gopher://127.0.0.1:70/',
    '//rpc.example.com',
    'http//rpc.example.com',
    '',
  ])('refuses %j and changes nothing', async (rpcUrl) => {
    const before = databaseFileHash(t.engine);
    expect(await t.engine.api.call('configuration:update', { chain: 'polygon', rpcUrl }, { door: 'test' })).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(databaseFileHash(t.engine)).toBe(before);
  });

  it.each(['http://127.0.0.1:8545', 'https://polygon-rpc.example.com/v1/key'])('takes %s', async (rpcUrl) => {
    expect(await t.engine.api.call('configuration:update', { chain: 'polygon', rpcUrl }, { door: 'test' })).toMatchObject({ ok: true });
  });
});
