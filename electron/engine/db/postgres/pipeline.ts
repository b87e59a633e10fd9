import { CompiledQuery, type Kysely } from 'kysely';
import pg from 'pg';

/**
 * Fewer round trips on the write path, where every one is paid while the writer lock is held.
 *
 * The pool's clients run in pg's pipeline mode: a query is written to the socket at once even while
 * earlier ones are unanswered, and answers come back in order (each query still ends with its own Sync,
 * so an error aborts the transaction exactly as it would one statement at a time). Kysely itself sends
 * one statement at a time on a transaction's connection; these helpers hand the client several at once
 * through one Kysely query, so they still queue behind and before everything else on that connection.
 *
 * - `pipelined`: several statements, all answers, one round trip.
 * - `deferred`: a write inside a transaction whose answer nobody reads (balances written back, audit
 *   records appended). It is sent, in order, just before the next statement on that connection, at the
 *   latest with COMMIT; its error, if any, is that statement's error, so the transaction still fails and
 *   rolls back, and a rollback drops it. Outside a transaction it runs at once, as any query.
 */
const PIPELINE = '/* treasury:pipeline */';

type Query = { sql: string; parameters: readonly unknown[] };
type Request = { kind: 'all' | 'defer' | 'flush'; queries: Query[] };

export interface PipelinedResult {
  rows: unknown[];
  rowCount: number | null;
}

export class PipelinedClient extends pg.Client {
  /** Deferred writes not yet sent, in order. */
  private waiting: Query[] = [];

  constructor(config?: string | pg.ClientConfig) {
    super({ ...(typeof config === 'string' ? { connectionString: config } : config), pipeline: true } as pg.ClientConfig);
  }

  // Kysely calls query(sql, parameters) and awaits the promise; everything else passes through unchanged.
  override query(config: any, values?: any, callback?: any): any {
    if (config === PIPELINE) return this.run((values as [Request])[0]);
    if (this.waiting.length === 0) return super.query(config, values, callback);
    if (callback !== undefined || typeof values === 'function') {
      // Not Kysely's form: keep the order; an error of what waited aborts the transaction, so this one fails too.
      for (const q of this.waiting.splice(0)) (super.query(q.sql, [...q.parameters]) as Promise<unknown>).catch(() => {});
      return super.query(config, values, callback);
    }
    // A rollback undoes what is waiting anyway: drop it rather than send it.
    if (typeof config === 'string' && /^\s*rollback\s*$/i.test(config)) {
      this.waiting = [];
      return super.query(config, values);
    }
    return this.send([], () => super.query(config, values) as Promise<pg.QueryResult>);
  }

  private run(request: Request): Promise<unknown> {
    if (request.kind === 'defer') {
      // Only inside a transaction, where COMMIT or ROLLBACK is sure to follow on this connection.
      if ((this as unknown as { _txStatus?: string })._txStatus === 'T') {
        this.waiting.push(...request.queries);
        return Promise.resolve({ rows: [], rowCount: null });
      }
    }
    return this.send(request.queries, null).then((results) => ({ rows: results, rowCount: null }));
  }

  /** Writes what is waiting, then `queries`, then the `last` query, in that order without waiting between; the first error wins. */
  private async send(queries: Query[], last: (() => Promise<pg.QueryResult>) | null): Promise<any> {
    const waiting = this.waiting;
    this.waiting = [];
    const sent = [...waiting, ...queries].map((q) => super.query(q.sql, [...q.parameters]) as Promise<pg.QueryResult>);
    if (last) sent.push(last());
    const settled = await Promise.allSettled(sent);
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const results = (settled as Array<PromiseFulfilledResult<pg.QueryResult>>).map((s) => s.value);
    if (last) return results[results.length - 1];
    return results.slice(waiting.length).map((r): PipelinedResult => ({ rows: r.rows ?? [], rowCount: r.rowCount }));
  }
}

type AnyDb = Pick<Kysely<any>, 'executeQuery'>;

function request(db: AnyDb, kind: Request['kind'], queries: CompiledQuery[]) {
  const payload: Request = { kind, queries: queries.map((q) => ({ sql: q.sql, parameters: q.parameters })) };
  return db.executeQuery<PipelinedResult>(CompiledQuery.raw(PIPELINE, [payload]));
}

/** Runs the statements in one round trip on one connection (the transaction's, if `db` is one); their results in order. */
export async function pipelined(db: AnyDb, queries: CompiledQuery[]): Promise<PipelinedResult[]> {
  if (queries.length === 0) return [];
  return (await request(db, 'all', queries)).rows;
}

/** Sends the write with the transaction's next statement (see above); at once outside a transaction. */
export async function deferred(trx: AnyDb, queries: CompiledQuery[]): Promise<void> {
  if (queries.length > 0) await request(trx, 'defer', queries);
}

/** Sends what the transaction deferred and waits for it: its row locks are held and its errors known. */
export async function flushDeferred(trx: AnyDb): Promise<void> {
  await request(trx, 'flush', []);
}
