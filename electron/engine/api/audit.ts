import type { AuditRecordView } from '@shared/domain/audit';
import type { AuditLog } from '../audit/audit-log';
import type { AuditRecordRow } from '../db/schema';
import type { Ledger } from '../ledger/ledger';
import { reconcile } from '../ledger/reconciliation';
import type { AreaHandlers } from './types';

export function auditRecordView(row: AuditRecordRow): AuditRecordView {
  return {
    seq: row.seq,
    at: row.at,
    operator: row.operator,
    action: row.action,
    entity: { type: row.entity_type, id: row.entity_id },
    change: row.change,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export const auditHandlers = (ledger: Ledger, audit: AuditLog): AreaHandlers<'audit'> => ({
  reconcile: () => reconcile(ledger),
  list: async (filter) => (await audit.list(filter)).map(auditRecordView),
  verify: () => audit.verify(),
});
