import { hash as oneShotHash } from 'node:crypto';
import type { AuditRecordRow } from '../db/schema';
import { GENESIS_HASH, recordPayload, type AuditVerdict } from './audit-log';

/** Checks an audit chain one record at a time, in sequence order, so a million records never sit in memory. */
export class ChainVerifier {
  private prev = GENESIS_HASH;
  private expectedSeq = 1;
  private count = 0;
  private broken: Extract<AuditVerdict, { ok: false }> | null = null;

  /** Returns false once the chain is broken (later records are not looked at). */
  push(row: Pick<AuditRecordRow, 'seq' | 'at' | 'operator' | 'action' | 'entity_type' | 'entity_id' | 'change' | 'prev_hash' | 'hash'>): boolean {
    if (this.broken) return false;
    this.count += 1;
    if (row.seq !== this.expectedSeq) {
      this.broken = { ok: false, records: this.count, firstBroken: this.expectedSeq, reason: 'sequence_gap' };
      return false;
    }
    if (row.prev_hash !== this.prev) {
      this.broken = { ok: false, records: this.count, firstBroken: row.seq, reason: 'broken_link' };
      return false;
    }
    // One-shot hashing: no Hash object per record, the verifier's hottest line.
    const hash = oneShotHash('sha256', this.prev + recordPayload(row), 'hex');
    if (hash !== row.hash) {
      this.broken = { ok: false, records: this.count, firstBroken: row.seq, reason: 'hash_mismatch' };
      return false;
    }
    this.prev = row.hash;
    this.expectedSeq += 1;
    return true;
  }

  /** The hash of record `seq` is known only while walking; callers that check an anchor ask here. */
  get head(): { seq: number; hash: string } {
    return { seq: this.expectedSeq - 1, hash: this.prev };
  }

  verdict(): AuditVerdict {
    return this.broken ?? { ok: true, records: this.count, head: this.prev };
  }
}
