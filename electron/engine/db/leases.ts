import { hostname } from 'node:os';
import { DomainError } from '@shared/result';

/**
 * Leases: "only one process works on X at a time" across every process that shares the database.
 *
 * A lease is held until it is released or lost. On PostgreSQL (postgres/leases.ts) it is a session-level
 * advisory lock on a connection of its own, so the server frees it the moment the holder's process dies or its
 * connection drops, and a process that was waiting takes it over; the holder notices the loss (connection
 * error, failed heartbeat) and must stop the work the lease guards. On SQLite it is granted in-process
 * (LocalLeases): the database is one workstation's file, written by the one process that has it open, and
 * SQLite offers no lock that dies with its holder, so there is nobody to take turns with. Two processes on one
 * SQLite file (the app and `npm run watcher` on the same data folder) would both be granted their leases; their
 * credits still cannot double (deposits are keyed by chain, tx hash and log index under SQLite's single writer),
 * but they would scan and sweep side by side: point them at PostgreSQL instead.
 */
export interface Lease {
  readonly name: string;
  /** True until released or lost. */
  readonly held: boolean;
  /** Aborted when the lease ends; `signal.reason` is a LeaseLostError after a loss. */
  readonly signal: AbortSignal;
  /** Called once, if the lease is lost (not on release). */
  onLost(listener: (error: LeaseLostError) => void): void;
  /** A round trip that proves the lease is still held right now; throws LeaseLostError (and ends the lease) if not. */
  verify(): Promise<void>;
  /** Gives the lease up; safe to call twice or after a loss. */
  release(): Promise<void>;
}

export interface Leases {
  /** How leases are held here, for health output: 'in-process' (SQLite) or 'postgres-advisory-lock'. */
  readonly kind: 'in-process' | 'postgres-advisory-lock';
  /** The lease when it is free now, null when another holder has it. Throws when the database cannot be reached. */
  tryAcquire(name: string): Promise<Lease | null>;
  /** Waits until the lease is free (asking again every retryMs), or throws when `signal` aborts. */
  acquire(name: string, options?: AcquireOptions): Promise<Lease>;
  /** Who holds each of these leases right now (null: nobody), so a screen can say which process does the work. */
  holders(names: readonly string[]): Promise<Map<string, LeaseHolder | null>>;
  /** Releases every lease this provider still holds. */
  close(): Promise<void>;
}

export interface LeaseHolder {
  /** This process holds it. */
  here: boolean;
  /** Which process: "<role>@<host>:<pid>" as that process named itself. */
  who: string;
  /** When the holder connected (PostgreSQL), or took the lease (in-process). */
  since: string | null;
}

/** How a process names itself to the others on a shared database: "watcher@db-01:4242". */
export function processOwner(role: string): string {
  return `${role}@${hostname()}:${process.pid}`;
}

export interface AcquireOptions {
  /** Pause between attempts while another holder has it; default 5000. */
  retryMs?: number;
  signal?: AbortSignal;
  /** Told about each failed attempt: null when another holder has the lease, the error when the database failed. */
  onAttempt?: (error: unknown) => void;
}

export class LeaseLostError extends DomainError {
  constructor(
    readonly lease: string,
    reason: string,
  ) {
    super('lease_lost', `Lease "${lease}" was lost: ${reason}. Work guarded by it stops until it is acquired again.`);
    this.name = 'LeaseLostError';
  }
}

/** Checks a lease name: printable, short, so it can appear in logs and health output as is. */
export function checkLeaseName(name: string): string {
  if (typeof name !== 'string' || !/^[\w.:-]{1,100}$/.test(name)) {
    throw new DomainError('validation', `A lease name is 1 to 100 letters, digits, '.', ':', '_' or '-'; got ${JSON.stringify(name)}.`);
  }
  return name;
}

/** The acquire() loop over any tryAcquire(). */
export async function acquireByPolling(tryAcquire: () => Promise<Lease | null>, options: AcquireOptions = {}): Promise<Lease> {
  const retryMs = options.retryMs ?? 5_000;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      const lease = await tryAcquire();
      if (lease) return lease;
      options.onAttempt?.(null);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'validation') throw error;
      options.onAttempt?.(error);
    }
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(done, retryMs);
      function done() {
        options.signal?.removeEventListener('abort', aborted);
        resolve();
      }
      function aborted() {
        clearTimeout(timer);
        reject(options.signal!.reason);
      }
      options.signal?.addEventListener('abort', aborted, { once: true });
    });
  }
}

/** The shared part of a lease: its state, its signal and its loss listeners. */
export abstract class BaseLease implements Lease {
  private readonly controller = new AbortController();
  private readonly listeners: Array<(error: LeaseLostError) => void> = [];
  private ended = false;

  constructor(readonly name: string) {}

  get held(): boolean {
    return !this.ended;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  onLost(listener: (error: LeaseLostError) => void): void {
    this.listeners.push(listener);
  }

  abstract verify(): Promise<void>;
  abstract release(): Promise<void>;

  /** Ends the lease as released; returns false when it had ended already. */
  protected endReleased(): boolean {
    if (this.ended) return false;
    this.ended = true;
    this.controller.abort(new LeaseLostError(this.name, 'released'));
    return true;
  }

  /** Ends the lease as lost and tells the listeners; returns the error (the first one, if it had ended already). */
  protected endLost(reason: string): LeaseLostError {
    if (this.ended) return this.signal.reason instanceof LeaseLostError ? this.signal.reason : new LeaseLostError(this.name, reason);
    this.ended = true;
    const error = new LeaseLostError(this.name, reason);
    this.controller.abort(error);
    for (const listener of this.listeners) {
      try {
        listener(error);
      } catch {
        // a listener's failure must not keep the others from hearing about the loss
      }
    }
    return error;
  }
}

/** SQLite: leases exclusive within this process only (see the note on Lease). */
export class LocalLeases implements Leases {
  readonly kind = 'in-process' as const;
  private readonly held = new Map<string, LocalLease>();
  private readonly since = new Map<string, string>();

  constructor(private readonly owner = processOwner('engine')) {}

  async tryAcquire(name: string): Promise<Lease | null> {
    checkLeaseName(name);
    if (this.held.has(name)) return null;
    const lease = new LocalLease(name, () => {
      this.held.delete(name);
      this.since.delete(name);
    });
    this.held.set(name, lease);
    this.since.set(name, new Date().toISOString());
    return lease;
  }

  async holders(names: readonly string[]): Promise<Map<string, LeaseHolder | null>> {
    return new Map(names.map((name) => [name, this.held.has(name) ? { here: true, who: this.owner, since: this.since.get(name) ?? null } : null]));
  }

  acquire(name: string, options?: AcquireOptions): Promise<Lease> {
    checkLeaseName(name);
    return acquireByPolling(() => this.tryAcquire(name), options);
  }

  async close(): Promise<void> {
    await Promise.all([...this.held.values()].map((lease) => lease.release()));
  }
}

class LocalLease extends BaseLease {
  constructor(
    name: string,
    private readonly forget: () => void,
  ) {
    super(name);
  }

  async verify(): Promise<void> {
    if (!this.held) throw this.signal.reason as LeaseLostError;
  }

  async release(): Promise<void> {
    if (this.endReleased()) this.forget();
  }
}
