import { randomUUID } from 'node:crypto';
import type { Lease, Leases } from '../db/leases';

const leaseName = (id: string) => `treasury.engine.${id}`;

/**
 * "Is the engine that started this still running?" across every process on the database. Each engine holds a
 * lease named after a random id for its whole life; work it leaves half done (a nonce reserved for a signing
 * waiting on the device) carries that id, and another engine takes the work over only once that lease is free:
 * its process ended or lost the database. On SQLite leases are in-process, so only this engine counts as alive,
 * as it always did: one process owns a workstation's file.
 */
export class EnginePresence {
  readonly id = randomUUID();
  private lease: Lease | null = null;

  constructor(private readonly leases: Leases) {}

  async start(): Promise<void> {
    this.lease ??= await this.leases.tryAcquire(leaseName(this.id));
  }

  async isAlive(id: string): Promise<boolean> {
    if (id === this.id) return true;
    return (await this.leases.holders([leaseName(id)])).get(leaseName(id)) != null;
  }

  async stop(): Promise<void> {
    await this.lease?.release();
    this.lease = null;
  }
}
