import type { AuditLog } from '../audit/audit-log';
import type { AuditTrail } from '../audit/audit-trail';
import { auditRecordView } from '../audit/record-view';
import type { Ledger } from '../ledger/ledger';
import { reconcile } from '../ledger/reconciliation';
import type { AreaHandlers } from './types';

export { auditRecordView };

export const auditHandlers = (ledger: Ledger, audit: AuditLog, trail: AuditTrail): AreaHandlers<'audit'> => ({
  reconcile: () => reconcile(ledger),
  list: async (filter) => (await audit.list(filter)).map(auditRecordView),
  verify: () => audit.verify(),
  mode: async () => ({ mode: 'live' }),
  integrity: () => trail.integrity(),
  reconciliation: ({ chains }) => trail.reconciliation(chains),
  explainBalance: ({ walletId, assetId, cursor, limit }) => trail.traceability.explainBalance(walletId, assetId, cursor, limit),
  trace: ({ transferId }) => trail.traceability.trace(Number(transferId)),
  liabilityProof: (request) => trail.liabilityProof(request),
  exportBundle: ({ includeDocuments, includePersonalData }, context) => trail.exportBundle({ includeDocuments, includePersonalData, operator: context.operator ?? 'officer' }),
  exportCsv: ({ kind }, context) => trail.exportCsv(kind, context.operator ?? 'officer'),
  exportReport: (_request, context) => trail.exportReport(context.operator ?? 'officer'),
  verifyBundle: ({ file, anchor }) => trail.verifyBundle(file, { anchor }),
  readExport: ({ file, content }, context) => trail.readExport(file, content, context.operator ?? 'officer'),
});
