import type BetterSqlite3 from 'better-sqlite3';
import type { Totals } from '../../ledger/balance';
import type { LedgerStatements, NewAccount } from '../../ledger/ledger-statements';
import type { LedgerAccountRow, LedgerTransferRow, NewLedgerTransfer } from '../schema';

/**
 * The ledger's write path on SQLite as prepared statements on the very connection Kysely uses. The
 * Ledger only calls these inside a Kysely transaction, which holds that connection, so they join it;
 * they skip Kysely's per-query compile and async hops, which otherwise cost more than SQLite's own work.
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

  constructor(sqlite: BetterSqlite3.Database) {
    this.byKey = sqlite.prepare('select * from ledger_transfers where idempotency_key = ?');
    this.byId = sqlite.prepare('select * from ledger_transfers where id = ?');
    this.byPending = sqlite.prepare('select * from ledger_transfers where pending_id = ?');
    this.byReverses = sqlite.prepare('select * from ledger_transfers where reverses_id = ?');
    this.accountByCode = sqlite.prepare('select * from ledger_accounts where code = ?');
    this.accountById = sqlite.prepare('select * from ledger_accounts where id = ?');
    this.insertAccountStmt = sqlite.prepare(
      'insert into ledger_accounts (code, kind, asset_id, wallet_id, created_at) values (@code, @kind, @asset_id, @wallet_id, @created_at) returning *',
    );
    this.insertTransferStmt = sqlite.prepare(
      `insert into ledger_transfers (idempotency_key, kind, debit_account_id, credit_account_id, asset_id, amount, code, pending_id,
        reverses_id, cause_type, cause_id, memo, operator, content_hash, created_at)
       values (@idempotency_key, @kind, @debit_account_id, @credit_account_id, @asset_id, @amount, @code, @pending_id,
        @reverses_id, @cause_type, @cause_id, @memo, @operator, @content_hash, @created_at)`,
    );
    this.updateTotalsStmt = sqlite.prepare(
      'update ledger_accounts set debits_posted = ?, credits_posted = ?, debits_pending = ?, credits_pending = ? where id = ?',
    );
  }

  async transfersByKeys(_trx: unknown, keys: string[]): Promise<LedgerTransferRow[]> {
    const rows: LedgerTransferRow[] = [];
    for (const key of keys) {
      const row = this.byKey.get(key) as LedgerTransferRow | undefined;
      if (row) rows.push(row);
    }
    return rows;
  }

  async transferById(_trx: unknown, id: number): Promise<LedgerTransferRow | undefined> {
    return this.byId.get(id) as LedgerTransferRow | undefined;
  }

  async resolutionOf(_trx: unknown, column: 'pending_id' | 'reverses_id', id: number): Promise<LedgerTransferRow | undefined> {
    return (column === 'pending_id' ? this.byPending : this.byReverses).get(id) as LedgerTransferRow | undefined;
  }

  async accountsByCodes(_trx: unknown, codes: string[]): Promise<LedgerAccountRow[]> {
    const rows: LedgerAccountRow[] = [];
    for (const code of codes) {
      const row = this.accountByCode.get(code) as LedgerAccountRow | undefined;
      if (row) rows.push(row);
    }
    return rows;
  }

  async accountsByIds(_trx: unknown, ids: number[]): Promise<LedgerAccountRow[]> {
    const rows: LedgerAccountRow[] = [];
    for (const id of ids) {
      const row = this.accountById.get(id) as LedgerAccountRow | undefined;
      if (row) rows.push(row);
    }
    return rows;
  }

  async insertAccount(_trx: unknown, account: NewAccount): Promise<LedgerAccountRow> {
    return this.insertAccountStmt.get(account) as LedgerAccountRow;
  }

  async insertTransfers(_trx: unknown, rows: NewLedgerTransfer[]): Promise<LedgerTransferRow[]> {
    return rows.map((row) => {
      const full = {
        pending_id: null,
        reverses_id: null,
        cause_type: null,
        cause_id: null,
        memo: null,
        operator: null,
        ...row,
      };
      const { lastInsertRowid } = this.insertTransferStmt.run(full);
      return { ...full, id: Number(lastInsertRowid) } as LedgerTransferRow;
    });
  }

  async updateTotals(_trx: unknown, accountId: number, t: Totals): Promise<void> {
    this.updateTotalsStmt.run(
      t.debitsPosted.toString(),
      t.creditsPosted.toString(),
      t.debitsPending.toString(),
      t.creditsPending.toString(),
      accountId,
    );
  }
}
