export interface AuditRecordView {
  seq: number;
  at: string;
  operator: string;
  action: string;
  entity: { type: string; id: string };
  /** canonical JSON */
  change: string;
  prevHash: string;
  hash: string;
}

export type AuditVerification =
  | { ok: true; records: number; head: string }
  | { ok: false; records: number; firstBroken: number; reason: 'hash_mismatch' | 'broken_link' | 'sequence_gap' };

/** What an integrity check names when something does not hold; each finding says where. */
export const INTEGRITY_FINDING_CODES = [
  'manifest_missing',
  'manifest_invalid',
  'part_missing',
  'part_unlisted',
  'part_hash_mismatch',
  'audit_chain_broken',
  'audit_head_mismatch',
  'anchor_mismatch',
  'transfer_unaudited',
  'transfer_audit_mismatch',
  'transfer_missing',
  'transfer_out_of_order',
  'balance_mismatch',
  'liability_root_mismatch',
  'document_missing',
  'document_hash_mismatch',
] as const;
export type IntegrityFindingCode = (typeof INTEGRITY_FINDING_CODES)[number];

export interface IntegrityFinding {
  code: IntegrityFindingCode;
  message: string;
  part?: string;
  /** Audit record sequence number, when one is named. */
  seq?: number;
  transferId?: string;
  account?: string;
  assetId?: string;
  documentId?: string;
}

export interface IntegrityReport {
  ok: boolean;
  checkedAt: string;
  auditChain: AuditVerification;
  counts: { auditRecords: number; transfers: number; accounts: number; documents: number };
  /** The first findings (at most 200); findingsTotal counts them all. */
  findings: IntegrityFinding[];
  findingsTotal: number;
  milliseconds: number;
}

export interface BundlePart {
  name: string;
  bytes: number;
  sha256: string;
  rows?: number;
}

export interface BundleManifest {
  format: 'treasury-audit-bundle';
  version: 1;
  createdAt: string;
  createdBy: string;
  profile: string;
  auditHead: { seq: number; hash: string };
  ledger: { transfers: number; accounts: number };
  liabilities: LiabilityRootView[];
  documents: { count: number; included: boolean };
  /**
   * How client personal data travels: 'pseudonymized' (the default) gives each personal value as its keyed hash
   * (the pseudonym audit records carry), so clients are known by id and pseudonym only, and scans travel sealed;
   * 'included' when the exporter asked for personal data in clear (values and scans opened).
   */
  personalData?: 'pseudonymized' | 'included';
  parts: BundlePart[];
}

export interface BundleVerification extends IntegrityReport {
  file: string;
  /** sha256 of manifest.json: give it to the auditor by another route, and the bundle cannot be swapped whole. */
  manifestSha256: string | null;
  manifest: BundleManifest | null;
}

export interface BundleExport {
  file: string;
  bytes: number;
  manifestSha256: string;
  auditHead: { seq: number; hash: string };
  parts: BundlePart[];
  milliseconds: number;
}

/** An export as the officer takes it away: its bytes for a download (or, for "show in folder", only where it is). */
export interface ExportDownload {
  file: string;
  name: string;
  mimeType: string;
  bytes: number;
  /** Absent when only the file's place was asked for. */
  base64: string | null;
}

export interface ExportedFile {
  file: string;
  bytes: number;
  sha256: string;
}

/** A ledger entry's on-chain movement. */
export interface ChainLink {
  chain: string;
  txHash: string;
  logIndex: number | null;
  blockNumber: string | null;
  /** The profile's explorer page for the transaction; null where the profile has no explorer (devnet). */
  explorerUrl: string | null;
}

export interface ExplainedEntry {
  transferId: string;
  at: string;
  kind: 'posted' | 'pending' | 'post_pending' | 'void_pending';
  code: string;
  direction: 'in' | 'out';
  amount: string;
  counterparty: string;
  cause: { type: string; id: string } | null;
  memo: string | null;
  operator: string | null;
  /** Running balance after this entry, from zero. */
  postedAfter: string;
  pendingAfter: string;
  auditSeq: number | null;
  chainLink: ChainLink | null;
}

export interface BalanceExplanation {
  walletId: string;
  assetId: string;
  /** Running balance before the first entry of this page. */
  opening: { posted: string; pending: string };
  entries: ExplainedEntry[];
  /** The ledger's materialized balance, and whether the entries add up to it (checked on the last page). */
  materialized: { posted: string; pending: string };
  explained: boolean | null;
  nextCursor: string | null;
}

export interface TransferTrace {
  transferId: string;
  idempotencyKey: string;
  kind: string;
  code: string;
  assetId: string;
  amount: string;
  debit: string;
  credit: string;
  createdAt: string;
  operator: string | null;
  cause: { type: string; id: string } | null;
  /** The record that journaled this transfer, and the records of its cause (deposit, withdrawal, sweep). */
  auditRecord: AuditRecordView | null;
  causeRecords: AuditRecordView[];
  chainLink: ChainLink | null;
}

export type ReconciliationCause =
  | { kind: 'uncovered_credit'; amount: string; note: string }
  | { kind: 'pending_withdrawal'; amount: string; note: string }
  | { kind: 'in_flight'; amount: string; note: string }
  | { kind: 'gas_expense'; amount: string; note: string }
  | { kind: 'clearing'; amount: string; note: string }
  /** A deposit credit a reorg could not reverse (the client had spent it): owed, with no coins behind it. */
  | { kind: 'reorg_credit_kept'; amount: string; note: string }
  | { kind: 'unexplained'; amount: string; note: string };

/** Per chain and asset: the chain's view against the ledger's. Signed amounts are base-unit strings. */
export interface ChainReconciliationLine {
  chain: string;
  assetId: string;
  symbol: string;
  decimals: number;
  onChain: { holding: string | null; depositAddresses: string | null; total: string | null; error: string | null };
  ledger: {
    clientLiabilities: string;
    companyReserve: string;
    /** clientLiabilities + companyReserve: what the chain should cover. */
    obligations: string;
    holding: string;
    inTransit: string;
  };
  /** onChain.total - ledger.obligations, null when the chain could not be read. */
  difference: string | null;
  causes: ReconciliationCause[];
  status: 'balanced' | 'explained' | 'unexplained' | 'unreadable';
}

export interface ChainReconciliation {
  at: string;
  profile: string;
  lines: ChainReconciliationLine[];
}

export interface LiabilityRootView {
  assetId: string;
  hash: string;
  total: string;
  leaves: number;
}

export interface LiabilityProofView {
  assetId: string;
  leaf: { clientId: string; balance: string; nonce: string };
  path: Array<{ side: 'left' | 'right'; hash: string; sum: string }>;
  root: LiabilityRootView;
  /** Checked by the engine with the independent checker before answering. */
  valid: boolean;
}

export type AuditMode =
  | { mode: 'live' }
  | {
      mode: 'snapshot';
      file: string;
      createdAt: string;
      profile: string;
      auditHead: { seq: number; hash: string };
      manifestSha256: string | null;
      verification: { ok: boolean; findingsTotal: number; findings: IntegrityFinding[] };
    };
