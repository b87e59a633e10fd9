import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { TurnQueue } from '../db/turn-queue';

/** A new record of a request starting to run, as IdempotencyStore inserts it. */
export interface LeaseRow {
  scope: string;
  key: string;
  request_hash: string;
  created_at: string;
  lease_until: string;
}

interface Item {
  row: LeaseRow;
  resolve(inserted: boolean): void;
  reject(error: unknown): void;
}

/**
 * PostgreSQL: concurrent requests' idempotency records go in as one multi-row `INSERT … ON CONFLICT DO NOTHING
 * RETURNING`, a single statement that commits by itself: one round trip and one commit for the group, and no
 * writer lock (a shared transaction would take it and hold it through a round trip per request). Each request
 * learns whether its own row went in, exactly as with an insert of its own: a row already there, or a repeat
 * of the same key earlier in the group, is not inserted. The promise settles only after the commit. If the
 * statement fails, each row is inserted again alone with its own outcome.
 */
export class LeaseBatch {
  private readonly queue: TurnQueue<Item>;

  constructor(
    private readonly db: Kysely<Database>,
    maxGroup = 64,
  ) {
    this.queue = new TurnQueue((group) => this.runGroup(group), maxGroup);
  }

  get stats(): { groups: number; writes: number; largest: number } {
    return this.queue.stats;
  }

  /** True when this row was inserted (the request may run), false when (scope, key) already had one. */
  insert(row: LeaseRow): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => this.queue.push({ row, resolve, reject }));
  }

  private async runGroup(group: Item[]): Promise<void> {
    // The first of a (scope, key) in the group is the one a one-at-a-time insert would have let in.
    const first = new Map<string, Item>();
    for (const item of group) {
      const id = identity(item.row);
      if (!first.has(id)) first.set(id, item);
    }
    try {
      const inserted = new Set((await this.statement([...first.values()].map((i) => i.row))).map(identity));
      for (const item of group) item.resolve(first.get(identity(item.row)) === item && inserted.has(identity(item.row)));
      return;
    } catch {
      // Nothing of the statement was written: each row again alone, below.
    }
    for (const item of group) {
      try {
        item.resolve((await this.statement([item.row])).length === 1);
      } catch (error) {
        item.reject(error);
      }
    }
  }

  private statement(rows: LeaseRow[]): Promise<Array<{ scope: string; key: string }>> {
    return this.db
      .insertInto('idempotency_records')
      .values(rows.map((r) => ({ ...r, state: 'running', status: null, response: null, completed_at: null })))
      .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
      .returning(['scope', 'key'])
      .execute();
  }
}

function identity(row: { scope: string; key: string }): string {
  return `${row.scope}\n${row.key}`;
}
