import { createHash } from 'node:crypto';
import pg from 'pg';
import { DomainError } from '@shared/result';
import { acquireByPolling, BaseLease, checkLeaseName, processOwner, type AcquireOptions, type Lease, type LeaseHolder, type Leases } from '../leases';
import { redactUrl } from './connect';

/**
 * The first key of every lease's advisory lock: pg_try_advisory_lock(LEASE_NAMESPACE, key) takes the two-int
 * form, whose lock space never meets the single-bigint writer lock (connect.ts, WRITER_LOCK).
 */
export const LEASE_NAMESPACE = 7_243_002;

export interface PostgresLeaseOptions {
  /** How often a held lease checks, on its own connection, that the server still has its lock; default 5000. */
  heartbeatMs?: number;
  /** A check (or connecting) that takes longer than this counts as a lost connection; default 10000. */
  timeoutMs?: number;
  /** How this process names itself to the others (application_name of its lease connections); see processOwner. */
  owner?: string;
}

/** The lease's second key: 31 bits of the name's SHA-256 (non-negative, so pg_locks.objid shows the same number). */
export function leaseKey(name: string): number {
  return createHash('sha256').update(name).digest().readUInt32BE(0) & 0x7fffffff;
}

/**
 * Leases as session-level advisory locks, each on a dedicated pg.Client (never a pooled connection: the pool
 * would hand the session, and with it the lock, to unrelated queries, and keep it after the lease ended).
 * The server releases a session's advisory locks when the session ends, so a holder that dies (kill -9, power)
 * or whose connection drops gives its leases up at once; one that merely goes silent (a cut cable) loses them
 * when the server's idle_session_timeout and TCP keepalives end the session. The holder notices the loss on a
 * connection error, or when the heartbeat (which reads pg_locks on that connection) fails or times out.
 */
export class PostgresLeases implements Leases {
  readonly kind = 'postgres-advisory-lock' as const;
  private readonly open = new Set<PostgresLease>();
  private readonly heartbeatMs: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly url: string,
    options: PostgresLeaseOptions = {},
  ) {
    this.heartbeatMs = options.heartbeatMs ?? 5_000;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.owner = options.owner ?? processOwner('engine');
  }

  private readonly owner: string;

  /** Read from the server: the advisory locks of these leases and the sessions holding them. */
  async holders(names: readonly string[]): Promise<Map<string, LeaseHolder | null>> {
    const byKey = new Map(names.map((name) => [leaseKey(checkLeaseName(name)), name]));
    const mine = new Set([...this.open].filter((lease) => lease.held).map((lease) => lease.name));
    const found = new Map<string, LeaseHolder | null>(names.map((name) => [name, null]));
    const { rows } = await this.reader().query<{ key: number; who: string; since: Date }>(
      `select l.objid::bigint as key, a.application_name as who, a.backend_start as since
         from pg_locks l join pg_stat_activity a on a.pid = l.pid
        where l.locktype = 'advisory' and l.granted and l.classid = $1 and l.objsubid = 2 and l.objid = any($2::oid[])
          and l.database = (select oid from pg_database where datname = current_database())`,
      [LEASE_NAMESPACE, [...byKey.keys()]],
    );
    for (const row of rows) {
      const name = byKey.get(Number(row.key));
      if (!name) continue;
      found.set(name, { here: mine.has(name), who: row.who.replace(/^treasury /, ''), since: row.since ? new Date(row.since).toISOString() : null });
    }
    return found;
  }

  /**
   * One connection kept for reading who holds what (the status screen asks every few seconds), opened on
   * first use; lease connections stay one per lease.
   */
  private reading: pg.Pool | null = null;

  private reader(): pg.Pool {
    if (!this.reading) {
      this.reading = new pg.Pool({ connectionString: this.url, max: 1, application_name: `treasury ${this.owner}`.slice(0, 63), connectionTimeoutMillis: this.timeoutMs });
      this.reading.on('error', () => {});
    }
    return this.reading;
  }

  async tryAcquire(name: string): Promise<Lease | null> {
    checkLeaseName(name);
    const key = leaseKey(name);
    const client = new pg.Client({
      connectionString: this.url,
      application_name: `treasury ${this.owner}`.slice(0, 63),
      keepAlive: true,
      keepAliveInitialDelayMillis: 5_000,
      connectionTimeoutMillis: this.timeoutMs,
    });
    // Until the lease exists, a dropped connection only fails the attempt below.
    client.on('error', () => {});
    try {
      await client.connect();
      // A holder that vanishes without closing its socket: the server ends the idle session (PostgreSQL 14+) and
      // probes the socket, so its lock frees within about three heartbeats instead of the kernel's two hours.
      const idleMs = Math.max(3 * this.heartbeatMs, 15_000);
      await client.query(`select set_config('tcp_keepalives_idle', '10', false), set_config('tcp_keepalives_interval', '5', false), set_config('tcp_keepalives_count', '3', false)`).catch(() => {});
      await client.query(`select set_config('idle_session_timeout', $1, false)`, [String(idleMs)]).catch(() => {});
      const { rows } = await client.query<{ ok: boolean; pid: number }>('select pg_try_advisory_lock($1, $2) as ok, pg_backend_pid() as pid', [LEASE_NAMESPACE, key]);
      if (!rows[0]?.ok) {
        await client.end().catch(() => {});
        return null;
      }
      const lease = new PostgresLease(name, key, rows[0].pid, client, this.heartbeatMs, this.timeoutMs, () => this.open.delete(lease));
      this.open.add(lease);
      return lease;
    } catch (error) {
      await client.end().catch(() => {});
      throw new DomainError('database_unavailable', `Cannot take lease "${name}" on ${redactUrl(this.url)}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  acquire(name: string, options?: AcquireOptions): Promise<Lease> {
    checkLeaseName(name);
    return acquireByPolling(() => this.tryAcquire(name), options);
  }

  async close(): Promise<void> {
    await Promise.all([...this.open].map((lease) => lease.release()));
    const reading = this.reading;
    this.reading = null;
    await reading?.end().catch(() => {});
  }
}

export class PostgresLease extends BaseLease {
  private readonly heartbeat: NodeJS.Timeout;
  private checking: Promise<void> | null = null;

  constructor(
    name: string,
    private readonly key: number,
    /** The server process holding the lock (pg_stat_activity.pid): what an operator looks for, and what tests terminate. */
    readonly backendPid: number,
    private readonly client: pg.Client,
    heartbeatMs: number,
    private readonly timeoutMs: number,
    private readonly forget: () => void,
  ) {
    super(name);
    client.removeAllListeners('error');
    client.on('error', (error) => this.lose(`its connection failed (${error.message})`));
    client.on('end', () => this.lose('its connection closed'));
    this.heartbeat = setInterval(() => {
      this.verify().catch(() => {});
    }, heartbeatMs);
    this.heartbeat.unref();
  }

  /** Reads pg_locks on the lease's own session: the lock is still granted to it. One check at a time. */
  verify(): Promise<void> {
    if (!this.held) return Promise.reject(this.signal.reason);
    this.checking ??= this.check().finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  private async check(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      const { rows } = await Promise.race([
        this.client.query<{ held: boolean }>(
          `select exists (select 1 from pg_locks where locktype = 'advisory' and pid = pg_backend_pid()
             and classid = $1 and objid = $2 and objsubid = 2 and granted) as held`,
          [LEASE_NAMESPACE, this.key],
        ),
        timeout,
      ]);
      if (!rows[0]?.held) throw new Error('the server no longer grants its lock');
    } catch (error) {
      if (!this.held) throw this.signal.reason;
      throw this.lose(`the check on its connection failed (${error instanceof Error ? error.message : String(error)})`);
    } finally {
      clearTimeout(timer);
    }
  }

  private lose(reason: string) {
    const first = this.held;
    const error = this.endLost(reason);
    if (first) {
      clearInterval(this.heartbeat);
      this.forget();
      this.client.end().catch(() => {});
    }
    return error;
  }

  async release(): Promise<void> {
    if (!this.endReleased()) return;
    clearInterval(this.heartbeat);
    this.forget();
    this.client.removeAllListeners('end');
    try {
      await this.client.query('select pg_advisory_unlock($1, $2)', [LEASE_NAMESPACE, this.key]);
    } catch {
      // the session is gone, and its lock with it
    }
    await this.client.end().catch(() => {});
  }
}
