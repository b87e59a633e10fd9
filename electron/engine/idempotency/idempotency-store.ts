import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError } from '@shared/result';
import { canonicalJson } from '../audit/canonical';
import type { Database } from '../db/schema';

/** An outcome worth replaying: the HTTP status (or 200 for a channel) and its body. */
export interface Outcome {
  status: number;
  body: unknown;
}

/** Records are kept twice the promised 24 hours, then purged as new ones arrive. */
export const IDEMPOTENCY_RETENTION_MS = 48 * 3_600_000;

/** The fingerprint of a request: a repeat must be the same request, key order aside. */
export function requestHash(request: unknown): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

/**
 * One record per (scope, key) in the database, so it survives a restart and is shared by every process on
 * the database: the first request runs, its outcome (any answer below 500) is stored and replayed to every
 * repeat; a repeat with another request is refused (`idempotency_conflict`). A request still running, or
 * cut short by a crash before its outcome was stored, is refused as a conflict rather than run twice.
 */
export class IdempotencyStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  async run(scope: string, key: string, fingerprint: string, work: () => Promise<Outcome>): Promise<Outcome & { replayed: boolean }> {
    const createdAt = new Date(this.now()).toISOString();
    await this.db.deleteFrom('idempotency_records').where('created_at', '<', new Date(this.now() - IDEMPOTENCY_RETENTION_MS).toISOString()).execute();
    const inserted = await this.db
      .insertInto('idempotency_records')
      .values({ scope, key, request_hash: fingerprint, state: 'running', status: null, response: null, created_at: createdAt, completed_at: null })
      .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) return this.replay(scope, key, fingerprint);
    let outcome: Outcome;
    try {
      outcome = await work();
    } catch (error) {
      // Nothing to replay: the key is free for another try.
      await this.forget(scope, key);
      throw error;
    }
    if (outcome.status >= 500) {
      await this.forget(scope, key);
      return { ...outcome, replayed: false };
    }
    await this.db
      .updateTable('idempotency_records')
      .set({ state: 'done', status: outcome.status, response: JSON.stringify(outcome.body), completed_at: new Date(this.now()).toISOString() })
      .where('scope', '=', scope)
      .where('key', '=', key)
      .execute();
    return { ...outcome, replayed: false };
  }

  private async replay(scope: string, key: string, fingerprint: string): Promise<Outcome & { replayed: boolean }> {
    const row = await this.db.selectFrom('idempotency_records').selectAll().where('scope', '=', scope).where('key', '=', key).executeTakeFirstOrThrow();
    if (row.request_hash !== fingerprint) {
      throw new DomainError('idempotency_conflict', 'This Idempotency-Key was already used with a different request; use a new key for a new request.', { since: row.created_at });
    }
    if (row.state !== 'done') {
      throw new DomainError('conflict', 'A request with this Idempotency-Key is still running or was interrupted; look up its result before sending it again.', { since: row.created_at });
    }
    return { status: row.status ?? 200, body: JSON.parse(row.response ?? 'null'), replayed: true };
  }

  private async forget(scope: string, key: string): Promise<void> {
    await this.db.deleteFrom('idempotency_records').where('scope', '=', scope).where('key', '=', key).where('state', '=', 'running').execute();
  }
}
