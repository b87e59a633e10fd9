import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { checkLedgerInvariants } from '@engine/ledger/invariants';
import type { WalletView } from '@shared/domain/wallets';
import type { WatcherHealth } from '../../../electron/host/watcher/watcher-service';
import { callOk, startUnlockedEngine, type TestEngine } from '@test/engine';
import { testPostgresUrl } from '@test/backends';
import { startDevChain, type DevChain } from './devnet-chain';
import { LEASE_NAMESPACE, leaseKey } from '@engine/db/postgres/leases';

/**
 * Two real `npm run watcher` processes on one PostgreSQL database and a real anvil chain: exactly one holds
 * the chain's watch lease and credits; kill -9 it and the other takes over within a bound, re-scans from the
 * shared cursor (here rewound to block 1, as after the worst crash) and credits what is new, never twice.
 */
const DEPTH = 3;
const ROOT = resolve(__dirname, '../../..');
const ENTRY = resolve(ROOT, 'electron/host/watcher/cli.ts');
const TAKEOVER_BOUND_MS = 5_000;

interface Watcher {
  child: ChildProcess;
  latest: WatcherHealth | null;
  stderr: string[];
  exited: Promise<number | null>;
}

function polygonLease(w: Watcher): string | undefined {
  return w.latest?.chains.find((c) => c.chain === 'polygon')?.lease;
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

describe.skipIf(!testPostgresUrl())('npm run watcher: two processes on one PostgreSQL database', () => {
  let dev: DevChain;
  let t: TestEngine;
  let wallet: WalletView;
  const watchers: Watcher[] = [];

  function startWatcher(): Watcher {
    // node with tsx's loader, not the tsx CLI: that one runs the script in a child process, and kill -9 must hit
    // the process that holds the lease (under systemd the whole cgroup goes, so either works there).
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, '--health-interval', '0.2', '--poll-interval', '0.2', '--lease-retry', '0.3'], {
      cwd: ROOT,
      env: {
        ...process.env,
        TSX_TSCONFIG_PATH: 'tsconfig.node.json',
        TREASURY_HOME: t.home,
        TREASURY_DATABASE_URL: t.database.dialect === 'postgres' ? t.database.url : '',
        TREASURY_PROFILE: 'devnet',
        TREASURY_WATCHER_OPERATOR: '',
        TREASURY_WATCHER_PASSPHRASE_FILE: '',
        // Two services on one machine would both bind the API's port: this test is about the chain lease.
        TREASURY_API: 'off',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const w: Watcher = { child, latest: null, stderr: [], exited: new Promise((r) => child.on('exit', (code) => r(code))) };
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return; // the one `API:` line, when the API is on
      const parsed = JSON.parse(line) as WatcherHealth;
      if (parsed.type === 'health') w.latest = parsed;
    });
    createInterface({ input: child.stderr! }).on('line', (line) => w.stderr.push(line));
    watchers.push(w);
    return w;
  }

  const db = () => t.engine.database.db;
  const lockHolders = async () =>
    Number((await sql<{ n: number }>`select count(*)::int as n from pg_locks l where l.locktype = 'advisory' and l.granted and l.objsubid = 2 and l.classid = ${LEASE_NAMESPACE} and l.objid = ${leaseKey('treasury.watch.polygon')}`.execute(db())).rows[0]!.n);
  const confirmedDeposits = async () => (await db().selectFrom('deposits').select(['id', 'amount']).where('chain', '=', 'polygon').where('state', '=', 'confirmed').execute()).length;

  beforeAll(async () => {
    dev = await startDevChain('polygon');
    t = await startUnlockedEngine({ backend: 'postgres' });
    await callOk(t.engine, 'configuration:update', { chain: 'polygon', rpcUrl: dev.url, confirmations: DEPTH });
    // The other chains point nowhere: their loops fail and back off without touching Polygon's.
    await callOk(t.engine, 'configuration:update', { chain: 'bsc', rpcUrl: 'http://127.0.0.1:9' });
    await callOk(t.engine, 'configuration:update', { chain: 'tron', rpcUrl: 'http://127.0.0.1:9' });
    wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'client A' });
  });
  afterAll(async () => {
    for (const w of watchers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await Promise.all(watchers.map((w) => w.exited));
    await t?.dispose();
    await dev?.stop();
  });

  it('one holds the chain, credits once; kill -9 it and the other takes over and credits the rest once', async () => {
    const [a, b] = [startWatcher(), startWatcher()];
    const [holder, standby] = await until('one watcher to hold polygon and the other to wait', () => {
      const states = [polygonLease(a), polygonLease(b)];
      if (states.includes('held') && states.includes('waiting')) return states[0] === 'held' ? [a, b] : [b, a];
      return undefined;
    });
    expect(await lockHolders()).toBe(1);

    await dev.sendNative(wallet.address, 5n * dev.coin);
    await dev.sendToken(wallet.address, 250n * dev.unit);
    await dev.mine(DEPTH);
    await until('two confirmed deposits', async () => (await confirmedDeposits()) === 2);
    expect(polygonLease(standby)).toBe('waiting');
    expect(polygonLease(holder)).toBe('held');

    // The holder dies without a word; its connections go with it, and the server frees its lock.
    const killedAt = Date.now();
    holder.child.kill('SIGKILL');
    await holder.exited;
    // The worst case for a successor: the cursor as if nothing had been saved, so every block is scanned again.
    await db().updateTable('watch_cursors').set({ next_block: 1 }).where('chain', '=', 'polygon').execute();
    await dev.sendToken(wallet.address, 40n * dev.unit);
    await dev.mine(DEPTH);
    await until('the standby to hold polygon', () => polygonLease(standby) === 'held', TAKEOVER_BOUND_MS);
    const takeoverMs = Date.now() - killedAt;
    console.log(`[watcher failover] takeover after kill -9: ${takeoverMs} ms (lease retry 300 ms, poll 200 ms)`);
    expect(takeoverMs).toBeLessThan(TAKEOVER_BOUND_MS);
    await until('the third deposit credited by the successor', async () => (await confirmedDeposits()) === 3, 20_000);
    expect(await lockHolders()).toBe(1);

    // Let it scan past everything once more, then check nothing was recorded or credited twice.
    const head = await dev.head();
    await until('the successor to catch up', () => (standby.latest?.chains.find((c) => c.chain === 'polygon')?.lastScannedBlock ?? 0) >= head);
    const deposits = await db().selectFrom('deposits').selectAll().where('chain', '=', 'polygon').execute();
    expect(deposits).toHaveLength(3);
    expect(new Set(deposits.map((d) => `${d.tx_hash}:${d.log_index}`)).size).toBe(3);
    const credits = await db().selectFrom('ledger_transfers').select(['idempotency_key', 'cause_id']).where('code', '=', 'deposit').execute();
    expect(credits).toHaveLength(3);
    expect(new Set(credits.map((c) => c.cause_id)).size).toBe(3);
    expect(new Set(credits.map((c) => c.idempotency_key)).size).toBe(3);
    expect((await t.engine.services.ledger.balance({ kind: 'client_wallet', assetId: dev.token, walletId: wallet.id })).posted).toBe((290n * dev.unit).toString());
    expect((await t.engine.services.ledger.balance({ kind: 'client_wallet', assetId: dev.native, walletId: wallet.id })).posted).toBe((5n * dev.coin).toString());
    expect(await checkLedgerInvariants(db())).toEqual([]);

    // SIGTERM: a clean exit that gives the lease back.
    standby.child.kill('SIGTERM');
    expect(await standby.exited).toBe(0);
    expect(await lockHolders()).toBe(0);
    expect(standby.stderr.join('\n')).toMatch(/SIGTERM: stopping, releasing leases/);
  });
});
