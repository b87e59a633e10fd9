import { describe, expect, it } from 'vitest';
import { PollingLoop } from '@engine/watch/polling-loop';

const until = async (check: () => boolean, ms = 2_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('PollingLoop', () => {
  it('runs again at once while there is more work, then waits the interval', async () => {
    const at: number[] = [];
    const loop = new PollingLoop('test', async () => {
      at.push(Date.now());
      return at.length < 3;
    }, 200, () => {});
    loop.start();
    await until(() => at.length >= 4);
    await loop.stop();
    expect(at[2]! - at[0]!).toBeLessThan(150);
    expect(at[3]! - at[2]!).toBeGreaterThanOrEqual(190);
  });

  it('backs off while failing, logs once when it starts failing and once when it recovers', async () => {
    const logs: string[] = [];
    const at: number[] = [];
    const loop = new PollingLoop('flaky chain', async () => {
      at.push(Date.now());
      if (at.length <= 3) throw new Error('node down');
      return false;
    }, 10, (message) => logs.push(message));
    loop.start();
    await until(() => at.length >= 4);
    await loop.stop();
    expect(at[3]! - at[2]!).toBeGreaterThan(at[1]! - at[0]!);
    expect(logs).toEqual(['flaky chain failed; retrying with backoff', 'flaky chain recovered after 3 failed attempt(s)']);
  });

  it('stop waits for a step in progress and nothing runs after it', async () => {
    let running = 0;
    let finished = 0;
    const loop = new PollingLoop('test', async () => {
      running++;
      await new Promise((resolve) => setTimeout(resolve, 50));
      finished++;
      return true;
    }, 1, () => {});
    loop.start();
    await until(() => running === 1);
    await loop.stop();
    expect(finished).toBe(running);
    const after = running;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(running).toBe(after);
  });
});
