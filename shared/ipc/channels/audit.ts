import { z } from 'zod';
import type {
  AuditMode,
  AuditRecordView,
  AuditVerification,
  BalanceExplanation,
  BundleExport,
  BundleVerification,
  ChainReconciliation,
  ExportDownload,
  ExportedFile,
  IntegrityReport,
  LiabilityProofView,
  TransferTrace,
} from '../../domain/audit';
import type { ReconciliationLine } from '../../domain/ledger';
import { plainText, textProblem } from '../../validation/text';
import { channel } from '../define';
import * as s from '../schemas';

const digits = z.string().regex(/^[1-9][0-9]{0,15}$/, 'Must be a positive whole number.');
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'Must be a SHA-256 in lowercase hex.');
const absoluteFile = z
  .string()
  .min(2)
  .max(4096)
  .refine((f) => f.startsWith('/') || /^[A-Za-z]:[\\/]/.test(f), 'Must be an absolute path.')
  // Checked, not normalized: the file's name on disk is whatever form it was written in.
  .refine((f) => textProblem(f) === null, 'Must not contain control characters or broken characters.');

export const auditChannels = {
  reconcile: channel<ReconciliationLine[]>()('audit:reconcile', s.empty),
  list: channel<AuditRecordView[]>()(
    'audit:list',
    z
      .object({
        entityType: z.string().max(40).regex(/^[a-z_]+$/).optional(),
        entityId: plainText(z.string().max(80)).optional(),
        before: z.number().int().positive().optional(),
        limit: s.pageSize,
      })
      .strict(),
  ),
  verify: channel<AuditVerification>()('audit:verify', s.empty),
  /** Live (or snapshot) or offline review of a bundle: the renderer marks every screen accordingly. */
  mode: channel<AuditMode>()('audit:mode', s.empty),
  /** Chain, transfers against their journal records, balances against their entries, KYC files against their hashes. */
  integrity: channel<IntegrityReport>()('audit:integrity', s.empty),
  /** Per chain and asset: on-chain holding and deposit addresses against client liabilities and reserve. */
  reconciliation: channel<ChainReconciliation>()(
    'audit:reconciliation',
    z.object({ chains: z.array(s.chain).min(1).max(3).optional() }).strict(),
  ),
  explainBalance: channel<BalanceExplanation>()(
    'audit:explainBalance',
    z.object({ walletId: s.id, assetId: s.assetId, cursor: digits.optional(), limit: s.pageSize }).strict(),
  ),
  trace: channel<TransferTrace>()('audit:trace', z.object({ transferId: digits }).strict()),
  liabilityProof: channel<LiabilityProofView>()(
    'audit:liabilityProof',
    z
      .object({ assetId: s.assetId, walletId: s.id.optional(), clientId: s.id.optional() })
      .strict()
      .refine((r) => (r.walletId === undefined) !== (r.clientId === undefined), { message: 'Give a walletId or a clientId, not both.' }),
  ),
  exportBundle: channel<BundleExport>()(
    'audit:exportBundle',
    z.object({ includeDocuments: z.boolean().default(false), includePersonalData: z.boolean().default(false) }).strict(),
  ),
  exportCsv: channel<ExportedFile>()('audit:exportCsv', z.object({ kind: z.enum(['transfers', 'balances']) }).strict()),
  exportReport: channel<ExportedFile>()('audit:exportReport', s.empty),
  /** An export this workspace wrote (bundle, CSV, PDF) handed to the officer's browser or file manager. */
  readExport: channel<ExportDownload>()('audit:readExport', z.object({ file: absoluteFile, content: z.boolean().default(true) }).strict()),
  verifyBundle: channel<BundleVerification>()(
    'audit:verifyBundle',
    z
      .object({
        file: absoluteFile,
        anchor: z.object({ seq: z.number().int().positive(), hash: sha256Hex }).strict().optional(),
      })
      .strict(),
  ),
} as const;
