import { describe, expect, it } from 'vitest';
import type { EndpointHealth } from '@shared/domain/configuration';
import { endpointHealthWords } from '@renderer/words/endpoints';
import { isLibraryPhrase } from '@renderer/words/refusals';

const base: EndpointHealth = { url: 'https://rpc.example', active: false, state: 'ok', head: null, behindBy: null, latencyMs: null, lastFault: null, lastFaultAt: null, retryAt: null, checkedAt: null };

describe('endpoint health in the officer’s words', () => {
  it.each([
    [{ active: true, head: '1200', latencyMs: 84 }, /^In use · block 1200 · 84 ms$/],
    [{ state: 'resting', head: '1170', behindBy: 30, lastFault: 'lagging', lastFaultAt: '2026-12-03T10:00:00Z', retryAt: '2026-12-03T10:01:00Z' }, /^Resting · block 1170, 30 behind · at .+ it was behind the other endpoints · tried again after .+$/],
    [{ state: 'resting', lastFault: 'server_error', lastFaultAt: '2026-12-03T10:00:00Z' }, /answered with a server failure/],
    [{ state: 'resting', lastFault: 'unreachable', lastFaultAt: '2026-12-03T10:00:00Z' }, /could not be reached/],
    [{ state: 'refused', lastFault: 'wrong_network' }, /^Refused: it serves another network, so it is never used\.$/],
    [{ state: 'unconfirmed' }, /^Not asked until the endpoints are confirmed\.$/],
  ] as const)('%o', (change, expected) => {
    const words = endpointHealthWords({ ...base, ...change } as EndpointHealth);
    expect(words).toMatch(expected);
    expect(words).not.toMatch(/ECONN|SERVER_ERROR|503|_/);
    expect(isLibraryPhrase(words)).toBe(false);
  });
});
