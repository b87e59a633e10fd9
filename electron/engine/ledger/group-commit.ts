import { CompiledQuery, sql, type Kysely } from 'kysely';
import { DomainError } from '@shared/result';
import { dialectOf } from '../db/dialect';
import { deferred } from '../db/postgres/pipeline';
import type { Database } from '../db/schema';
import { TurnQueue } from '../db/turn-queue';
import type { SharedWrites } from '../db/write-batch';
import type { LedgerStatements, Lookup, Settled } from './ledger-statements';
import { runAsync, runSync, type Steps } from './steps';
import type { TouchedAccount } from './ledger';

type Db = Kysely<Database>;
type Work<T> = (trx: Db, touched: TouchedAccount[]) => Steps<T>;

interface Item {
  work: Work<unknown>;
  /** What the write reads first, where known: a group's reads go together (LedgerStatements.prefetch). */
  lookup?: Lookup;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * Group commit for the ledger's own transactions: writes that arrive together (concurrent requests) share one
 * database transaction, each in a savepoint of its own. A write that fails (a refusal: insufficient funds, a
 * KYC gate, an idempotency conflict) is rolled back to its savepoint and answered with its error; the others
 * commit, and each caller gets its own result. Writes run in arrival order, so the audit chain and every
 * balance read inside the transaction are exactly what one-at-a-time writes would have produced.
 *
 * On SQLite the group is one synchronous transaction (better-sqlite3 nests transactions as savepoints); on
 * PostgreSQL one Kysely transaction with SAVEPOINT statements, so one writer lock and one commit serve them all.
 * Groups form as in TurnQueue: while a group commits, the next ones queue.
 */
export class GroupCommit {
  private readonly queue: TurnQueue<Item>;

  constructor(
    private readonly db: Db,
    private readonly statements: LedgerStatements,
    /** Told of the accounts a committed write changed, once its group committed. */
    private readonly announce: (touched: TouchedAccount[]) => void,
    maxGroup = 64,
  ) {
    this.postgres = dialectOf(db) === 'postgres';
    this.queue = new TurnQueue((group) => this.runGroup(group), maxGroup);
  }

  private readonly postgres: boolean;

  /** Transactions run and writes in them, and the largest group: how much sharing the load brought. */
  get stats(): { groups: number; writes: number; largest: number } {
    return this.queue.stats;
  }

  submit<T>(work: Work<T>, lookup?: Lookup): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work: work as Work<unknown>, lookup, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  /**
   * The integration API's bookkeeping writes on PostgreSQL (a call's idempotency outcome and audit record, a
   * key's last use) join the next group's transaction, in a savepoint like any write: they commit with the
   * ledger writes of concurrent calls, under one writer lock and one commit, instead of in a transaction of
   * their own taking turns with the ledger's for the lock. The promise settles once that transaction committed.
   * PostgreSQL only: SQLite's groups run as one synchronous transaction, which an async write cannot join.
   */
  readonly riders: SharedWrites = ((group: GroupCommit): SharedWrites => ({
    submit: <T>(work: (ex: Db) => Promise<T>): Promise<T> =>
      group.submit(function* (trx) {
        return (yield work(trx)) as T;
      }),
    // Shared with the ledger's writes: groups and writes of both.
    get stats() {
      return group.stats;
    },
  }))(this);

  private async runGroup(group: Item[]): Promise<void> {
    let settled: Array<Settled<unknown>>;
    try {
      settled = group.length === 1 ? [await this.one(group[0]!)] : await this.many(group);
    } catch {
      // The shared transaction failed as a whole (a statement the database refused, the commit, the
      // connection): nothing of the group was written. Each write runs again alone, with its own outcome.
      settled = [];
      for (const item of group) settled.push(await this.one(item));
    }
    settled.forEach((s, i) => (s.ok ? group[i]!.resolve(s.value) : group[i]!.reject(s.error)));
  }

  /** Alone: its own transaction, as before group commit. */
  private async one(item: Item): Promise<Settled<unknown>> {
    let touched: TouchedAccount[] = [];
    try {
      const now = this.statements.runNow?.(() => runSync(item.work(this.db, touched)));
      const value = now
        ? now.value
        : await this.db.transaction().execute((trx) => {
            touched = [];
            return runAsync(item.work(trx, touched));
          });
      if (touched.length > 0) this.announce(touched);
      return { ok: true, value };
    } catch (error) {
      return { ok: false, error };
    }
  }

  private async many(group: Item[]): Promise<Array<Settled<unknown>>> {
    let touched: TouchedAccount[][] = group.map(() => []);
    const settled =
      this.statements.runGroupNow?.(group.map((item, i) => () => runSync(item.work(this.db, touched[i]!)))) ??
      (await this.db.transaction().execute(async (trx) => {
        // A transaction run again (PostgreSQL serialization failure) starts every write afresh.
        touched = group.map(() => []);
        // Every write's opening reads in one round trip with the transaction's BEGIN; each write then reads
        // them, brought up to date by the writes before it in the group, without a round trip of its own.
        const lookups = group.flatMap((item) => (item.lookup ? [item.lookup] : []));
        if (lookups.length > 1) await this.statements.prefetch?.(trx, lookups);
        const results: Array<Settled<unknown>> = [];
        for (const [i, item] of group.entries()) {
          await this.mark(trx, 'savepoint ledger_group');
          try {
            // Its deferred writes (balances, audit records) travel with the next write's first statement or the
            // commit; a database error there fails the whole group, whose writes then run again alone (drain).
            const value = await runAsync(item.work(trx, touched[i]!));
            await this.mark(trx, 'release savepoint ledger_group');
            results.push({ ok: true, value });
          } catch (error) {
            // Only the engine's own refusals are this write's alone; anything else fails the group.
            if (!(error instanceof DomainError)) throw error;
            await sql`rollback to savepoint ledger_group`.execute(trx);
            await sql`release savepoint ledger_group`.execute(trx);
            // What was read ahead may have changed in memory with the write rolled back: read afresh.
            this.statements.forgetPrefetch?.(trx);
            results.push({ ok: false, error });
          }
        }
        return results;
      }));
    settled.forEach((s, i) => {
      if (s.ok && touched[i]!.length > 0) this.announce(touched[i]!);
    });
    return settled;
  }

  /**
   * SAVEPOINT and RELEASE answer nothing anyone reads: on PostgreSQL they travel with the transaction's next
   * statement (db/postgres/pipeline.ts), so a write in a group costs no round trip more than one alone.
   */
  private async mark(trx: Db, statement: string): Promise<void> {
    if (this.postgres) await deferred(trx, [CompiledQuery.raw(statement)]);
    else await sql.raw(statement).execute(trx);
  }
}
