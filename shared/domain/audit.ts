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
