import type { Kysely } from 'kysely';
import type { Database, LedgerAccountRow, LedgerTransferRow, NewLedgerTransfer } from '../db/schema';
import type { Totals } from './balance';

type Db = Kysely<Database>;

export interface NewAccount {
  code: string;
  kind: string;
  asset_id: string;
  wallet_id: string | null;
  created_at: string;
}

/**
 * The few statements on the ledger's write path. They always run inside a transaction the Ledger opened
 * (or joined) through Kysely; a dialect may answer them with its own prepared statements on that same
 * connection where Kysely's per-query cost would dominate (SQLite), or with Kysely itself (any dialect).
 */
export interface LedgerStatements {
  transfersByKeys(trx: Db, keys: string[]): Promise<LedgerTransferRow[]>;
  transferById(trx: Db, id: number): Promise<LedgerTransferRow | undefined>;
  /** The post, void or reversal that already answers a transfer, if any. */
  resolutionOf(trx: Db, column: 'pending_id' | 'reverses_id', id: number): Promise<LedgerTransferRow | undefined>;
  accountsByCodes(trx: Db, codes: string[]): Promise<LedgerAccountRow[]>;
  accountsByIds(trx: Db, ids: number[]): Promise<LedgerAccountRow[]>;
  insertAccount(trx: Db, account: NewAccount): Promise<LedgerAccountRow>;
  insertTransfers(trx: Db, rows: NewLedgerTransfer[]): Promise<LedgerTransferRow[]>;
  updateTotals(trx: Db, accountId: number, totals: Totals): Promise<void>;
}

const IN_LIST_CHUNK = 500;
/** 15 columns a row; SQLite allows 32,766 bound values per statement, PostgreSQL 65,535. */
const INSERT_CHUNK = 1000;

async function chunked<T, R>(items: T[], size: number, run: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let start = 0; start < items.length; start += size) out.push(...(await run(items.slice(start, start + size))));
  return out;
}

/** The portable implementation: plain Kysely, for PostgreSQL and as the reference on SQLite. */
export class KyselyLedgerStatements implements LedgerStatements {
  transfersByKeys(trx: Db, keys: string[]): Promise<LedgerTransferRow[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return chunked(keys, IN_LIST_CHUNK, (chunk) => trx.selectFrom('ledger_transfers').selectAll().where('idempotency_key', 'in', chunk).execute());
  }

  transferById(trx: Db, id: number): Promise<LedgerTransferRow | undefined> {
    return trx.selectFrom('ledger_transfers').selectAll().where('id', '=', id).executeTakeFirst();
  }

  resolutionOf(trx: Db, column: 'pending_id' | 'reverses_id', id: number): Promise<LedgerTransferRow | undefined> {
    return trx.selectFrom('ledger_transfers').selectAll().where(column, '=', id).executeTakeFirst();
  }

  accountsByCodes(trx: Db, codes: string[]): Promise<LedgerAccountRow[]> {
    if (codes.length === 0) return Promise.resolve([]);
    return chunked(codes, IN_LIST_CHUNK, (chunk) => trx.selectFrom('ledger_accounts').selectAll().where('code', 'in', chunk).execute());
  }

  accountsByIds(trx: Db, ids: number[]): Promise<LedgerAccountRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return chunked(ids, IN_LIST_CHUNK, (chunk) => trx.selectFrom('ledger_accounts').selectAll().where('id', 'in', chunk).execute());
  }

  insertAccount(trx: Db, account: NewAccount): Promise<LedgerAccountRow> {
    return trx.insertInto('ledger_accounts').values(account).returningAll().executeTakeFirstOrThrow();
  }

  insertTransfers(trx: Db, rows: NewLedgerTransfer[]): Promise<LedgerTransferRow[]> {
    if (rows.length === 0) return Promise.resolve([]);
    return chunked(rows, INSERT_CHUNK, (chunk) => trx.insertInto('ledger_transfers').values(chunk).returningAll().execute());
  }

  async updateTotals(trx: Db, accountId: number, t: Totals): Promise<void> {
    await trx
      .updateTable('ledger_accounts')
      .set({
        debits_posted: t.debitsPosted.toString(),
        credits_posted: t.creditsPosted.toString(),
        debits_pending: t.debitsPending.toString(),
        credits_pending: t.creditsPending.toString(),
      })
      .where('id', '=', accountId)
      .execute();
  }
}
