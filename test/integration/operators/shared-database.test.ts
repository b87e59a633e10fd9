import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WalletView } from '@shared/domain/wallets';
import { BACKENDS } from '@test/backends';
import { callOk, snapshotRows, startSecondWorkstation, startTestEngine, TEST_PASSPHRASE, type TestEngine } from '@test/engine';

const WORDS = 'test test test test test test test test test test test junk';
const OTHER_WORDS = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

// Two workstations, each with its own data folder (its own sealed copy of the seed), on one database.
describe.each(BACKENDS)('a second workstation joining a shared database (%s)', (backend) => {
  let first: TestEngine;
  let second: TestEngine;
  let walletOnFirst: WalletView;

  beforeAll(async () => {
    first = await startTestEngine({ backend });
    await callOk(first.engine, 'system:restore', { mnemonic: WORDS, passphrase: TEST_PASSPHRASE });
    walletOnFirst = await callOk<WalletView>(first.engine, 'wallets:create', { chain: 'polygon', label: 'made on the first workstation' });
    second = await startSecondWorkstation(first);
  });
  afterAll(async () => {
    await second?.dispose();
    await first?.dispose();
  });

  it('signs in with the shared operator, and has no seed until it restores one', async () => {
    const status = await callOk<{ custody: { initialized: boolean } }>(second.engine, 'system:status', {});
    expect(status.custody.initialized).toBe(false);
  });

  it('refuses a new seed, naming the one the wallets come from, and changes nothing', async () => {
    const before = await snapshotRows(second.engine);
    const result = await second.engine.api.call('system:setup', { passphrase: TEST_PASSPHRASE }, { door: 'test' });
    expect(result).toMatchObject({ ok: false, error: { code: 'conflict' } });
    if (!result.ok) expect(result.error.message).toMatch(/restore that seed's recovery words/);
    expect(second.engine.services.custody.initialized()).toBe(false);
    expect(await snapshotRows(second.engine)).toBe(before);
  });

  it('refuses the recovery words of another seed', async () => {
    const result = await second.engine.api.call('system:restore', { mnemonic: OTHER_WORDS, passphrase: TEST_PASSPHRASE }, { door: 'test' });
    expect(result).toMatchObject({ ok: false, error: { code: 'conflict' } });
    if (!result.ok) expect(result.error.message).toMatch(/different|wallets come from seed/);
    expect(second.engine.services.custody.initialized()).toBe(false);
  });

  it('restores the right words under the operator key both share, so both keep working', async () => {
    await callOk(second.engine, 'system:restore', { mnemonic: WORDS, passphrase: TEST_PASSPHRASE });
    const made = await callOk<WalletView>(second.engine, 'wallets:create', { chain: 'polygon', label: 'made on the second workstation' });
    expect(made.address).not.toBe(walletOnFirst.address);
    const listed = await callOk<{ items: WalletView[] }>(second.engine, 'wallets:list', {});
    expect(listed.items.map((w) => w.id)).toContain(walletOnFirst.id);

    // The first workstation's vault still opens with the operator's passphrase: its key was not replaced.
    await callOk(first.engine, 'system:lock', {});
    await callOk(first.engine, 'system:unlock', { passphrase: TEST_PASSPHRASE });
    const again = await callOk<WalletView>(first.engine, 'wallets:create', { chain: 'tron', label: 'after the second joined' });
    expect(again.chain).toBe('tron');
  });
});
