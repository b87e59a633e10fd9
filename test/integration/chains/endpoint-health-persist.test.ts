import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChainEndpointHealth, EndpointHealth } from '@shared/domain/configuration';
import { BACKENDS } from '@test/backends';
import { startRpcFront, type RpcFront } from '@test/devnet/rpc-front';
import { callOk, startTestEngine, startUnlockedEngine, type TestEngine } from '@test/engine';
import { startDevChain, type DevChain } from '../watch/devnet-chain';

/**
 * Endpoint health outlives the engine: an endpoint that failed is still resting after a restart (it is not asked
 * until its cool-down ends, even though it answers again), and Settings shows its last fault and when it is tried
 * again as before. Healthy reads write nothing: a row changes when an endpoint's state does.
 */
const CHAINS_OPTIONS = { coolDownMs: 10 * 60_000, probeIntervalMs: 10 * 60_000, maxLagBlocks: 10, callTimeoutMs: 5_000 };

describe.each(BACKENDS)('endpoint health across a restart (%s)', (backend) => {
  let polygon: DevChain;
  let front: RpcFront;
  let t: TestEngine;

  beforeAll(async () => {
    polygon = await startDevChain('polygon');
    front = await startRpcFront(polygon.url);
    t = await startUnlockedEngine({ backend, chains: CHAINS_OPTIONS });
    await callOk(t.engine, 'configuration:update', { chain: 'polygon', rpcUrls: [front.url, polygon.url] });
  }, 60_000);
  afterAll(async () => {
    await t?.dispose();
    await front?.stop();
    await polygon?.stop();
  });

  const rows = () => t.engine.database.db.selectFrom('endpoint_health').selectAll().where('chain', '=', 'polygon').orderBy('url').execute();
  const row = async (url: string) => (await rows()).find((r) => r.url === url);
  const health = async (url: string): Promise<EndpointHealth> =>
    (await callOk<ChainEndpointHealth[]>(t.engine, 'configuration:endpointHealth', {})).find((c) => c.chain === 'polygon')!.endpoints.find((e) => e.url === url)!;
  async function read(): Promise<void> {
    const adapter = await t.engine.services.chains.adapter('polygon');
    const native = (await t.engine.services.assets.list('polygon')).find((a) => a.contract === null)!;
    await adapter.balance(native, polygon.holdingAddress);
  }
  // Writes are queued off the read path: give them a moment before the table is read.
  const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

  it('healthy reads write the endpoint once, not per read', async () => {
    await read();
    await settle();
    const first = await row(front.url);
    expect(first).toMatchObject({ last_fault: null, rest_until: null });
    expect(first!.last_ok_at).not.toBeNull();
    for (let i = 0; i < 10; i++) await read();
    await settle();
    expect((await row(front.url))!.updated_at).toBe(first!.updated_at);
  });

  it('a failing endpoint keeps resting after a restart and shows its last fault', async () => {
    front.outage = true;
    await read();
    await settle();
    const failed = await row(front.url);
    // The reason kept is the HTTP status, never the node's text or the URL.
    expect(failed).toMatchObject({ last_fault: 'server_error', fault_detail: 'HTTP 503' });
    expect(Date.parse(failed!.rest_until!)).toBeGreaterThan(Date.now() + 5 * 60_000);
    const shown = await health(front.url);
    // Settings asks every endpoint again (the 503 comes back): a fault of the same kind while resting is no change
    // of state, so the row keeps the first one's time and cool-down.
    expect(shown).toMatchObject({ state: 'resting', lastFault: 'server_error' });
    await settle();
    expect(await row(front.url)).toEqual(failed);

    const reopen = { home: t.home, database: t.database };
    await t.engine.close();
    // The node answers again, but its cool-down is not over: after the restart it is not asked.
    front.outage = false;
    t = await startTestEngine({ ...reopen, chains: CHAINS_OPTIONS });
    const asked = front.requests;
    await read();
    expect(front.requests).toBe(asked);

    const after = await health(front.url);
    expect(after).toMatchObject({ state: 'resting', lastFault: 'server_error', lastFaultAt: failed!.last_fault_at, retryAt: failed!.rest_until });
    expect(after.checkedAt).not.toBeNull();
    expect(await health(polygon.url)).toMatchObject({ state: 'ok', active: true, lastFault: null });
  }, 60_000);
});
