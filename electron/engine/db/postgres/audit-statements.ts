import type { Kysely } from 'kysely';
import { KyselyAuditStatements } from '../../audit/audit-log';
import type { AuditRecordRow, Database } from '../schema';
import { deferred } from './pipeline';

/**
 * The audit write path on PostgreSQL: records are appended with the transaction's next statement, at the
 * latest its COMMIT, rather than a round trip of their own under the writer lock (./pipeline). The head
 * is read as in the portable implementation; nothing else appends while the writer lock is held.
 */
export class PostgresAuditStatements extends KyselyAuditStatements {
  override insert(trx: Kysely<Database>, rows: AuditRecordRow[]): Promise<void> {
    const statements = [];
    for (let start = 0; start < rows.length; start += 500) statements.push(trx.insertInto('audit_log').values(rows.slice(start, start + 500)).compile());
    return deferred(trx, statements);
  }
}
