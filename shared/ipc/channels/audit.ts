import { z } from 'zod';
import type { AuditRecordView, AuditVerification } from '../../domain/audit';
import type { ReconciliationLine } from '../../domain/ledger';
import { channel } from '../define';
import * as s from '../schemas';

export const auditChannels = {
  reconcile: channel<ReconciliationLine[]>()('audit:reconcile', s.empty),
  list: channel<AuditRecordView[]>()(
    'audit:list',
    z
      .object({
        entityType: z.string().max(40).regex(/^[a-z_]+$/).optional(),
        entityId: z.string().max(80).optional(),
        before: z.number().int().positive().optional(),
        limit: s.pageSize,
      })
      .strict(),
  ),
  verify: channel<AuditVerification>()('audit:verify', s.empty),
} as const;
