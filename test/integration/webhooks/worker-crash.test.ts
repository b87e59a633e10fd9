import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contract, JsonRpcProvider, Wallet } from 'ethers';
import type { WalletView } from '@shared/domain/wallets';
import type { WebhookSecretReveal } from '@shared/domain/webhooks';
import type { WatcherHealth } from '../../../electron/host/watcher/watcher-service';
import { callOk, startTestEngine, startUnlockedEngine, type TestEngine } from '@test/engine';
import { WebhookReceiver } from '@test/webhook-receiver';
import { startDevChain, type DevChain } from '../watch/devnet-chain';

/**
 * The delivery worker in the real watcher service process (`npm run watcher`, spawned as node + tsx so the
 * kill reaches the process itself), killed with SIGKILL while a delivery is in flight: nothing is lost. A second
 * service on the same data folder sends the interrupted delivery again and the rest after it, in order.
 */
const ROOT = resolve(__dirname, '../../..');
const ENTRY = resolve(ROOT, 'electron/host/watcher/cli.ts');
const DEPTH = 3;

interface Service {
  child: ChildProcess;
  latest: WatcherHealth | null;
  stderr: string[];
  exited: Promise<number | null>;
}

async function until<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('webhook delivery survives kill -9 of the service mid-delivery (sqlite)', () => {
  let dev: DevChain;
  let t: TestEngine;
  let receiver: WebhookReceiver;
  // The service opens the devnet workspace of its data folder: <root>/devnet.
  const root = mkdtempSync(join(tmpdir(), 'treasury-webhooks-'));
  const services: Service[] = [];

  function startService(): Service {
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, '--health-interval', '0.2', '--poll-interval', '0.2', '--lease-retry', '0.3'], {
      cwd: ROOT,
      env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.node.json', TREASURY_HOME: root, TREASURY_DATABASE_URL: '', TREASURY_PROFILE: 'devnet', TREASURY_WATCHER_OPERATOR: '', TREASURY_WATCHER_PASSPHRASE_FILE: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const s: Service = { child, latest: null, stderr: [], exited: new Promise((r) => child.on('exit', (code) => r(code))) };
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const parsed = JSON.parse(line) as WatcherHealth;
        if (parsed.type === 'health') s.latest = parsed;
      } catch {
        // Not a health line.
      }
    });
    createInterface({ input: child.stderr! }).on('line', (line) => s.stderr.push(line));
    services.push(s);
    return s;
  }

  beforeAll(async () => {
    dev = await startDevChain('polygon');
    mkdirSync(join(root, 'devnet'));
    t = await startUnlockedEngine({ backend: 'sqlite', home: join(root, 'devnet') });
    await callOk(t.engine, 'configuration:update', { chain: 'polygon', rpcUrl: dev.url, confirmations: DEPTH });
    await callOk(t.engine, 'configuration:update', { chain: 'bsc', rpcUrl: 'http://127.0.0.1:9' });
    await callOk(t.engine, 'configuration:update', { chain: 'tron', rpcUrl: 'http://127.0.0.1:9' });
    receiver = new WebhookReceiver();
    await receiver.start();
  });
  afterAll(async () => {
    for (const s of services) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
    await Promise.all(services.map((s) => s.exited));
    receiver?.release();
    await receiver?.stop();
    await t?.dispose();
    await dev?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('every event arrives, in order of first arrival, the interrupted one at most twice', async () => {
    const wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'client A' });
    const endpoint = await callOk<WebhookSecretReveal>(t.engine, 'webhooks:create', { url: receiver.url, events: ['deposit.*'] });
    receiver.secrets = [endpoint.secret];
    await t.engine.services.watch.tick('polygon');
    const client = Wallet.createRandom().connect(new JsonRpcProvider(dev.url, undefined, { staticNetwork: true })) as unknown as Wallet;
    await dev.fundNative(client.address, dev.coin);
    await dev.sendToken(client.address, 100n * dev.unit);
    const usdt = new Contract((await t.engine.services.assets.get(dev.token)).contract!, ['function transfer(address to, uint256 amount) returns (bool)'], client);
    for (let i = 0; i < 4; i++) await (await usdt.getFunction('transfer')(wallet.address, BigInt(i + 1) * dev.unit, { nonce: i })).wait();
    await t.engine.services.watch.tick('polygon');
    await dev.mine(DEPTH);
    await t.engine.services.watch.tick('polygon');
    const db = t.engine.database.db;
    const expected = (await db.selectFrom('webhook_deliveries').select('event_id').orderBy('position').execute()).map((r) => r.event_id);
    expect(expected.length).toBe(8);
    // The service takes the data folder over (one engine per SQLite file).
    const database = t.database;
    await t.engine.close();

    receiver.holdAfter = 3;
    const first = startService();
    await until('the fourth delivery to be in flight', () => receiver.received.length === 4);
    first.child.kill('SIGKILL');
    await first.exited;
    receiver.release();

    const second = startService();
    await until('every event to arrive', () => expected.every((id) => receiver.received.some((r) => r.eventId === id)), 30_000);
    await until('the service to report nothing pending', () => second.latest?.webhooks?.pending === 0);
    second.child.kill('SIGTERM');
    await second.exited;

    expect(receiver.firstArrivals()).toEqual(expected);
    expect(receiver.received.every((r) => r.checks[0]!.ok)).toBe(true);
    const counts = new Map<string, number>();
    for (const r of receiver.received) counts.set(r.eventId, (counts.get(r.eventId) ?? 0) + 1);
    // Only the delivery the kill interrupted can have come twice (at-least-once; the receiver dedups on the event id).
    expect([...counts].filter(([, n]) => n > 1).map(([id]) => id)).toEqual(expected.slice(3, 4).filter((id) => counts.get(id)! > 1));
    expect(counts.get(expected[3]!)).toBeLessThanOrEqual(2);

    t = { ...t, ...(await startTestEngine({ home: t.home, database })) };
    const rows = await t.engine.database.db.selectFrom('webhook_deliveries').select(['state', 'attempts']).execute();
    expect(rows.every((r) => r.state === 'delivered')).toBe(true);
  });
});
