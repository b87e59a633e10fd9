import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkLedgerInvariants } from '@engine/ledger/invariants';
import type { ChainAlertView, DepositView } from '@shared/domain/deposits';
import type { Page } from '@shared/domain/ledger';
import type { WalletView } from '@shared/domain/wallets';
import { callOk, startUnlockedEngine, type TestEngine } from '@test/engine';
import { startDevChain, type DevChain } from './devnet-chain';
import { startLaggingRpc, type LaggingRpc } from './lagging-rpc';

/**
 * A load-balanced endpoint whose backends disagree about the head (BNB Chain: 15 blocks is about 11 s) in front
 * of a real anvil: a head behind what was scanned is waited out, a block a backend does not have yet is not a
 * different block, and after the endpoint flaps between the two every deposit is credited once, none reversed.
 */
const DEPTH = 5;
const LAG = 15;
let dev: DevChain;
let rpc: LaggingRpc;
let t: TestEngine;
let wallet: WalletView;

beforeAll(async () => {
  dev = await startDevChain('polygon');
  rpc = await startLaggingRpc(dev.url, LAG);
  t = await startUnlockedEngine({ watch: { retry: { attempts: 6, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 5_000 }, maxBlocksPerTick: 6 } });
  await callOk(t.engine, 'configuration:update', { chain: 'polygon', rpcUrl: rpc.url, confirmations: DEPTH });
  await t.engine.services.holding.register({ chain: 'polygon', address: dev.holdingAddress, derivationPath: "m/44'/60'/0'/0/1", source: 'virtual-ledger' });
  wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'lagged' });
  // A chain longer than the lag, as every real one is.
  await dev.mine(LAG + 5);
  await t.engine.services.watch.tick('polygon');
}, 60_000);
afterAll(async () => {
  await t?.dispose();
  await rpc?.stop();
  await dev?.stop();
});

const deposits = async () => (await callOk<Page<DepositView>>(t.engine, 'wallets:deposits', { walletId: wallet.id })).items;
const balance = async (assetId: string) => BigInt((await t.engine.services.ledger.balance({ kind: 'client_wallet', assetId, walletId: wallet.id })).posted);
const reorgRecords = async () => t.engine.database.db.selectFrom('audit_log').select('seq').where('action', 'in', ['watch.reorg', 'deposit.orphaned']).execute();

it('a lagging head is waited out: nothing credited is reversed', async () => {
  const { watch } = t.engine.services;
  await dev.sendToken(wallet.address, 10n * dev.unit);
  await dev.sendNative(wallet.address, dev.coin);
  await dev.mine(DEPTH);
  while ((await watch.tick('polygon')).to < (await dev.head())) {
    /* catch up */
  }
  expect((await deposits()).map((d) => d.state)).toEqual(['confirmed', 'confirmed']);

  rpc.mode = 'lagging';
  await dev.sendToken(wallet.address, 20n * dev.unit);
  await dev.mine(2);
  const outcomes = [await watch.tick('polygon'), await watch.tick('polygon'), await watch.tick('polygon')];
  expect(outcomes.every((o) => o.nodeBehindBy > 0 && o.reorgedTo === null)).toBe(true);
  expect((await deposits()).filter((d) => d.state !== 'confirmed')).toEqual([]);
  expect(await balance(dev.token)).toBe(10n * dev.unit);
  expect(await reorgRecords()).toEqual([]);
  const health = (await watch.health()).find((h) => h.chain === 'polygon');
  expect(health?.lastError).toBeNull();
}, 60_000);

it('an endpoint flapping between a lagging and a current backend misses nothing and reverses nothing', async () => {
  const { watch } = t.engine.services;
  rpc.mode = 'flapping';
  await dev.sendToken(wallet.address, 30n * dev.unit);
  await dev.mine(3);
  await dev.sendNative(wallet.address, 2n * dev.coin);
  await dev.mine(DEPTH + LAG);
  const target = await dev.head();
  let errors = 0;
  for (let i = 0; i < 200; i++) {
    try {
      await watch.tick('polygon');
    } catch {
      // A tick whose retries all met the lagging backend fails whole; the next one starts again from the cursor.
      errors++;
    }
    const scanned = ((await watch.watcher('polygon').cursor()) ?? 0) - 1;
    if (scanned >= target && (await deposits()).every((d) => d.state === 'confirmed')) break;
  }
  expect(rpc.counts.lagged).toBeGreaterThan(10);
  const found = await deposits();
  expect(found.map((d) => [d.assetId, d.amount, d.state]).sort()).toEqual(
    [
      [dev.token, (10n * dev.unit).toString(), 'confirmed'],
      [dev.native, dev.coin.toString(), 'confirmed'],
      [dev.token, (20n * dev.unit).toString(), 'confirmed'],
      [dev.token, (30n * dev.unit).toString(), 'confirmed'],
      [dev.native, (2n * dev.coin).toString(), 'confirmed'],
    ].sort(),
  );
  expect(await balance(dev.token)).toBe(60n * dev.unit);
  expect(await balance(dev.native)).toBe(3n * dev.coin);
  expect(await reorgRecords()).toEqual([]);
  expect(await callOk<ChainAlertView[]>(t.engine, 'sweeps:alerts', { chain: 'polygon', limit: 50 })).toEqual([]);
  const credits = await t.engine.database.db.selectFrom('ledger_transfers').select('idempotency_key').where('code', '=', 'deposit').execute();
  expect(credits).toHaveLength(5);
  expect(await checkLedgerInvariants(t.engine.database.db)).toEqual([]);
  expect(errors).toBeLessThan(200);
}, 120_000);
