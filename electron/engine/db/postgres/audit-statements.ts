import type { Kysely } from 'kysely';
import { auditHeadQuery, KyselyAuditStatements } from '../../audit/audit-log';
import type { AuditRecordRow, Database } from '../schema';
import { auditHead, deferred } from './pipeline';

/**
 * The audit write path on PostgreSQL: records are appended with the transaction's next statement, at the
 * latest its COMMIT, rather than a round trip of their own under the writer lock (./pipeline). The head is
 * the one the transaction already knows (read with the ledger's opening reads, or left by its last append:
 * nothing else appends while the writer lock is held), else read as in the portable implementation.
 */
export class PostgresAuditStatements extends KyselyAuditStatements {
  override head(trx: Kysely<Database>): Promise<{ seq: number; hash: string } | undefined> {
    return auditHead(trx, auditHeadQuery(trx).compile());
  }

  override insert(trx: Kysely<Database>, rows: AuditRecordRow[]): Promise<void> {
    const statements = [];
    for (let start = 0; start < rows.length; start += 500) statements.push(trx.insertInto('audit_log').values(rows.slice(start, start + 500)).compile());
    const last = rows[rows.length - 1];
    return deferred(trx, statements, last ? { seq: last.seq, hash: last.hash } : undefined);
  }
}
