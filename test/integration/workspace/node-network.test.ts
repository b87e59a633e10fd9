import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Chain } from '@shared/domain/chains';
import type { NetworkProfile } from '@shared/domain/chains';
import { callOk, startUnlockedEngine } from '@test/engine';
import { startDevChain, type DevChain } from '../watch/devnet-chain';

/** Nothing is read from or sent to a node of another network than the workspace's: EVM by chain id, Tron by its genesis. */
describe('a workspace refuses a node of another network', () => {
  const chains: Partial<Record<Chain, DevChain>> = {};
  beforeAll(async () => {
    for (const chain of ['polygon', 'tron'] as const) chains[chain] = await startDevChain(chain);
  });
  afterAll(async () => {
    for (const dev of Object.values(chains)) await dev?.stop();
  });

  it.each([
    ['mainnet', 'polygon'],
    ['testnet', 'polygon'],
    ['mainnet', 'tron'],
    ['testnet', 'tron'],
  ] as Array<[NetworkProfile, Chain]>)('a %s workspace pointed at the devnet %s node watches nothing and says why', async (network, chain) => {
    const t = await startUnlockedEngine({ network });
    try {
      await callOk(t.engine, 'configuration:update', { chain, rpcUrl: chains[chain]!.url, ownNode: true });
      await expect(t.engine.services.watch.tick(chain)).rejects.toMatchObject({ code: 'wrong_network', message: expect.stringContaining(`does not serve the ${network} network`) });
      expect(await t.engine.database.db.selectFrom('watch_cursors').selectAll().execute()).toEqual([]);
    } finally {
      await t.dispose();
    }
  });

  it.each(['polygon', 'tron'] as const)('the devnet workspace reads its own %s node', async (chain) => {
    const t = await startUnlockedEngine({ network: 'devnet' });
    try {
      await callOk(t.engine, 'configuration:update', { chain, rpcUrl: chains[chain]!.url });
      const outcome = await t.engine.services.watch.tick(chain);
      expect(outcome.head).toBeGreaterThanOrEqual(0);
    } finally {
      await t.dispose();
    }
  });
});
