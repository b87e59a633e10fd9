import { CompiledQuery, Kysely, PostgresDialect, type Driver, type TransactionBuilder } from 'kysely';
import pg from 'pg';
import { DomainError } from '@shared/result';
import type { Database } from '../schema';
import { deferredBegin, PipelinedClient } from './pipeline';

/**
 * Every write transaction on the shared server holds this transaction-scoped advisory lock from BEGIN to
 * COMMIT, so transactions from every process run one after another, exactly as they do on SQLite's single
 * writer. The ledger reads balances and then writes them, the audit log appends to one hash chain, and a
 * withdrawal checks limits before it holds funds: each of those is a read-then-write that another
 * workstation must not interleave. Reads outside a transaction never wait for it.
 */
export const WRITER_LOCK = 7_243_001;

/** SQLSTATEs after which the whole transaction can simply run again: serialization failure, deadlock. */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;

class WriterLockedDialect extends PostgresDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    const begin = driver.beginTransaction.bind(driver);
    driver.beginTransaction = async (connection, settings) => {
      if (settings.isolationLevel || settings.accessMode) {
        await begin(connection, settings);
        await connection.executeQuery(CompiledQuery.raw('select pg_advisory_xact_lock($1)', [WRITER_LOCK]));
        return;
      }
      // No round trip of its own: without parameters pg sends both statements in one simple-protocol query,
      // with the transaction's first statement (pipeline.ts), so the lock is held before that statement runs.
      await deferredBegin(connection, `begin; select pg_advisory_xact_lock(${WRITER_LOCK})`);
    };
    return driver;
  }
}

/** Kysely whose transactions run again, from the start, when PostgreSQL aborts them for a conflict. */
class RetryingKysely extends Kysely<Database> {
  override transaction(): TransactionBuilder<Database> {
    return retrying(super.transaction());
  }
}

function retrying(builder: TransactionBuilder<Database>): TransactionBuilder<Database> {
  return new Proxy(builder, {
    get(target, property, receiver) {
      if (property === 'execute') {
        return async <T>(callback: (trx: any) => Promise<T>): Promise<T> => {
          for (let attempt = 1; ; attempt++) {
            try {
              return await target.execute(callback);
            } catch (error) {
              const code = (error as { code?: string }).code;
              if (!code || !RETRYABLE.has(code) || attempt >= MAX_ATTEMPTS) throw error;
              await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
            }
          }
        };
      }
      if (property === 'setIsolationLevel' || property === 'setAccessMode') {
        return (value: never) => retrying((target[property] as (v: never) => TransactionBuilder<Database>)(value));
      }
      return Reflect.get(target, property, receiver);
    },
  });
}

const INT8 = 20;

/**
 * An integer the database sent as text, as a JS number when that is exact; otherwise the decimal string
 * itself, so nothing past 2^53 is ever rounded.
 */
export function exactInteger(text: string): number | string {
  const value = Number(text);
  return /^-?[0-9]+$/.test(text) && Number.isSafeInteger(value) ? value : text;
}

/**
 * count(*) and other bigint results come back as numbers (ids and counts here stay far below 2^53; a
 * larger one stays a string); NUMERIC amounts keep pg's default: the exact decimal string.
 */
export const PG_TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 ? exactInteger : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

export async function openPostgres(url: string, poolSize: number): Promise<{ db: Kysely<Database>; close: () => Promise<void> }> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    application_name: 'treasury',
    types: PG_TYPES,
    // Pipeline mode, so the ledger can send several statements in one round trip (./pipeline).
    Client: PipelinedClient,
  });
  // An idle connection the server dropped must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => {});
    throw new DomainError('database_unavailable', `Cannot reach the PostgreSQL server at ${redactUrl(url)}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const db = new RetryingKysely({ dialect: new WriterLockedDialect({ pool }) });
  return { db, close: () => db.destroy() };
}

/** The URL without its password, for status screens and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable database URL)';
  }
}
