import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedgerInvariants } from '@engine/ledger/invariants';
import type { ChainEndpointHealth, Configuration, EndpointHealth } from '@shared/domain/configuration';
import type { DepositView } from '@shared/domain/deposits';
import type { Page } from '@shared/domain/ledger';
import type { WalletView } from '@shared/domain/wallets';
import { callOk, startUnlockedEngine, type TestEngine } from '@test/engine';
import { startRpcFront, type RpcFront } from '@test/devnet/rpc-front';
import { startDevChain, type DevChain } from '../watch/devnet-chain';
import { startLaggingRpc, type LaggingRpc } from '../watch/lagging-rpc';

/**
 * Several endpoints for one chain in front of real anvil nodes: the watcher reads from the first healthy one,
 * fails over when it answers 503 or is gone, returns to it after the cool-down, skips one whose head lags,
 * and never uses one of another chain id. Every deposit is credited once whichever endpoint saw it.
 */
const DEPTH = 3;
const COOL_DOWN_MS = 1_500;
const LAG = 40;

let polygon: DevChain;
let bsc: DevChain;
let front: RpcFront;
let lagging: LaggingRpc;
let t: TestEngine;
let wallet: WalletView;
let sent = 0n;

beforeAll(async () => {
  [polygon, bsc] = await Promise.all([startDevChain('polygon'), startDevChain('bsc')]);
  front = await startRpcFront(polygon.url);
  lagging = await startLaggingRpc(polygon.url, LAG);
  lagging.mode = 'lagging';
  t = await startUnlockedEngine({
    chains: { coolDownMs: COOL_DOWN_MS, probeIntervalMs: 0, maxLagBlocks: 10, callTimeoutMs: 5_000 },
    watch: { retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 5_000 } },
  });
  await callOk(t.engine, 'configuration:update', { chain: 'polygon', rpcUrls: [front.url, polygon.url], confirmations: DEPTH });
  wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'failover' });
  await polygon.mine(LAG + 5);
  await t.engine.services.watch.tick('polygon');
}, 90_000);
afterAll(async () => {
  await t?.dispose();
  await lagging?.stop();
  await front?.stop();
  await Promise.all([polygon?.stop(), bsc?.stop()]);
});

const deposits = async () => (await callOk<Page<DepositView>>(t.engine, 'wallets:deposits', { walletId: wallet.id })).items;
const tokenBalance = async () => BigInt((await t.engine.services.ledger.balance({ kind: 'client_wallet', assetId: polygon.token, walletId: wallet.id })).posted);
const endpoints = async (): Promise<EndpointHealth[]> =>
  (await callOk<ChainEndpointHealth[]>(t.engine, 'configuration:endpointHealth', {})).find((c) => c.chain === 'polygon')!.endpoints;
const byUrl = (list: EndpointHealth[], url: string) => list.find((e) => e.url === url)!;

/** Sends `whole` tokens to the wallet and ticks until the watcher has scanned past their confirmation. */
async function depositAndWatch(whole: bigint): Promise<void> {
  await polygon.sendToken(wallet.address, whole * polygon.unit);
  sent += whole * polygon.unit;
  await polygon.mine(DEPTH);
  const target = await polygon.head();
  for (let i = 0; i < 20 && ((await t.engine.services.watch.watcher('polygon').cursor()) ?? 0) - 1 < target; i++) {
    await t.engine.services.watch.tick('polygon');
  }
}

async function expectCreditedOnce(count: number): Promise<void> {
  const found = await deposits();
  expect(found).toHaveLength(count);
  expect(found.every((d) => d.state === 'confirmed')).toBe(true);
  expect(await tokenBalance()).toBe(sent);
  const credits = await t.engine.database.db.selectFrom('ledger_transfers').select('idempotency_key').where('code', '=', 'deposit').execute();
  expect(credits).toHaveLength(count);
  expect(await checkLedgerInvariants(t.engine.database.db)).toEqual([]);
}

describe('failover between endpoints', () => {
  it('reads from the preferred endpoint while it is healthy', async () => {
    await depositAndWatch(10n);
    await expectCreditedOnce(1);
    const health = await endpoints();
    expect(byUrl(health, front.url)).toMatchObject({ active: true, state: 'ok', lastFault: null });
    expect(byUrl(health, front.url).head).toBe(String(await polygon.head()));
  }, 60_000);

  it('an endpoint answering 503 is passed over: the next one credits, once, and the first is used again after the cool-down', async () => {
    front.outage = true;
    await depositAndWatch(20n);
    await expectCreditedOnce(2);
    const during = byUrl(await endpoints(), front.url);
    expect(during).toMatchObject({ active: false, state: 'resting', lastFault: 'server_error' });
    expect(byUrl(await endpoints(), polygon.url).active).toBe(true);

    front.outage = false;
    await new Promise((r) => setTimeout(r, COOL_DOWN_MS + 100));
    const before = front.requests;
    await depositAndWatch(30n);
    await expectCreditedOnce(3);
    expect(front.requests).toBeGreaterThan(before);
    expect(byUrl(await endpoints(), front.url)).toMatchObject({ active: true, state: 'ok' });
  }, 60_000);

  it('an endpoint whose head lags the best known head is skipped: nothing reversed, nothing missed', async () => {
    await callOk(t.engine, 'configuration:update', { chain: 'polygon', rpcUrls: [lagging.url, polygon.url] });
    const laggedBefore = lagging.counts.lagged;
    await depositAndWatch(40n);
    await expectCreditedOnce(4);
    expect(lagging.counts.lagged).toBeGreaterThan(laggedBefore);
    const health = await endpoints();
    expect(byUrl(health, lagging.url)).toMatchObject({ active: false, lastFault: 'lagging' });
    expect(byUrl(health, lagging.url).behindBy).toBeGreaterThanOrEqual(LAG);
    expect(byUrl(health, polygon.url).active).toBe(true);
    const reorgs = await t.engine.database.db.selectFrom('audit_log').select('seq').where('action', 'in', ['watch.reorg', 'deposit.orphaned']).execute();
    expect(reorgs).toEqual([]);
  }, 60_000);

  it('an endpoint of another chain id is refused, never read, and named when it is the only one', async () => {
    await callOk(t.engine, 'configuration:update', { chain: 'polygon', rpcUrls: [bsc.url, front.url] });
    await depositAndWatch(50n);
    await expectCreditedOnce(5);
    const health = await endpoints();
    expect(byUrl(health, bsc.url)).toMatchObject({ active: false, state: 'refused', lastFault: 'wrong_network', head: null });
    expect(byUrl(health, front.url).active).toBe(true);

    await callOk(t.engine, 'configuration:update', { chain: 'polygon', rpcUrls: [bsc.url] });
    await expect(t.engine.services.chains.adapter('polygon')).rejects.toMatchObject({ code: 'wrong_network' });
  }, 60_000);

  it('a killed endpoint is passed over and deposits keep being credited through the next', async () => {
    await callOk(t.engine, 'configuration:update', { chain: 'polygon', rpcUrls: [front.url, polygon.url] });
    await front.stop();
    await depositAndWatch(60n);
    await expectCreditedOnce(6);
    expect(byUrl(await endpoints(), front.url)).toMatchObject({ active: false, state: 'resting', lastFault: 'unreachable' });
  }, 60_000);
});

describe('the endpoint list in the settings', () => {
  it('keeps the single endpoint field as the first of the list, and refuses an empty or duplicate-only list', async () => {
    const configuration = await callOk<Configuration>(t.engine, 'configuration:update', { chain: 'bsc', rpcUrl: bsc.url });
    expect(configuration.chains.bsc.rpcUrls).toEqual([bsc.url]);
    const listed = await callOk<Configuration>(t.engine, 'configuration:update', { chain: 'bsc', rpcUrls: [bsc.url, polygon.url, bsc.url] });
    expect(listed.chains.bsc).toMatchObject({ rpcUrl: bsc.url, rpcUrls: [bsc.url, polygon.url] });
    const edited = await callOk<Configuration>(t.engine, 'configuration:update', { chain: 'bsc', rpcUrl: front.url });
    expect(edited.chains.bsc.rpcUrls).toEqual([front.url, polygon.url]);
    const empty = await t.engine.api.call('configuration:update', { chain: 'bsc', rpcUrls: [] }, { door: 'test' });
    expect(empty.ok).toBe(false);
    expect((await callOk<Configuration>(t.engine, 'configuration:get', {})).chains.bsc.rpcUrls).toEqual([front.url, polygon.url]);
  });
});
