import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError } from '@shared/result';
import { canonicalJson } from '../audit/canonical';
import { dialectOf } from '../db/dialect';
import { deferred } from '../db/postgres/pipeline';
import type { Database } from '../db/schema';
import { WriteBatch, type SharedWrites } from '../db/write-batch';
import { withEffectSeed } from './effect-ids';
import { LeaseBatch, type LeaseRow } from './lease-batch';

/** An outcome worth replaying: the HTTP status (or 200 for a channel) and its body. */
export interface Outcome {
  status: number;
  body: unknown;
}

/** Writes in the transaction that stores an outcome, to commit with it (the call's audit record). */
export type Alongside = (ex: Kysely<Database>, outcome: Outcome) => Promise<void>;

/** Records are kept twice the promised 24 hours, then purged as new ones arrive (at most once a minute). */
export const IDEMPOTENCY_RETENTION_MS = 48 * 3_600_000;

const PURGE_EVERY_MS = 60_000;

/** How long a running request's hold lasts without renewal: its process renews it every third of this. */
export const IDEMPOTENCY_LEASE_MS = 60_000;

/** The fingerprint of a request: a repeat must be the same request, key order aside. */
export function requestHash(request: unknown): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

/**
 * One record per (scope, key) in the database, so it survives a restart and is shared by every process on
 * the database: the first request runs, its outcome (any answer below 500) is stored and replayed to every
 * repeat; a repeat with another request is refused (`idempotency_conflict`). A request still running is
 * refused as a conflict rather than run twice; its process renews a lease on the record while it runs, so a
 * record whose lease ran out was cut short by a crash, and a repeat takes it over and runs it again. That
 * re-run makes nothing twice: ids created under a key are derived from it (effectId), and moves carry the
 * engine's own idempotency keys, so what the first run committed is met and answered, not made again.
 */
export class IdempotencyStore {
  private nextPurge = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
    private readonly leaseMs: number = IDEMPOTENCY_LEASE_MS,
    /** Concurrent requests' record writes share transactions (commits) through it. */
    private readonly writes: SharedWrites = new WriteBatch(db),
  ) {
    this.postgres = dialectOf(db) === 'postgres';
    this.leases = this.postgres ? new LeaseBatch(db) : null;
  }

  private readonly postgres: boolean;
  /** PostgreSQL: records of requests starting go in as one statement per group, outside the writer lock. */
  private readonly leases: LeaseBatch | null;

  /**
   * `alongside`, if given, writes in the same transaction as the stored outcome (the call's audit record): the
   * two commit together. It is not called for a replay, a refusal or an outcome not stored (500 and above).
   */
  async run(
    scope: string,
    key: string,
    fingerprint: string,
    work: () => Promise<Outcome>,
    alongside?: Alongside,
  ): Promise<Outcome & { replayed: boolean; alongside?: true }> {
    const createdAt = new Date(this.now()).toISOString();
    // Purged at most once a minute, not per request: a write (and a commit) less on every request's path.
    if (this.now() >= this.nextPurge) {
      this.nextPurge = this.now() + PURGE_EVERY_MS;
      await this.db.deleteFrom('idempotency_records').where('created_at', '<', new Date(this.now() - IDEMPOTENCY_RETENTION_MS).toISOString()).execute();
    }
    if (await this.insertLease({ scope, key, request_hash: fingerprint, created_at: createdAt, lease_until: this.leaseEnd() })) {
      return this.execute(scope, key, 1, work, alongside);
    }
    const row = await this.db.selectFrom('idempotency_records').selectAll().where('scope', '=', scope).where('key', '=', key).executeTakeFirstOrThrow();
    if (row.request_hash !== fingerprint) {
      throw new DomainError('idempotency_conflict', 'This Idempotency-Key was already used with a different request; use a new key for a new request.', { since: row.created_at });
    }
    if (row.state === 'done') return { status: row.status ?? 200, body: JSON.parse(row.response ?? 'null'), replayed: true };
    // Records from before leases count from their start.
    const leaseUntil = row.lease_until ?? new Date(Date.parse(row.created_at) + this.leaseMs).toISOString();
    if (leaseUntil < new Date(this.now()).toISOString()) {
      const attempt = Number(row.attempt) + 1;
      const taken = await this.db
        .updateTable('idempotency_records')
        .set({ attempt, lease_until: this.leaseEnd() })
        .where('scope', '=', scope)
        .where('key', '=', key)
        .where('state', '=', 'running')
        .where('attempt', '=', row.attempt)
        .executeTakeFirst();
      // Only one repeat takes an abandoned request over; the others see it running again.
      if (Number(taken.numUpdatedRows ?? 0n) === 1) return this.execute(scope, key, attempt, work, alongside);
    }
    throw new DomainError('conflict', 'A request with this Idempotency-Key is still running; send it again in a minute to get its result.', { since: row.created_at });
  }

  private async execute(
    scope: string,
    key: string,
    attempt: number,
    work: () => Promise<Outcome>,
    alongside?: Alongside,
  ): Promise<Outcome & { replayed: boolean; alongside?: true }> {
    const renew = setInterval(() => {
      void this.db
        .updateTable('idempotency_records')
        .set({ lease_until: this.leaseEnd() })
        .where('scope', '=', scope)
        .where('key', '=', key)
        .where('state', '=', 'running')
        .where('attempt', '=', attempt)
        .execute()
        .catch(() => undefined); // the next renewal tries again; a lost lease only lets a repeat re-run it, which is safe
    }, Math.max(1_000, Math.floor(this.leaseMs / 3)));
    renew.unref();
    let outcome: Outcome;
    try {
      outcome = await withEffectSeed(`${scope}\n${key}`, work);
    } catch (error) {
      // Nothing to replay: the key is free for another try.
      await this.forget(scope, key);
      throw error;
    } finally {
      clearInterval(renew);
    }
    if (outcome.status >= 500) {
      await this.forget(scope, key);
      return { ...outcome, replayed: false };
    }
    const done = async (ex: Kysely<Database>) => {
      const update = ex
        .updateTable('idempotency_records')
        .set({ state: 'done', status: outcome.status, response: JSON.stringify(outcome.body), completed_at: new Date(this.now()).toISOString(), lease_until: null })
        .where('scope', '=', scope)
        .where('key', '=', key)
        .where('state', '=', 'running');
      // Nobody reads its answer: on PostgreSQL inside a transaction it travels with the next statement or the
      // COMMIT (db/postgres/pipeline.ts) instead of a round trip of its own; an error there fails the transaction.
      if (ex.isTransaction && this.postgres) await deferred(ex, [update.compile()]);
      else await update.execute();
      if (alongside) await alongside(ex, outcome);
    };
    // Alone in the batch it is given the database itself: with something alongside, a transaction of its own.
    await this.writes.submit((ex) => (!alongside || ex.isTransaction ? done(ex) : ex.transaction().execute(done)));
    if (alongside) return { ...outcome, replayed: false, alongside: true };
    return { ...outcome, replayed: false };
  }

  /** True when the record went in and the request is this one's to run. */
  private async insertLease(row: LeaseRow): Promise<boolean> {
    if (this.leases) return this.leases.insert(row);
    // SQLite: in the shared write batch, whose one commit (one flush) it shares with concurrent calls' records.
    const inserted = await this.writes.submit((ex) =>
      ex
        .insertInto('idempotency_records')
        .values({ ...row, state: 'running', status: null, response: null, completed_at: null })
        .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
        .executeTakeFirst(),
    );
    return Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  private leaseEnd(): string {
    return new Date(this.now() + this.leaseMs).toISOString();
  }

  private async forget(scope: string, key: string): Promise<void> {
    await this.db.deleteFrom('idempotency_records').where('scope', '=', scope).where('key', '=', key).where('state', '=', 'running').execute();
  }
}
