import { describe, expect, it } from 'vitest';
import { ChainCallTimeout, withRetry } from '@engine/watch/retry';

const policy = { attempts: 4, baseDelayMs: 5, maxDelayMs: 12, timeoutMs: 50 };

/** A chain call that fails its first `failures` tries in the given way, then answers. */
function flaky(failures: number, how: 'throw' | 'hang') {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    call: () => {
      calls++;
      if (calls > failures) return Promise.resolve(`answer ${calls}`);
      return how === 'throw' ? Promise.reject(new Error(`refused ${calls}`)) : new Promise<string>(() => {});
    },
  };
}

describe('withRetry', () => {
  it.each([
    ['an error', 'throw' as const, 2, 'answer 3'],
    ['a call that never answers', 'hang' as const, 3, 'answer 4'],
    ['nothing', 'throw' as const, 0, 'answer 1'],
  ])('gets past %s within the attempts', async (_name, how, failures, expected) => {
    const node = flaky(failures, how);
    expect(await withRetry('test', node.call, policy)).toBe(expected);
    expect(node.calls).toBe(failures + 1);
  });

  it('gives up after the last attempt with the last failure', async () => {
    const node = flaky(10, 'throw');
    await expect(withRetry('test', node.call, policy)).rejects.toThrow('refused 4');
    expect(node.calls).toBe(4);
  });

  it('names a timeout as such', async () => {
    await expect(withRetry('eth_getLogs', flaky(10, 'hang').call, { ...policy, attempts: 1 })).rejects.toBeInstanceOf(ChainCallTimeout);
  });

  it('waits longer after each failure, up to the cap', async () => {
    const pauses: number[] = [];
    await withRetry('test', flaky(3, 'throw').call, policy, async (ms) => {
      pauses.push(ms);
    });
    expect(pauses).toEqual([5, 10, 12]);
  });
});
