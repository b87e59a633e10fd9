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
 * - `deferredBegin`: BEGIN (and the writer lock) travels with the transaction's first statement.
 * - the audit chain's head: within one transaction, which holds the writer lock from its BEGIN, only this
 *   connection appends, so the head read with the ledger's opening reads (or left by the last append) is
 *   remembered and the journal needs no round trip of its own. Forgotten at every BEGIN, COMMIT, ROLLBACK
 *   and ROLLBACK TO SAVEPOINT, which is where it could stop being true.
 */
const PIPELINE = '/* treasury:pipeline */';

type Query = { sql: string; parameters: readonly unknown[] };
/** The audit chain's last record, as the audit log reads it (undefined: the log is empty). */
export type AuditHead = { seq: number; hash: string } | undefined;
type Request = {
  kind: 'all' | 'defer' | 'flush' | 'begin' | 'head';
  queries: Query[];
  /** 'all': the index of the query that reads the audit head, to remember its answer. */
  headAt?: number;
  /** 'defer': the head the deferred audit insert leaves. */
  head?: { seq: number; hash: string };
};
const TRANSACTION_EDGE = /^\s*(begin|commit|end|rollback|abort)\b/i;

export interface PipelinedResult {
  rows: unknown[];
  rowCount: number | null;
}

export class PipelinedClient extends pg.Client {
  /** Deferred writes not yet sent, in order. */
  private waiting: Query[] = [];
  /** A BEGIN is waiting to go with the next statement: the connection is in a transaction already. */
  private opening = false;
  /** The audit head in the open transaction, when known (see above). */
  private head: { known: false } | { known: true; value: AuditHead } = { known: false };

  constructor(config?: string | pg.ClientConfig) {
    super({ ...(typeof config === 'string' ? { connectionString: config } : config), pipeline: true } as pg.ClientConfig);
  }

  // Kysely calls query(sql, parameters) and awaits the promise; everything else passes through unchanged.
  override query(config: any, values?: any, callback?: any): any {
    if (config === PIPELINE) return this.run((values as [Request])[0]);
    const text = typeof config === 'string' ? config : config?.text;
    if (typeof text === 'string' && TRANSACTION_EDGE.test(text)) {
      this.head = { known: false };
      if (!/^\s*(begin|rollback\s+to)\b/i.test(text)) this.opening = false;
    }
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

  private inTransaction(): boolean {
    return this.opening || (this as unknown as { _txStatus?: string })._txStatus === 'T';
  }

  private run(request: Request): Promise<unknown> {
    const none = { rows: [], rowCount: null };
    if (request.kind === 'begin') {
      // The driver's BEGIN: COMMIT or ROLLBACK is sure to follow on this connection.
      this.head = { known: false };
      this.opening = true;
      this.waiting.push(...request.queries);
      return Promise.resolve(none);
    }
    if (request.kind === 'defer' && this.inTransaction()) {
      // Only inside a transaction, where COMMIT or ROLLBACK is sure to follow on this connection.
      this.waiting.push(...request.queries);
      if (request.head) this.head = { known: true, value: request.head };
      return Promise.resolve(none);
    }
    if (request.kind === 'head' && this.head.known && this.inTransaction()) {
      return Promise.resolve({ rows: [{ rows: this.head.value ? [this.head.value] : [], rowCount: null }], rowCount: null });
    }
    const remember = request.kind === 'head' ? 0 : request.headAt;
    const track = remember !== undefined && this.inTransaction();
    return this.send(request.queries, null).then((results: PipelinedResult[]) => {
      if (track) {
        const row = results[remember]?.rows[0] as { seq: number | string; hash: string } | undefined;
        this.head = { known: true, value: row ? { seq: Number(row.seq), hash: row.hash } : undefined };
      } else if (request.kind === 'defer' && request.head) {
        // Sent at once, outside a transaction: another writer may append next.
        this.head = { known: false };
      }
      return { rows: results, rowCount: null };
    });
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

function request(db: AnyDb, kind: Request['kind'], queries: CompiledQuery[], extra: Pick<Request, 'headAt' | 'head'> = {}) {
  const payload: Request = { kind, queries: queries.map((q) => ({ sql: q.sql, parameters: q.parameters })), ...extra };
  return db.executeQuery<PipelinedResult>(CompiledQuery.raw(PIPELINE, [payload]));
}

/**
 * Runs the statements in one round trip on one connection (the transaction's, if `db` is one); their results
 * in order. `headAt`: that query reads the audit head (auditHead below), to be remembered for the transaction.
 */
export async function pipelined(db: AnyDb, queries: CompiledQuery[], headAt?: number): Promise<PipelinedResult[]> {
  if (queries.length === 0) return [];
  return (await request(db, 'all', queries, headAt === undefined ? {} : { headAt })).rows;
}

/** Sends the write with the transaction's next statement (see above); at once outside a transaction. `head`: an audit insert's last record. */
export async function deferred(trx: AnyDb, queries: CompiledQuery[], head?: { seq: number; hash: string }): Promise<void> {
  if (queries.length > 0) await request(trx, 'defer', queries, head ? { head } : {});
}

/** The driver's BEGIN (a statement without parameters), sent with the transaction's first statement. */
export async function deferredBegin(connection: AnyDb, statement: string): Promise<void> {
  await request(connection, 'begin', [CompiledQuery.raw(statement)]);
}

/** The audit chain's head in this transaction: remembered (no round trip) when known, else read by `query`. */
export async function auditHead(trx: AnyDb, query: CompiledQuery): Promise<AuditHead> {
  const [result] = (await request(trx, 'head', [query])).rows;
  const row = result?.rows[0] as { seq: number | string; hash: string } | undefined;
  return row ? { seq: Number(row.seq), hash: row.hash } : undefined;
}

/** Sends what the transaction deferred and waits for it: its row locks are held and its errors known. */
export async function flushDeferred(trx: AnyDb): Promise<void> {
  await request(trx, 'flush', []);
}
