import type { AuditRecordView } from '@shared/domain/audit';
import type { AuditRecordRow } from '../db/schema';

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
