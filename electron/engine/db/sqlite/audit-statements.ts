import type BetterSqlite3 from 'better-sqlite3';
import type { AuditStatements } from '../../audit/audit-log';
import type { AuditRecordRow } from '../schema';

/** The audit write path as prepared statements on Kysely's own SQLite connection, inside a transaction on it; values, not promises. */
export class SqliteAuditStatements implements AuditStatements {
  private readonly headStmt: BetterSqlite3.Statement;
  private readonly insertStmt: BetterSqlite3.Statement;

  constructor(sqlite: BetterSqlite3.Database) {
    this.headStmt = sqlite.prepare('select seq, hash from audit_log order by seq desc limit 1');
    this.insertStmt = sqlite.prepare(
      `insert into audit_log (seq, at, operator, action, entity_type, entity_id, change, prev_hash, hash)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  head(): { seq: number; hash: string } | undefined {
    return this.headStmt.get() as { seq: number; hash: string } | undefined;
  }

  insert(_trx: unknown, rows: AuditRecordRow[]): void {
    for (const r of rows) this.insertStmt.run(r.seq, r.at, r.operator, r.action, r.entity_type, r.entity_id, r.change, r.prev_hash, r.hash);
  }
}
