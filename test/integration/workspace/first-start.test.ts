import { afterEach, describe, expect, it } from 'vitest';
import { CHAINS } from '@shared/domain/chains';
import { callOk, startTestEngine, startUnlockedEngine, TEST_PASSPHRASE, type TestEngine } from '@test/engine';

let t: TestEngine | undefined;
afterEach(async () => {
  await t?.dispose();
  t = undefined;
});

interface RecoveryStatus {
  confirmedAt: string | null;
  confirmedHow: string | null;
  challenge: number[];
}

async function auditActions(engine: TestEngine['engine']): Promise<string[]> {
  const rows = await engine.database.db.selectFrom('audit_log').select('action').orderBy('seq').execute();
  return rows.map((r) => r.action);
}

describe('recovery words at first start', () => {
  it('shows the 24 words once, refuses a wrong word, and records the three-word check', async () => {
    t = await startUnlockedEngine();
    const status = await callOk<RecoveryStatus>(t.engine, 'system:recovery:status', {});
    expect(status.confirmedAt).toBeNull();
    expect(status.challenge).toHaveLength(3);
    expect(new Set(status.challenge).size).toBe(3);
    for (const position of status.challenge) expect(position).toBeGreaterThanOrEqual(1);
    // The same three are asked after a reload.
    expect((await callOk<RecoveryStatus>(t.engine, 'system:recovery:status', {})).challenge).toEqual(status.challenge);

    const wrongPassphrase = await t.engine.api.call('system:recovery:reveal', { passphrase: 'not the passphrase' }, { door: 'test' });
    expect(wrongPassphrase).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const { words } = await callOk<{ words: string[] }>(t.engine, 'system:recovery:reveal', { passphrase: TEST_PASSPHRASE });
    expect(words).toHaveLength(24);

    const [first, second, third] = status.challenge as [number, number, number];
    const wrongWord = words[second - 1] === 'abandon' ? 'zoo' : 'abandon';
    const refused = await t.engine.api.call(
      'system:recovery:confirm',
      { answers: [{ position: first, word: words[first - 1] }, { position: second, word: wrongWord }, { position: third, word: words[third - 1] }] },
      { door: 'test' },
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'validation', details: { wrongPositions: [second] } } });
    expect((refused as { error: { message: string } }).error.message).toContain(`word ${second}`);
    expect((await callOk<RecoveryStatus>(t.engine, 'system:recovery:status', {})).confirmedAt).toBeNull();

    const otherPositions = await t.engine.api.call(
      'system:recovery:confirm',
      { answers: [1, 2, 3].filter((p) => !status.challenge.includes(p)).concat([4, 5, 6]).slice(0, 3).map((position) => ({ position, word: words[position - 1] })) },
      { door: 'test' },
    );
    expect(otherPositions).toMatchObject({ ok: false, error: { code: 'validation' } });

    const confirmed = await callOk<RecoveryStatus>(t.engine, 'system:recovery:confirm', {
      answers: status.challenge.map((position) => ({ position, word: ` ${words[position - 1]!.toUpperCase()} ` })),
    });
    expect(confirmed).toMatchObject({ confirmedHow: 'word_check', challenge: [] });
    expect(confirmed.confirmedAt).not.toBeNull();
    expect(await auditActions(t.engine)).toEqual(expect.arrayContaining(['custody.recovery_words_shown', 'custody.recovery_check_failed', 'custody.recovery_confirmed']));

    // Once confirmed they are never shown again.
    const again = await t.engine.api.call('system:recovery:reveal', { passphrase: TEST_PASSPHRASE }, { door: 'test' });
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('a restore from the words counts as confirming them', async () => {
    t = await startTestEngine();
    const mnemonic = 'abandon '.repeat(23) + 'art';
    await callOk(t.engine, 'system:restore', { mnemonic, passphrase: TEST_PASSPHRASE });
    expect(await callOk<RecoveryStatus>(t.engine, 'system:recovery:status', {})).toMatchObject({ confirmedHow: 'restored', challenge: [] });
  });

  it('only an admin may see the words', async () => {
    t = await startUnlockedEngine();
    const officer = await t.signInAs('officer');
    expect(await officer.call('system:recovery:reveal', { passphrase: TEST_PASSPHRASE })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('nothing watches a chain before its workspace is set up', () => {
  it('devnet: no chain is ready before setup, every chain after', async () => {
    t = await startTestEngine({ watch: { leaseRetryMs: 20 } });
    const ready = () => Promise.all(CHAINS.map((chain) => t!.engine.services.watch.leases.statuses().find((s) => s.chain === chain)!.state));
    t.engine.services.watch.start();
    await new Promise((resolve) => setTimeout(resolve, 150));
    // An admin exists in the test engine but no seed yet: not set up.
    expect(await ready()).toEqual(['ineligible', 'ineligible', 'ineligible']);
    await callOk(t.engine, 'system:setup', { passphrase: TEST_PASSPHRASE });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await ready()).toEqual(['held', 'held', 'held']);
  });

  it('testnet: a chain is watched only once its endpoint was confirmed or edited', async () => {
    t = await startUnlockedEngine({ network: 'testnet', watch: { leaseRetryMs: 20 } });
    const state = (chain: string) => t!.engine.services.watch.leases.statuses().find((s) => s.chain === chain)!.state;
    t.engine.services.watch.start();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect([state('polygon'), state('bsc'), state('tron')]).toEqual(['ineligible', 'ineligible', 'ineligible']);
    const config = await callOk<{ chains: Record<string, { endpointConfirmed: boolean }> }>(t.engine, 'configuration:confirmEndpoints', { chains: ['polygon'] });
    expect(config.chains.polygon!.endpointConfirmed).toBe(true);
    expect(config.chains.bsc!.endpointConfirmed).toBe(false);
    await callOk(t.engine, 'configuration:update', { chain: 'tron', rpcUrl: 'https://nile.example.org' });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect([state('polygon'), state('bsc'), state('tron')]).toEqual(['held', 'ineligible', 'held']);
  });
});

describe('mainnet endpoints', () => {
  it.each([
    ['http://127.0.0.1:8545'],
    ['http://localhost:8545'],
    ['http://[::1]:8545'],
    ['http://192.168.1.20:8545'],
    ['http://10.0.0.5:8545'],
    ['http://[::ffff:127.0.0.1]:8545'],
  ])('refuses %s unless the node is marked as the officer own, and changes nothing', async (rpcUrl) => {
    t = await startUnlockedEngine({ network: 'mainnet' });
    const before = await callOk<{ chains: { polygon: { rpcUrl: string } } }>(t.engine, 'configuration:get', {});
    const refused = await t.engine.api.call('configuration:update', { chain: 'polygon', rpcUrl }, { door: 'test' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'validation', message: expect.stringContaining('This node is ours') } });
    expect(await callOk(t.engine, 'configuration:get', {})).toEqual(before);
    const accepted = await callOk<{ chains: { polygon: { rpcUrl: string; ownNode: boolean; endpointConfirmed: boolean } } }>(t.engine, 'configuration:update', {
      chain: 'polygon',
      rpcUrl,
      ownNode: true,
    });
    expect(accepted.chains.polygon).toMatchObject({ rpcUrl, ownNode: true, endpointConfirmed: true });
  });

  it('the network is not a setting: configuration:update refuses a profile', async () => {
    t = await startUnlockedEngine();
    expect(await t.engine.api.call('configuration:update', { profile: 'mainnet' }, { door: 'test' })).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(await callOk(t.engine, 'configuration:get', {})).toMatchObject({ profile: 'devnet' });
  });
});
