import type { Kysely } from 'kysely';
import type { Database } from './schema';
import { TurnQueue } from './turn-queue';

type Db = Kysely<Database>;

interface Item {
  work: (ex: Db) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Where bookkeeping writes go to share commits: a WriteBatch, or on PostgreSQL the ledger's group commit (GroupCommit.ride). */
export interface SharedWrites {
  submit<T>(work: (ex: Db) => Promise<T>): Promise<T>;
  readonly stats: { groups: number; writes: number; largest: number };
}

/**
 * Small bookkeeping writes of concurrent requests (an API call's audit record, its idempotency record, a key's
 * last use) share one transaction and so one commit (one flush with SQLite's synchronous=FULL), instead of a
 * transaction each. A write's promise settles only once its transaction committed, so a caller that awaits it
 * before answering has its record durable before the answer leaves. The writes are plain inserts and updates
 * that do not refuse; if the shared transaction fails anyway, each write runs again alone with its own outcome.
 * Writes run in arrival order (the audit chain is what one-at-a-time writes would have made); groups form as
 * in TurnQueue.
 */
export class WriteBatch implements SharedWrites {
  private readonly queue: TurnQueue<Item>;

  constructor(
    private readonly db: Db,
    maxGroup = 64,
  ) {
    this.queue = new TurnQueue((group) => this.runGroup(group), maxGroup);
  }

  /** Transactions run and writes in them, and the largest group: how much sharing the load brought. */
  get stats(): { groups: number; writes: number; largest: number } {
    return this.queue.stats;
  }

  /**
   * Runs `work` in a transaction shared with the writes submitted in the same turn of the event loop, or, when
   * it is alone, on the database itself: `work` must open its own transaction if it writes more than one
   * statement and is not given one (AuditLog.record does).
   */
  submit<T>(work: (ex: Db) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  private async runGroup(group: Item[]): Promise<void> {
    if (group.length > 1) {
      try {
        const values = await this.db.transaction().execute(async (trx) => {
          const out: unknown[] = [];
          for (const item of group) out.push(await item.work(trx));
          return out;
        });
        group.forEach((item, i) => item.resolve(values[i]));
        return;
      } catch {
        // Nothing of the group was written: each write runs again alone below.
      }
    }
    for (const item of group) {
      try {
        // Alone, exactly as without the batch: a single statement commits by itself (no BEGIN/COMMIT round
        // trips on PostgreSQL), a write of several statements opens its own transaction.
        item.resolve(await item.work(this.db));
      } catch (error) {
        item.reject(error);
      }
    }
  }
}
