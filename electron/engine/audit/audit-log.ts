import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AuditRecordRow, Database } from '../db/schema';
import { runAsync, step, type MaybePromise, type Steps } from '../ledger/steps';
import { canonicalJson } from './canonical';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  /** Who did it: an operator id, or 'system' / 'watcher' for the engine's own steps. */
  operator: string;
  /** What happened, "area.verb": 'ledger.transfer', 'wallet.status', 'kyc.verified', 'settings.changed'. */
  action: string;
  entity: { type: string; id: string };
  change: Record<string, unknown>;
}

/**
 * The exact bytes a record's hash covers, after the previous hash: canonical JSON of the record with keys in
 * order (action, at, change, entity{id,type}, operator, seq), `change` as stored (the log writes it canonical).
 * Built by concatenation so a million records hash without re-parsing.
 */
export function recordPayload(r: Pick<AuditRecordRow, 'seq' | 'at' | 'operator' | 'action' | 'entity_type' | 'entity_id' | 'change'>): string {
  return (
    `{"action":${JSON.stringify(r.action)},"at":${JSON.stringify(r.at)},"change":${r.change},` +
    `"entity":{"id":${JSON.stringify(r.entity_id)},"type":${JSON.stringify(r.entity_type)}},` +
    `"operator":${JSON.stringify(r.operator)},"seq":${r.seq}}`
  );
}

export function chainHash(prevHash: string, payload: string): string {
  return createHash('sha256').update(prevHash).update(payload).digest('hex');
}

/** An entry whose change is already canonical JSON text (the bytes the record stores and hashes). */
export interface CanonicalAuditEntry extends Omit<AuditEntry, 'change'> {
  change: string;
}

/**
 * The two statements on the audit write path, so a dialect can answer them without Kysely's per-query cost
 * (with values rather than promises where it can, so the ledger's synchronous transaction can journal too).
 */
export interface AuditStatements {
  head(trx: Kysely<Database>): MaybePromise<{ seq: number; hash: string } | undefined>;
  insert(trx: Kysely<Database>, rows: AuditRecordRow[]): MaybePromise<void>;
}

/** The chain's last record. */
export function auditHeadQuery(trx: Kysely<Database>) {
  return trx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1);
}

export class KyselyAuditStatements implements AuditStatements {
  head(trx: Kysely<Database>) {
    return auditHeadQuery(trx).executeTakeFirst();
  }

  async insert(trx: Kysely<Database>, rows: AuditRecordRow[]): Promise<void> {
    for (let start = 0; start < rows.length; start += 500) {
      await trx.insertInto('audit_log').values(rows.slice(start, start + 500)).execute();
    }
  }
}

export type AuditVerdict =
  | { ok: true; records: number; head: string }
  | { ok: false; records: number; firstBroken: number; reason: 'hash_mismatch' | 'broken_link' | 'sequence_gap' };

/**
 * Append-only, hash-chained log of every state change. Records are appended inside the same database
 * transaction as the change they describe, so one is never without the other.
 */
export class AuditLog {
  private readonly appendHooks: Array<(trx: Kysely<Database>, rows: AuditRecordRow[]) => Promise<void>> = [];

  constructor(
    private readonly db: Kysely<Database>,
    private readonly statements: AuditStatements = new KyselyAuditStatements(),
    private readonly now: () => string = () => new Date().toISOString(),
  ) {}

  /**
   * Runs `hook` inside the transaction of every record appended through record/recordMany, after the records
   * (the webhook outbox): what it writes commits or rolls back with them. The ledger's own journal (append,
   * `ledger.*` records in a synchronous transaction) does not call it.
   */
  onAppend(hook: (trx: Kysely<Database>, rows: AuditRecordRow[]) => Promise<void>): void {
    this.appendHooks.push(hook);
  }

  /** Appends in the caller's transaction (pass it), or on its own. */
  async record(entry: AuditEntry, ex: Kysely<Database> = this.db): Promise<AuditRecordRow> {
    const [row] = await this.recordMany([entry], ex);
    return row!;
  }

  async recordMany(entries: AuditEntry[], ex: Kysely<Database> = this.db): Promise<AuditRecordRow[]> {
    if (entries.length === 0) return [];
    const canonical = entries.map((entry) => ({ ...entry, change: canonicalJson(entry.change) }));
    const run = async (trx: Kysely<Database>) => {
      const rows = await runAsync(this.append(trx, canonical));
      for (const hook of this.appendHooks) await hook(trx, rows);
      return rows;
    };
    return ex.isTransaction ? run(ex) : ex.transaction().execute(run);
  }

  /** Appends records as steps of the caller's transaction (see ../ledger/steps): the ledger's journal. */
  *append(trx: Kysely<Database>, entries: CanonicalAuditEntry[]): Steps<AuditRecordRow[]> {
    if (entries.length === 0) return [];
    const last = yield* step(this.statements.head(trx));
    let seq = last?.seq ?? 0;
    let prev = last?.hash ?? GENESIS_HASH;
    const at = this.now();
    const rows: AuditRecordRow[] = entries.map((entry) => {
      seq += 1;
      const base = {
        seq,
        at,
        operator: entry.operator,
        action: entry.action,
        entity_type: entry.entity.type,
        entity_id: entry.entity.id,
        change: entry.change,
      };
      const hash = chainHash(prev, recordPayload(base));
      const row = { ...base, prev_hash: prev, hash };
      prev = hash;
      return row;
    });
    yield* step(this.statements.insert(trx, rows));
    return rows;
  }

  async head(): Promise<{ seq: number; hash: string }> {
    const last = await this.db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    return last ?? { seq: 0, hash: GENESIS_HASH };
  }

  async list(filter: { entityType?: string; entityId?: string; before?: number; limit: number }): Promise<AuditRecordRow[]> {
    let query = this.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(filter.limit);
    if (filter.entityType) query = query.where('entity_type', '=', filter.entityType);
    if (filter.entityId) query = query.where('entity_id', '=', filter.entityId);
    if (filter.before !== undefined) query = query.where('seq', '<', filter.before);
    return query.execute();
  }

  /** Recomputes the whole chain from the stored rows and names the first record that does not hold. */
  async verify(): Promise<AuditVerdict> {
    return verifyChain(await this.db.selectFrom('audit_log').selectAll().orderBy('seq').execute());
  }
}

export function verifyChain(rows: Iterable<AuditRecordRow>): AuditVerdict {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  for (const row of rows) {
    count += 1;
    if (row.seq !== expectedSeq) return { ok: false, records: count, firstBroken: expectedSeq, reason: 'sequence_gap' };
    if (row.prev_hash !== prev) return { ok: false, records: count, firstBroken: row.seq, reason: 'broken_link' };
    if (chainHash(prev, recordPayload(row)) !== row.hash) return { ok: false, records: count, firstBroken: row.seq, reason: 'hash_mismatch' };
    prev = row.hash;
    expectedSeq += 1;
  }
  return { ok: true, records: count, head: prev };
}
