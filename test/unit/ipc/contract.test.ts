import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allChannels, contract } from '@shared/ipc/contract';
import { snapshotDatabase, startTestEngine, type TestEngine } from '@test/engine';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(() => t.dispose());

describe('IPC contract', () => {
  it('names every channel area:verb, once, in one of the product areas', () => {
    const names = allChannels().map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    const areas = ['clients', 'wallets', 'transfers', 'withdrawals', 'holding', 'sweeps', 'ramps', 'configuration', 'audit', 'system', 'backups', 'statements', 'valuation', 'alerts', 'webhooks', 'policy', 'activity'];
    for (const { area, name } of allChannels()) {
      expect(areas).toContain(area);
      expect(name.startsWith(`${area}:`)).toBe(true);
    }
  });

  it('has a handler for every channel', () => {
    expect([...t.engine.api.channels].sort()).toEqual(allChannels().map((c) => c.name).sort());
  });

  it.each(allChannels().map((c) => [c.name]))('%s refuses a malformed payload with a validation error and changes nothing', async (name) => {
    const before = snapshotDatabase(t.engine);
    for (const payload of ['text', 42, [1, 2], { unexpectedField: true, profile: 'moonnet' }]) {
      const result = await t.engine.api.call(name, payload, { door: 'test' });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('validation');
    }
    expect(snapshotDatabase(t.engine)).toBe(before);
  });

  it.each([['null', null], ['an array', []], ['a number', 0], ['a string', '']])(
    'refuses %s even where an empty request is valid: a stray null does not sign the admin out',
    async (_case, payload) => {
      const result = await t.engine.api.call('system:signOut', payload, { door: 'test' });
      expect(result).toMatchObject({ ok: false, error: { code: 'validation' } });
      const session = await t.engine.api.call('system:session', {}, { door: 'test' });
      expect(session).toMatchObject({ ok: true, data: { session: { operator: { name: 'admin' } } } });
    },
  );

  it('answers an unknown channel with not_found', async () => {
    const result = await t.engine.api.call('wallets:explode', {}, { door: 'test' });
    expect(result).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('system:status reports the profile, database and every chain', async () => {
    const result = await t.engine.api.call(contract.system.status.name, {}, { door: 'test' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const status = result.data as { profile: string; database: { healthy: boolean; dialect: string }; chains: unknown[] };
    expect(status.profile).toBe('devnet');
    expect(status.database).toMatchObject({ healthy: true, dialect: 'sqlite' });
    expect(status.chains).toHaveLength(3);
  });

  it('configuration:update refuses a non-http RPC url', async () => {
    const result = await t.engine.api.call('configuration:update', { chain: 'polygon', rpcUrl: 'file:///etc/passwd' }, { door: 'test' });
    expect(result).toMatchObject({ ok: false, error: { code: 'validation' } });
  });
});
