import BetterSqlite3 from 'better-sqlite3';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { IntegrityReport } from '@shared/domain/audit';
import { populatedEngine, type PopulatedEngine } from './bundle-fixtures';

/**
 * The live database, tampered with as someone with file access would: their own connection, the
 * immutability triggers dropped first. The integrity check (audit:integrity) must name each change.
 */
let p: PopulatedEngine | undefined;
afterEach(async () => {
  await p?.t.dispose();
  p = undefined;
});

function attacker(engine: PopulatedEngine): BetterSqlite3.Database {
  const sqlite = new BetterSqlite3(engine.t.engine.database.location);
  for (const trigger of ['audit_log_immutable', 'audit_log_undeletable', 'ledger_transfers_immutable', 'ledger_transfers_undeletable']) {
    sqlite.exec(`drop trigger if exists ${trigger}`);
  }
  return sqlite;
}

async function integrity(engine: PopulatedEngine): Promise<IntegrityReport> {
  const result = await engine.t.engine.api.call('audit:integrity', {}, { door: 'test' });
  if (!result.ok) throw new Error(result.error.message);
  return result.data as IntegrityReport;
}

async function journalSeq(engine: PopulatedEngine, transferId: number): Promise<number> {
  return (await engine.t.engine.services.audit.list({ entityType: 'ledger_transfer', entityId: String(transferId), limit: 1 }))[0]!.seq;
}

describe('tampering with the live database', () => {
  it('an untouched database passes, KYC file included', async () => {
    p = await populatedEngine();
    const report = await integrity(p);
    expect(report.findings).toEqual([]);
    expect(report).toMatchObject({ ok: true, counts: { transfers: 9, documents: 1 } });
  });

  it('edit one amount in the ledger: the transfer, its audit record and the balances it feeds are named', async () => {
    p = await populatedEngine();
    const seq = await journalSeq(p, p.internalTransferId);
    const sqlite = attacker(p);
    sqlite.prepare("update ledger_transfers set amount = '25000' where id = ?").run(p.internalTransferId);
    sqlite.close();
    const report = await integrity(p);
    expect(report.ok).toBe(false);
    expect(report.auditChain.ok).toBe(true);
    expect(report.findings).toContainEqual(
      expect.objectContaining({ code: 'transfer_audit_mismatch', transferId: String(p.internalTransferId), seq, message: expect.stringContaining('amount') }),
    );
    expect(report.findings).toContainEqual(expect.objectContaining({ code: 'balance_mismatch', account: `client_wallet:polygon:USDT:${p.wallets[0]!.id}` }));
  });

  it('edit one amount in the audit log: the record is named', async () => {
    p = await populatedEngine();
    const seq = await journalSeq(p, p.internalTransferId);
    const sqlite = attacker(p);
    sqlite.prepare(`update audit_log set change = replace(change, '"amount":"250000"', '"amount":"25000"') where seq = ?`).run(seq);
    sqlite.close();
    const report = await integrity(p);
    expect(report.auditChain).toMatchObject({ ok: false, firstBroken: seq, reason: 'hash_mismatch' });
    expect(report.findings).toContainEqual(expect.objectContaining({ code: 'audit_chain_broken', seq }));
    const verify = await p.t.engine.api.call('audit:verify', {}, { door: 'test' });
    expect(verify).toMatchObject({ ok: true, data: { ok: false, firstBroken: seq } });
  });

  it('delete one record: the gap is named, and a deleted transfer is named by the record that journaled it', async () => {
    p = await populatedEngine();
    const seq = await journalSeq(p, p.internalTransferId);
    const sqlite = attacker(p);
    sqlite.prepare('delete from audit_log where seq = ?').run(seq - 1);
    sqlite.pragma('foreign_keys = OFF');
    sqlite.prepare('delete from ledger_transfers where id = ?').run(p.internalTransferId);
    sqlite.close();
    const report = await integrity(p);
    expect(report.auditChain).toMatchObject({ ok: false, firstBroken: seq - 1, reason: 'sequence_gap' });
    expect(report.findings).toContainEqual(expect.objectContaining({ code: 'transfer_missing', transferId: String(p.internalTransferId), seq }));
  });

  it('reorder two records: the first one out of place is named', async () => {
    p = await populatedEngine();
    const sqlite = attacker(p);
    // Swap the contents of records 4 and 5 (the sequence numbers stay in order, the links do not).
    const [a, b] = [4, 5].map((seq) => sqlite.prepare('select * from audit_log where seq = ?').get(seq) as Record<string, unknown>);
    const put = sqlite.prepare('update audit_log set at = ?, operator = ?, action = ?, entity_type = ?, entity_id = ?, change = ?, prev_hash = ?, hash = ? where seq = ?');
    for (const [row, seq] of [[b!, 4], [a!, 5]] as const) put.run(row.at, row.operator, row.action, row.entity_type, row.entity_id, row.change, row.prev_hash, row.hash, seq);
    sqlite.close();
    const report = await integrity(p);
    expect(report.auditChain).toMatchObject({ ok: false, firstBroken: 4, reason: 'broken_link' });
    expect(report.findings[0]).toMatchObject({ code: 'audit_chain_broken', seq: 4 });
  });

  it('swap a KYC file on disk: the document is named', async () => {
    p = await populatedEngine();
    const folder = join(p.t.home, 'kyc');
    const [stored] = readdirSync(folder).filter((f) => /^[0-9a-f]{64}$/.test(f));
    writeFileSync(join(folder, stored!), '%PDF-1.7\na forged utility bill\n%%EOF\n');
    const report = await integrity(p);
    expect(report.findings).toEqual([expect.objectContaining({ code: 'document_hash_mismatch', documentId: expect.stringMatching(/\.front$/) })]);
  });
});
