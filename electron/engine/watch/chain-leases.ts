import { CHAINS, type Chain } from '@shared/domain/chains';
import type { Lease, Leases } from '../db/leases';

export interface ChainLeaseOptions {
  /** Pause between attempts to take a chain's lease while another process holds it; default 5000. */
  leaseRetryMs?: number;
  /**
   * Whether the chain may be worked on at all yet (its workspace is set up and its endpoint confirmed): until
   * it is, this process neither asks for the chain's lease nor keeps it, so nothing reads that chain.
   */
  ready?: (chain: Chain) => boolean | Promise<boolean>;
}

export type ChainLeaseState = 'held' | 'waiting' | 'ineligible' | 'stopped';

export interface ChainLeaseStatus {
  chain: Chain;
  /** The lease's name, the same in every process on the database. */
  lease: string;
  /** held: this process works on the chain; waiting: another process does (or the database is unreachable); ineligible: this process cannot do the work now. */
  state: ChainLeaseState;
  /** When the state last changed (ISO-8601). */
  since: string;
  lastError: string | null;
  lastErrorAt: string | null;
}

/**
 * One lease per chain for one kind of work (`treasury.watch.<chain>`, `treasury.sweep.<chain>`): the process
 * holding it does that work on the chain, every other process on the same database waits and asks again every
 * leaseRetryMs, and takes over when the holder's lease ends (its process died, its connection dropped). A lost
 * lease stops the work at once (holds() turns false, verify() fails) and the process goes back to waiting.
 * `eligible` says whether this process can do the work at all right now (sweeps need the seed open): while it
 * cannot, it neither asks for the lease nor keeps it, so a process that can takes it.
 */
export class ChainLeases {
  private readonly held = new Map<Chain, Lease>();
  private readonly status = new Map<Chain, ChainLeaseStatus>();
  private readonly timers = new Map<Chain, NodeJS.Timeout>();
  private readonly acquiredListeners: Array<(chain: Chain) => void> = [];
  private readonly busy = new Map<Chain, Promise<void>>();
  private readonly lostAt = new Map<Chain, number>();
  private running = false;

  constructor(
    private readonly leases: Leases,
    /** The kind of work, part of every lease name: 'watch' or 'sweep'. */
    readonly work: string,
    private readonly options: ChainLeaseOptions & { eligible?: () => boolean; log?: (message: string, error?: unknown) => void } = {},
    readonly chains: readonly Chain[] = CHAINS,
  ) {
    for (const chain of chains) {
      this.status.set(chain, { chain, lease: leaseName(work, chain), state: 'stopped', since: now(), lastError: null, lastErrorAt: null });
    }
  }

  get kind(): Leases['kind'] {
    return this.leases.kind;
  }

  /** Starts competing for every chain's lease. */
  start(): void {
    if (this.running) return;
    this.running = true;
    for (const chain of this.chains) this.attemptSoon(chain, 0);
  }

  /** Stops competing and releases what this process holds. */
  async stop(): Promise<void> {
    this.running = false;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.all([...this.busy.values()]);
    await Promise.all([...this.held.values()].map((lease) => lease.release()));
    this.held.clear();
    for (const chain of this.chains) this.setState(chain, 'stopped');
  }

  onAcquired(listener: (chain: Chain) => void): void {
    this.acquiredListeners.push(listener);
  }

  holds(chain: Chain): boolean {
    return this.held.get(chain)?.held ?? false;
  }

  /** True when this process holds the chain's lease right now, proven by a round trip on the lease's connection. */
  async verify(chain: Chain): Promise<boolean> {
    const lease = this.held.get(chain);
    if (!lease?.held) return false;
    try {
      await lease.verify();
      return true;
    } catch {
      return false;
    }
  }

  statuses(): ChainLeaseStatus[] {
    return this.chains.map((chain) => ({ ...this.status.get(chain)! }));
  }

  private attemptSoon(chain: Chain, ms: number): void {
    if (!this.running) return;
    clearTimeout(this.timers.get(chain));
    const timer = setTimeout(() => {
      this.timers.delete(chain);
      const attempt = this.attempt(chain).finally(() => {
        this.busy.delete(chain);
        this.attemptSoon(chain, this.options.leaseRetryMs ?? 5_000);
      });
      this.busy.set(chain, attempt);
    }, ms);
    timer.unref();
    this.timers.set(chain, timer);
  }

  private async attempt(chain: Chain): Promise<void> {
    const eligible = (this.options.eligible?.() ?? true) && (await this.isReady(chain));
    const current = this.held.get(chain);
    if (current?.held) {
      if (!eligible) {
        this.held.delete(chain);
        await current.release();
        this.setState(chain, 'ineligible');
      }
      return;
    }
    if (!eligible) {
      this.setState(chain, 'ineligible');
      return;
    }
    // Just lost it (a flaky connection, most likely): give the other processes a head start to take over.
    if (Date.now() - (this.lostAt.get(chain) ?? 0) < 3 * (this.options.leaseRetryMs ?? 5_000)) return;
    try {
      const lease = await this.leases.tryAcquire(leaseName(this.work, chain));
      if (!lease) {
        this.setState(chain, 'waiting');
        return;
      }
      if (!this.running) {
        await lease.release();
        return;
      }
      this.held.set(chain, lease);
      lease.onLost((error) => {
        if (this.held.get(chain) === lease) this.held.delete(chain);
        this.lostAt.set(chain, Date.now());
        this.noteError(chain, error);
        this.setState(chain, 'waiting');
        this.options.log?.(`${this.work} lease for ${chain} lost; that chain's ${this.work} work stops until the lease is taken again`, error);
      });
      this.setState(chain, 'held');
      this.options.log?.(`${this.work} lease for ${chain} acquired (${this.leases.kind})`);
      for (const listener of this.acquiredListeners) listener(chain);
    } catch (error) {
      this.noteError(chain, error);
      this.setState(chain, 'waiting');
    }
  }

  private async isReady(chain: Chain): Promise<boolean> {
    try {
      return (await this.options.ready?.(chain)) ?? true;
    } catch (error) {
      this.noteError(chain, error);
      return false;
    }
  }

  private setState(chain: Chain, state: ChainLeaseState): void {
    const status = this.status.get(chain)!;
    if (status.state !== state) this.status.set(chain, { ...status, state, since: now() });
  }

  private noteError(chain: Chain, error: unknown): void {
    const status = this.status.get(chain)!;
    this.status.set(chain, { ...status, lastError: error instanceof Error ? error.message : String(error), lastErrorAt: now() });
  }
}

export function leaseName(work: string, chain: Chain): string {
  return `treasury.${work}.${chain}`;
}

function now(): string {
  return new Date().toISOString();
}
