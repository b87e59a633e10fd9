import type BetterSqlite3 from 'better-sqlite3';
import { storedTransfer, type LedgerStatements, type LookedUp, type Lookup, type NewAccount, type Settled, type TotalsUpdate } from '../../ledger/ledger-statements';
import type { GuardedWalletRow, LedgerAccountRow, LedgerTransferRow, NewLedgerTransfer } from '../schema';

/** One lookup per key, in key order; keys without a row are left out. */
function rowsOf<R>(statement: BetterSqlite3.Statement, keys: Array<string | number>): R[] {
  const rows: R[] = [];
  for (const key of keys) {
    const row = statement.get(key) as R | undefined;
    if (row) rows.push(row);
  }
  return rows;
}

/**
 * The ledger's write path on SQLite as prepared statements on the very connection Kysely uses, answering
 * with values, not promises. The Ledger calls these inside a transaction on that connection: either one it
 * runs synchronously through `runNow` when the connection is idle (no Kysely hop at all), or a Kysely
 * transaction, which holds the connection, so they join it. Either way they skip Kysely's per-query compile
 * and async hops, which otherwise cost more than SQLite's own work.
 */
export class SqliteLedgerStatements implements LedgerStatements {
  private readonly byKey: BetterSqlite3.Statement;
  private readonly byId: BetterSqlite3.Statement;
  private readonly byPending: BetterSqlite3.Statement;
  private readonly byReverses: BetterSqlite3.Statement;
  private readonly accountByCode: BetterSqlite3.Statement;
  private readonly accountById: BetterSqlite3.Statement;
  private readonly insertAccountStmt: BetterSqlite3.Statement;
  private readonly insertTransferStmt: BetterSqlite3.Statement;
  private readonly updateTotalsStmt: BetterSqlite3.Statement;
  private readonly walletById: BetterSqlite3.Statement;
  private readonly immediately: <T>(work: () => T) => T;

  constructor(private readonly sqlite: BetterSqlite3.Database) {
    // better-sqlite3 commits when the function returns and rolls back when it throws.
    this.immediately = sqlite.transaction((work: () => unknown) => work()) as <T>(work: () => T) => T;
    this.walletById = sqlite.prepare('select w.*, c.kyc_status as client_kyc_status from wallets w left join clients c on c.id = w.client_id where w.id = ?');
    this.byKey = sqlite.prepare('select * from ledger_transfers where idempotency_key = ?');
    this.byId = sqlite.prepare('select * from ledger_transfers where id = ?');
    this.byPending = sqlite.prepare('select * from ledger_transfers where pending_id = ?');
    this.byReverses = sqlite.prepare('select * from ledger_transfers where reverses_id = ?');
    this.accountByCode = sqlite.prepare('select * from ledger_accounts where code = ?');
    this.accountById = sqlite.prepare('select * from ledger_accounts where id = ?');
    this.insertAccountStmt = sqlite.prepare(
      'insert into ledger_accounts (code, kind, asset_id, wallet_id, created_at) values (@code, @kind, @asset_id, @wallet_id, @created_at) returning *',
    );
    // Positional parameters: binding fifteen named ones costs more than the insert's own work.
    this.insertTransferStmt = sqlite.prepare(
      `insert into ledger_transfers (idempotency_key, kind, debit_account_id, credit_account_id, asset_id, amount, code, pending_id,
        reverses_id, cause_type, cause_id, memo, operator, content_hash, created_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.updateTotalsStmt = sqlite.prepare(
      'update ledger_accounts set debits_posted = ?, credits_posted = ?, debits_pending = ?, credits_pending = ? where id = ?',
    );
  }

  runNow<T>(work: () => T): { value: T } | undefined {
    // A Kysely transaction between two of its statements: it owns the connection, wait for it like anyone.
    if (this.sqlite.inTransaction) return undefined;
    return { value: this.immediately(work) };
  }

  runGroupNow<T>(works: Array<() => T>): Array<Settled<T>> | undefined {
    if (this.sqlite.inTransaction) return undefined;
    // better-sqlite3 runs a transaction function called inside another as a SAVEPOINT, rolled back to alone when it throws.
    return this.immediately(() =>
      works.map((work): Settled<T> => {
        try {
          return { ok: true, value: this.immediately(work) };
        } catch (error) {
          return { ok: false, error };
        }
      }),
    );
  }

  lookup(_trx: unknown, { walletIds, keys, codes }: Lookup): LookedUp {
    return {
      wallets: rowsOf<GuardedWalletRow>(this.walletById, walletIds),
      transfers: rowsOf<LedgerTransferRow>(this.byKey, keys),
      accounts: rowsOf<LedgerAccountRow>(this.accountByCode, codes),
    };
  }

  transfersByKeys(_trx: unknown, keys: string[]): LedgerTransferRow[] {
    return rowsOf<LedgerTransferRow>(this.byKey, keys);
  }

  transferById(_trx: unknown, id: number): LedgerTransferRow | undefined {
    return this.byId.get(id) as LedgerTransferRow | undefined;
  }

  resolutionOf(_trx: unknown, column: 'pending_id' | 'reverses_id', id: number): LedgerTransferRow | undefined {
    return (column === 'pending_id' ? this.byPending : this.byReverses).get(id) as LedgerTransferRow | undefined;
  }

  accountsByIds(_trx: unknown, ids: number[]): LedgerAccountRow[] {
    return rowsOf<LedgerAccountRow>(this.accountById, ids);
  }

  insertAccount(_trx: unknown, account: NewAccount): LedgerAccountRow {
    return this.insertAccountStmt.get(account) as LedgerAccountRow;
  }

  insertTransfers(_trx: unknown, rows: NewLedgerTransfer[]): LedgerTransferRow[] {
    return rows.map((row) => {
      const full = storedTransfer(row);
      const { lastInsertRowid } = this.insertTransferStmt.run(
        full.idempotency_key,
        full.kind,
        full.debit_account_id,
        full.credit_account_id,
        full.asset_id,
        full.amount,
        full.code,
        full.pending_id,
        full.reverses_id,
        full.cause_type,
        full.cause_id,
        full.memo,
        full.operator,
        full.content_hash,
        full.created_at,
      );
      return { ...full, id: Number(lastInsertRowid) };
    });
  }

  updateTotals(_trx: unknown, updates: TotalsUpdate[]): void {
    for (const { accountId, totals: t } of updates) {
      this.updateTotalsStmt.run(
        t.debitsPosted.toString(),
        t.creditsPosted.toString(),
        t.debitsPending.toString(),
        t.creditsPending.toString(),
        accountId,
      );
    }
  }
}
