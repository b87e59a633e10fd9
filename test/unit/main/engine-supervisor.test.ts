import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WalletView } from '@shared/domain/wallets';
import { EngineSupervisor } from '../../../electron/main/engine-supervisor';
import { callOk, startTestEngine, startUnlockedEngine, type TestEngine } from '@test/engine';

const homes: string[] = [];
afterEach(() => {
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

/** A supervisor over real engines on one data folder; `faults` stands in for the process's uncaught-error events. */
function supervised(overrides: { start?: () => Promise<TestEngine> } = {}) {
  const home = mkdtempSync(join(tmpdir(), 'treasury-supervised-'));
  homes.push(home);
  const faults = new EventEmitter();
  let starts = 0;
  // The first start sets the seed up (wallets need it); a rebuild opens the same folder again.
  const start = () => (starts++ === 0 ? startUnlockedEngine({ home }) : startTestEngine({ home }));
  const seen = { restarted: [] as TestEngine[], gaveUp: [] as unknown[], logged: [] as string[] };
  const supervisor = new EngineSupervisor<TestEngine>({
    start: overrides.start ?? start,
    stop: (t) => t.dispose({ keepData: true }),
    onRestarted: (t) => seen.restarted.push(t),
    onGaveUp: (error) => seen.gaveUp.push(error),
    log: (message) => seen.logged.push(message),
    delayMs: 10,
    maxRestarts: 2,
    events: faults as unknown as Pick<NodeJS.Process, 'on' | 'off'>,
  });
  return { home, faults, seen, supervisor };
}

describe('engine supervisor (desktop app)', () => {
  it('rebuilds the engine after an uncaught error, on the same data, once for a burst of errors', async () => {
    const { faults, seen, supervisor } = supervised();
    const first = await supervisor.start();
    const wallet = await callOk<WalletView>(first.engine, 'wallets:create', { chain: 'polygon', label: 'before the crash' });

    faults.emit('uncaughtException', new Error('a timer threw'));
    faults.emit('unhandledRejection', new Error('and a promise rejected'));
    await supervisor.crashed(new Error('the same fault, again'));

    expect(seen.restarted).toHaveLength(1);
    const second = supervisor.current!;
    expect(second).toBe(seen.restarted[0]);
    expect(second.engine).not.toBe(first.engine);
    expect(await callOk<WalletView>(second.engine, 'wallets:get', { walletId: wallet.id })).toMatchObject({ label: 'before the crash' });
    await supervisor.dispose();
    expect(supervisor.current).toBeUndefined();
  });

  it('gives up after repeated failures to start again, and says so', async () => {
    let starts = 0;
    const home = mkdtempSync(join(tmpdir(), 'treasury-supervised-'));
    homes.push(home);
    const { seen, supervisor } = supervised({
      start: async () => {
        starts += 1;
        if (starts > 1) throw new Error('the database cannot be opened');
        return startTestEngine({ home });
      },
    });
    await supervisor.start();
    await supervisor.crashed(new Error('first fault'));
    expect(seen.restarted).toEqual([]);
    expect(seen.gaveUp).toHaveLength(1);
    expect(supervisor.current).toBeUndefined();
    expect(starts).toBe(3);
    await supervisor.dispose();
  });
});
