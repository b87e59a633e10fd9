import BetterSqlite3 from 'better-sqlite3';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { IntegrityReport } from '@shared/domain/audit';
import { BACKENDS } from '@test/backends';
import { populatedEngine, type PopulatedEngine } from './bundle-fixtures';

/**
 * The live database, tampered with as someone with direct access would: their own connection, the
 * immutability triggers dropped first (on SQLite anyone who can write the file can; on PostgreSQL the
 * role that owns the tables can, as the migrations' role does). The integrity check (audit:integrity)
 * must name each change.
 */
let p: PopulatedEngine | undefined;
afterEach(async () => {
  await p?.t.dispose();
  p = undefined;
});

/** A connection of its own to the engine's database: `?` placeholders on both dialects. */
interface Attacker {
  run(text: string, ...params: unknown[]): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

const TRIGGERS = [['audit_log', 'immutable'], ['audit_log', 'undeletable'], ['ledger_transfers', 'immutable'], ['ledger_transfers', 'undeletable']] as const;

async function attacker(engine: PopulatedEngine): Promise<Attacker> {
  const database = engine.t.database;
  if (database.dialect === 'sqlite') {
    const sqlite = new BetterSqlite3(database.path);
    for (const [table, kind] of TRIGGERS) sqlite.exec(`drop trigger if exists ${table}_${kind}`);
    // The ledger's foreign keys would refuse deleting a transfer; whoever edits the file turns them off.
    sqlite.pragma('foreign_keys = OFF');
    return {
      run: async (text, ...params) => {
        const statement = sqlite.prepare(text);
        if (statement.reader) return statement.all(...params) as Array<Record<string, unknown>>;
        statement.run(...params);
        return [];
      },
      close: async () => void sqlite.close(),
    };
  }
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  for (const [table, kind] of TRIGGERS) await client.query(`drop trigger if exists ${table}_${kind} on ${table}`);
  return {
    run: async (text, ...params) => {
      let n = 0;
      return (await client.query(text.replace(/\?/g, () => `$${++n}`), params)).rows as Array<Record<string, unknown>>;
    },
    close: () => client.end(),
  };
}

async function integrity(engine: PopulatedEngine): Promise<IntegrityReport> {
  const result = await engine.t.engine.api.call('audit:integrity', {}, { door: 'test' });
  if (!result.ok) throw new Error(result.error.message);
  return result.data as IntegrityReport;
}

async function journalSeq(engine: PopulatedEngine, transferId: number): Promise<number> {
  return (await engine.t.engine.services.audit.list({ entityType: 'ledger_transfer', entityId: String(transferId), limit: 1 }))[0]!.seq;
}

describe.each(BACKENDS)('tampering with the live database on %s', (backend) => {
  it('an untouched database passes, KYC file included', async () => {
    p = await populatedEngine(backend);
    const report = await integrity(p);
    expect(report.findings).toEqual([]);
    expect(report).toMatchObject({ ok: true, counts: { transfers: 9, documents: 1 } });
  });

  it('edit one amount in the ledger: the transfer, its audit record and the balances it feeds are named', async () => {
    p = await populatedEngine(backend);
    const seq = await journalSeq(p, p.internalTransferId);
    const intruder = await attacker(p);
    await intruder.run("update ledger_transfers set amount = '25000' where id = ?", p.internalTransferId);
    await intruder.close();
    const report = await integrity(p);
    expect(report.ok).toBe(false);
    expect(report.auditChain.ok).toBe(true);
    expect(report.findings).toContainEqual(
      expect.objectContaining({ code: 'transfer_audit_mismatch', transferId: String(p.internalTransferId), seq, message: expect.stringContaining('amount') }),
    );
    expect(report.findings).toContainEqual(expect.objectContaining({ code: 'balance_mismatch', account: `client_wallet:polygon:USDT:${p.wallets[0]!.id}` }));
  });

  it('edit one amount in the audit log: the record is named', async () => {
    p = await populatedEngine(backend);
    const seq = await journalSeq(p, p.internalTransferId);
    const intruder = await attacker(p);
    await intruder.run(`update audit_log set change = replace(change, '"amount":"250000"', '"amount":"25000"') where seq = ?`, seq);
    await intruder.close();
    const report = await integrity(p);
    expect(report.auditChain).toMatchObject({ ok: false, firstBroken: seq, reason: 'hash_mismatch' });
    expect(report.findings).toContainEqual(expect.objectContaining({ code: 'audit_chain_broken', seq }));
    const verify = await p.t.engine.api.call('audit:verify', {}, { door: 'test' });
    expect(verify).toMatchObject({ ok: true, data: { ok: false, firstBroken: seq } });
  });

  it('delete one record: the gap is named, and a deleted transfer is named by the record that journaled it', async () => {
    p = await populatedEngine(backend);
    const seq = await journalSeq(p, p.internalTransferId);
    const intruder = await attacker(p);
    await intruder.run('delete from audit_log where seq = ?', seq - 1);
    await intruder.run('delete from ledger_transfers where id = ?', p.internalTransferId);
    await intruder.close();
    const report = await integrity(p);
    expect(report.auditChain).toMatchObject({ ok: false, firstBroken: seq - 1, reason: 'sequence_gap' });
    expect(report.findings).toContainEqual(expect.objectContaining({ code: 'transfer_missing', transferId: String(p.internalTransferId), seq }));
  });

  it('reorder two records: the first one out of place is named', async () => {
    p = await populatedEngine(backend);
    const intruder = await attacker(p);
    // Swap the contents of records 4 and 5 (the sequence numbers stay in order, the links do not).
    const [a, b] = await Promise.all([4, 5].map(async (seq) => (await intruder.run('select * from audit_log where seq = ?', seq))[0]!));
    const put = 'update audit_log set at = ?, operator = ?, action = ?, entity_type = ?, entity_id = ?, change = ?, prev_hash = ?, hash = ? where seq = ?';
    for (const [row, seq] of [[b!, 4], [a!, 5]] as const) await intruder.run(put, row.at, row.operator, row.action, row.entity_type, row.entity_id, row.change, row.prev_hash, row.hash, seq);
    await intruder.close();
    const report = await integrity(p);
    expect(report.auditChain).toMatchObject({ ok: false, firstBroken: 4, reason: 'broken_link' });
    expect(report.findings[0]).toMatchObject({ code: 'audit_chain_broken', seq: 4 });
  });

  it('swap a KYC file on disk: the document is named', async () => {
    p = await populatedEngine(backend);
    const folder = join(p.t.home, 'kyc');
    const [stored] = readdirSync(folder).filter((f) => /^[0-9a-f]{64}$/.test(f));
    writeFileSync(join(folder, stored!), '%PDF-1.7\na forged utility bill\n%%EOF\n');
    const report = await integrity(p);
    expect(report.findings).toEqual([expect.objectContaining({ code: 'document_hash_mismatch', documentId: expect.stringMatching(/\.front$/) })]);
  });
});
