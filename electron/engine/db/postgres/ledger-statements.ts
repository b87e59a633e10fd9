import { sql, type Kysely } from 'kysely';
import { guardedWallets, KyselyLedgerStatements, storedTransfer, type LookedUp, type Lookup, type TotalsUpdate } from '../../ledger/ledger-statements';
import type { Database, GuardedWalletRow, LedgerAccountRow, LedgerTransferRow, NewLedgerTransfer } from '../schema';
import { deferred, flushDeferred, pipelined } from './pipeline';
import { auditHeadQuery } from '../../audit/audit-log';

type Db = Kysely<Database>;

const IN_LIST_CHUNK = 500;
/** 16 bound values a row. */
const INSERT_CHUNK = 1000;
/** Five bound values a row; PostgreSQL allows 65,535 per statement. */
const UPDATE_CHUNK = 1000;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

/**
 * The ledger's write path on PostgreSQL, where each round trip is paid with the writer lock held
 * (connect.ts): the opening reads and the new transfers' ids go in one pipelined round trip; the transfers,
 * and the totals in one statement, are written with the transaction's next statement, at the latest its
 * COMMIT (./pipeline). The
 * statements themselves are Kysely's, as in the portable implementation it extends.
 */
export class PostgresLedgerStatements extends KyselyLedgerStatements {
  override async lookup(trx: Db, { walletIds, keys, codes, reserve }: Lookup): Promise<LookedUp> {
    const walletQueries = chunks(walletIds, IN_LIST_CHUNK).map((c) => guardedWallets(trx, c).compile());
    const keyQueries = chunks(keys, IN_LIST_CHUNK).map((c) => trx.selectFrom('ledger_transfers').selectAll().where('idempotency_key', 'in', c).compile());
    const codeQueries = chunks(codes, IN_LIST_CHUNK).map((c) => trx.selectFrom('ledger_accounts').selectAll().where('code', 'in', c).compile());
    // The ids of the transfers it may write, so their insert need not wait for an answer (unused ones are
    // gaps, as a rolled-back insert leaves on PostgreSQL anyway).
    const idQuery = sql<{ id: number }>`select nextval(pg_get_serial_sequence('ledger_transfers', 'id')) as id from generate_series(1, ${reserve}::integer)`.compile(trx);
    // And the audit head, for the journal's records (remembered for the transaction: pipeline.ts).
    const headQuery = auditHeadQuery(trx).compile();
    const queries = [...walletQueries, ...keyQueries, ...codeQueries, ...(reserve > 0 ? [idQuery] : [])];
    const results = await pipelined(trx, [...queries, headQuery], queries.length);
    const rows = <R>(from: number, count: number) => results.slice(from, from + count).flatMap((r) => r.rows as R[]);
    const reads = walletQueries.length + keyQueries.length + codeQueries.length;
    return {
      wallets: rows<GuardedWalletRow>(0, walletQueries.length),
      transfers: rows<LedgerTransferRow>(walletQueries.length, keyQueries.length),
      accounts: rows<LedgerAccountRow>(walletQueries.length + keyQueries.length, codeQueries.length),
      ids: reserve > 0 ? rows<{ id: number }>(reads, 1).map((r) => Number(r.id)).sort((a, b) => a - b) : undefined,
    };
  }

  /** With reserved ids the rows are known without asking: the insert travels with the transaction's next statement. */
  override insertTransfers(trx: Db, rows: NewLedgerTransfer[], ids?: number[]): Promise<LedgerTransferRow[]> {
    if (!ids || ids.length < rows.length) return super.insertTransfers(trx, rows);
    const full = rows.map((row, i): LedgerTransferRow => ({ ...storedTransfer(row), id: ids[i]! }));
    const statements = chunks(full, INSERT_CHUNK).map((chunk) => trx.insertInto('ledger_transfers').values(chunk).compile());
    return deferred(trx, statements).then(() => full);
  }

  override updateTotals(trx: Db, updates: TotalsUpdate[]): Promise<void> {
    const statements = chunks(updates, UPDATE_CHUNK).map((chunk) => {
      const values = chunk.map(
        ({ accountId, totals: t }) =>
          sql`(${accountId}::integer, ${t.debitsPosted.toString()}::numeric, ${t.creditsPosted.toString()}::numeric, ${t.debitsPending.toString()}::numeric, ${t.creditsPending.toString()}::numeric)`,
      );
      return sql`update ledger_accounts as a
        set debits_posted = v.debits_posted, credits_posted = v.credits_posted, debits_pending = v.debits_pending, credits_pending = v.credits_pending
        from (values ${sql.join(values)}) as v (id, debits_posted, credits_posted, debits_pending, credits_pending)
        where a.id = v.id`.compile(trx);
    });
    return deferred(trx, statements);
  }

  flush(trx: Db): Promise<void> {
    return flushDeferred(trx);
  }

  /**
   * FOR SHARE waits for the row locks the caller's transaction holds on the accounts; the transfer read,
   * a statement of its own and so a later snapshot, then sees it only if that transaction committed. Both
   * in one round trip.
   */
  async committed(db: Db, codes: string[], transferId: number): Promise<boolean> {
    const [, found] = await pipelined(db, [
      db.selectFrom('ledger_accounts').select('id').where('code', 'in', codes).forShare().compile(),
      db.selectFrom('ledger_transfers').select('id').where('id', '=', transferId).compile(),
    ]);
    return found!.rows.length > 0;
  }
}
