import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { LeaseLostError, LocalLeases, type Lease } from '@engine/db/leases';
import { LEASE_NAMESPACE, leaseKey, PostgresLeases, type PostgresLease } from '@engine/db/postgres/leases';
import { ChainLeases } from '@engine/watch/chain-leases';
import { DomainError } from '@shared/result';
import { createPostgresDatabase, testPostgresUrl } from '@test/backends';

const until = async (check: () => boolean | Promise<boolean>, ms = 5_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('in-process leases (SQLite)', () => {
  it('grants a name once per process until released, and refuses a malformed name', async () => {
    const leases = new LocalLeases();
    const first = await leases.tryAcquire('treasury.watch.polygon');
    expect(first?.held).toBe(true);
    expect(await leases.tryAcquire('treasury.watch.polygon')).toBeNull();
    expect(await leases.tryAcquire('treasury.watch.bsc')).not.toBeNull();
    const waiting = leases.acquire('treasury.watch.polygon', { retryMs: 10 });
    await first!.release();
    expect((await waiting).held).toBe(true);
    expect(first!.held).toBe(false);
    await expect(leases.tryAcquire('no spaces; drop table')).rejects.toMatchObject({ code: 'validation' });
    await leases.close();
  });
});

const pgUrl = testPostgresUrl();

describe.skipIf(!pgUrl)('PostgreSQL leases (session advisory locks on a dedicated connection)', () => {
  let database: { url: string; drop(): Promise<void> };
  let admin: pg.Client;
  const providers: PostgresLeases[] = [];
  const provider = () => {
    const p = new PostgresLeases(database.url, { heartbeatMs: 100, timeoutMs: 1_000 });
    providers.push(p);
    return p;
  };

  beforeAll(async () => {
    database = await createPostgresDatabase();
    admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
  });
  afterAll(async () => {
    await Promise.all(providers.map((p) => p.close()));
    await admin?.end();
    await database?.drop();
  });

  const holders = async (name: string) =>
    (await admin.query(`select pid from pg_locks where locktype = 'advisory' and classid = $1 and objid = $2 and objsubid = 2 and granted`, [LEASE_NAMESPACE, leaseKey(name)])).rows.map((r) => r.pid as number);

  it('one holder at a time across connections; release hands it over', async () => {
    const [a, b] = [provider(), provider()];
    const held = (await a.tryAcquire('treasury.watch.polygon')) as PostgresLease;
    expect(held).not.toBeNull();
    expect(await holders('treasury.watch.polygon')).toEqual([held.backendPid]);
    expect(await b.tryAcquire('treasury.watch.polygon')).toBeNull();
    await held.verify();
    const waiting = b.acquire('treasury.watch.polygon', { retryMs: 50 });
    await held.release();
    const next = (await waiting) as PostgresLease;
    expect(await holders('treasury.watch.polygon')).toEqual([next.backendPid]);
    await next.release();
    expect(await holders('treasury.watch.polygon')).toEqual([]);
  });

  it('a dropped connection ends the lease: the holder hears of it, verify() fails, another process takes it', async () => {
    const [a, b] = [provider(), provider()];
    const held = (await a.tryAcquire('treasury.watch.bsc')) as PostgresLease;
    const lost: LeaseLostError[] = [];
    held.onLost((error) => lost.push(error));
    const started = Date.now();
    // What the server does when the holder's process dies or its network goes: the session ends.
    await admin.query('select pg_terminate_backend($1)', [held.backendPid]);
    await until(() => lost.length === 1);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(held.held).toBe(false);
    expect(held.signal.aborted).toBe(true);
    expect(lost[0]).toBeInstanceOf(LeaseLostError);
    expect(lost[0]).toBeInstanceOf(DomainError);
    expect(lost[0]!.code).toBe('lease_lost');
    await expect(held.verify()).rejects.toMatchObject({ code: 'lease_lost' });
    const taken = await b.tryAcquire('treasury.watch.bsc');
    expect(taken?.held).toBe(true);
    await taken!.release();
  });

  it('the heartbeat notices a lock the server no longer grants, even with the connection up', async () => {
    const held = (await provider().tryAcquire('treasury.watch.tron')) as PostgresLease;
    const lost = new Promise<LeaseLostError>((resolve) => held.onLost(resolve));
    // Reach into the lease's own session and drop its lock behind its back.
    await (held as unknown as { client: pg.Client }).client.query('select pg_advisory_unlock_all()');
    expect((await lost).message).toMatch(/no longer grants/);
    expect(held.held).toBe(false);
  });

  it('an unreachable server is a database_unavailable error, not a hang', async () => {
    const url = new URL(database.url);
    url.port = '1';
    await expect(new PostgresLeases(url.toString(), { timeoutMs: 1_000 }).tryAcquire('treasury.watch.polygon')).rejects.toMatchObject({ code: 'database_unavailable' });
  });

  it('ChainLeases: one process holds each chain; a lost lease stops the work and the other process takes over', async () => {
    const one = new ChainLeases(provider(), 'watch', { leaseRetryMs: 50 }, ['polygon']);
    const two = new ChainLeases(provider(), 'watch', { leaseRetryMs: 50 }, ['polygon']);
    one.start();
    await until(() => one.holds('polygon'));
    two.start();
    await until(() => two.statuses()[0]!.state === 'waiting');
    expect(await one.verify('polygon')).toBe(true);
    expect(await two.verify('polygon')).toBe(false);
    const [pid] = await holders('treasury.watch.polygon');
    await admin.query('select pg_terminate_backend($1)', [pid]);
    await until(() => two.holds('polygon'));
    expect(one.holds('polygon')).toBe(false);
    expect(await one.verify('polygon')).toBe(false);
    expect(one.statuses()[0]).toMatchObject({ state: 'waiting', lastError: expect.stringMatching(/lost/) });
    await two.stop();
    await until(() => one.holds('polygon'));
    await one.stop();
    expect(await holders('treasury.watch.polygon')).toEqual([]);
  });

  it('ChainLeases: a process that cannot do the work (seed locked) gives the lease up for one that can', async () => {
    let unlocked = true;
    const locking = new ChainLeases(provider(), 'sweep', { leaseRetryMs: 50, eligible: () => unlocked }, ['bsc']);
    const other = new ChainLeases(provider(), 'sweep', { leaseRetryMs: 50 }, ['bsc']);
    locking.start();
    await until(() => locking.holds('bsc'));
    other.start();
    unlocked = false;
    await until(() => other.holds('bsc'));
    expect(locking.statuses()[0]!.state).toBe('ineligible');
    await Promise.all([locking.stop(), other.stop()]);
  });
});

// Type-level: a Lease is what both implementations hand out.
export type _Lease = Lease;

describe('who holds a lease, for the status screen', () => {
  it('in-process: this process, named by its role', async () => {
    const leases = new LocalLeases('host@ws-1:100');
    const lease = await leases.tryAcquire('treasury.watch.tron');
    const held = await leases.holders(['treasury.watch.tron', 'treasury.watch.bsc']);
    expect(held.get('treasury.watch.tron')).toMatchObject({ here: true, who: 'host@ws-1:100' });
    expect(held.get('treasury.watch.bsc')).toBeNull();
    await lease!.release();
    expect((await leases.holders(['treasury.watch.tron'])).get('treasury.watch.tron')).toBeNull();
  });

  it.skipIf(!pgUrl)('PostgreSQL: another process sees which one holds it, read from the server', async () => {
    const database = await createPostgresDatabase();
    const watcher = new PostgresLeases(database.url, { owner: 'watcher@srv-1:4242' });
    const workstation = new PostgresLeases(database.url, { owner: 'app@ws-2:77' });
    try {
      const lease = await watcher.tryAcquire('treasury.watch.polygon');
      expect(lease).not.toBeNull();
      const seen = await workstation.holders(['treasury.watch.polygon', 'treasury.watch.bsc']);
      expect(seen.get('treasury.watch.polygon')).toMatchObject({ here: false, who: 'watcher@srv-1:4242', since: expect.any(String) });
      expect(seen.get('treasury.watch.bsc')).toBeNull();
      expect((await watcher.holders(['treasury.watch.polygon'])).get('treasury.watch.polygon')).toMatchObject({ here: true });
      await lease!.release();
      expect((await workstation.holders(['treasury.watch.polygon'])).get('treasury.watch.polygon')).toBeNull();
    } finally {
      await watcher.close();
      await workstation.close();
      await database.drop();
    }
  });
});
