import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundleExport, BundleManifest, IntegrityFinding } from '@shared/domain/audit';
import { verifyAuditBundle } from '@engine/audit/bundle-verify';
import { checkLiabilityProof, type LiabilityProof } from '@engine/audit/liability-proof';
import { chainHash, recordPayload } from '@engine/audit/audit-log';
import type { AuditRecordRow } from '@engine/db/schema';
import { BACKENDS } from '@test/backends';
import { KYC_PDF, editLines, populatedEngine, readBundle, tamper, type PopulatedEngine } from './bundle-fixtures';

/**
 * The audit bundle: exported from a real engine, verified offline, and tampered with in every way the
 * issue names; from a workstation's SQLite file and from the team's PostgreSQL server alike.
 */
const codes = (findings: IntegrityFinding[]) => [...new Set(findings.map((f) => f.code))];

describe.each(BACKENDS)('exported from %s', (backend) => {
  let p: PopulatedEngine;
  let bundle: BundleExport;
  const folder = mkdtempSync(join(tmpdir(), 'treasury-bundle-tamper-'));
  let n = 0;
  const copy = () => join(folder, `tampered-${++n}.tar`);

  beforeAll(async () => {
    p = await populatedEngine(backend);
    bundle = await p.t.engine.services.auditTrail.exportBundle({ includeDocuments: true, operator: 'auditor-test', reconcile: false });
  });
  afterAll(async () => {
    await p?.t.dispose();
    rmSync(folder, { recursive: true, force: true });
  });

  describe('audit bundle export', () => {
    it('holds every part the issue lists, with a manifest of their SHA-256 and the chain head', async () => {
      const parts = await readBundle(bundle.file);
      const names = parts.map((x) => x.name);
      for (const name of ['manifest.json', 'tables/ledger_transfers.jsonl', 'tables/ledger_accounts.jsonl', 'tables/audit_log.jsonl', 'reconciliation.json',
        'liabilities.json', 'liability-proofs.jsonl', 'documents.jsonl', 'transfers.csv', 'balances.csv', 'report.pdf', 'schema.sql']) {
        expect(names).toContain(name);
      }
      expect(names[names.length - 1]).toBe('manifest.json');
      const manifest = JSON.parse(parts.at(-1)!.content.toString()) as BundleManifest;
      for (const part of manifest.parts) {
        const content = parts.find((x) => x.name === part.name)!.content;
        expect(createHash('sha256').update(content).digest('hex')).toBe(part.sha256);
      }
      expect(createHash('sha256').update(parts.at(-1)!.content).digest('hex')).toBe(bundle.manifestSha256);
      const head = await p.t.engine.services.audit.list({ limit: 2 });
      // The export's own audit record comes after the head the bundle carries.
      expect(head[0]!.action).toBe('audit.bundle_exported');
      expect(manifest.auditHead).toEqual({ seq: head[1]!.seq, hash: head[1]!.hash });
      expect(manifest.ledger.transfers).toBe(9);
    });

    it('carries the KYC file hashes and, when asked, the files themselves', async () => {
      const parts = await readBundle(bundle.file);
      const documents = parts.find((x) => x.name === 'documents.jsonl')!.content.toString().trim().split('\n').map((l) => JSON.parse(l) as { id: string; sha256: string; owner: string });
      expect(documents).toHaveLength(1);
      // Pseudonymized by default: the file travels sealed, listed under the hash of its sealed bytes; the
      // workspace's keys open it to the scan.
      const included = parts.find((x) => x.name === `documents/${documents[0]!.id}`)!.content;
      expect(documents[0]).toMatchObject({ owner: p.clientId, sha256: createHash('sha256').update(included).digest('hex') });
      expect(included.includes(KYC_PDF.subarray(0, 20))).toBe(false);
      const scan = createHash('sha256').update(KYC_PDF).digest('hex');
      const files = p.t.engine.services.clients.files;
      expect(p.t.engine.services.clients.keys.openFile((await files.fileKey(scan))!, scan, included).equals(KYC_PDF)).toBe(true);
      expect((JSON.parse(parts.at(-1)!.content.toString()) as BundleManifest).personalData).toBe('pseudonymized');
    });

    it('writes CSV a spreadsheet reads, and never lets a memo run as a formula', async () => {
      const parts = await readBundle(bundle.file);
      const csv = parts.find((x) => x.name === 'transfers.csv')!.content.toString();
      const lines = csv.trim().split('\r\n');
      expect(lines[0]).toBe('network,id,created_at,kind,code,asset_id,amount_base_units,debit_account,credit_account,pending_id,reverses_id,cause_type,cause_id,memo,operator,idempotency_key');
      expect(lines).toHaveLength(10);
      expect(lines.some((l) => l.includes('post_pending') && l.includes(',100000,'))).toBe(true);
      const balances = parts.find((x) => x.name === 'balances.csv')!.content.toString();
      expect(balances).toContain(`client_wallet:polygon:USDT:${p.wallets[2]!.id},client_wallet,polygon:USDT,${p.wallets[2]!.id},,250000,0,250000`);
    });

    it('renders a PDF report that poppler reads page by page', () => {
      const pdf = join(folder, 'report.pdf');
      execFileSync('tar', ['-xf', bundle.file, '-C', folder, 'report.pdf']);
      const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
      expect(text).toContain('Treasury audit report');
      expect(text).toContain('USDT on Polygon');
      expect(text).not.toMatch(/polygon:USDT|base units|~/);
      expect(text).toContain(bundle.auditHead.hash);
      execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', pdf, join(folder, 'page')]);
      expect(readFileSync(join(folder, 'page-1.png')).subarray(1, 4).toString()).toBe('PNG');
    });

    it('publishes a liability root per asset; each client proof checks with nothing but itself and the root', async () => {
      const parts = await readBundle(bundle.file);
      const manifest = JSON.parse(parts.at(-1)!.content.toString()) as BundleManifest;
      const root = manifest.liabilities.find((r) => r.assetId === 'polygon:USDT')!;
      // alice 750,000 (her client), bob 400,000 (the reversal gave back 20,000), carol 250,000.
      expect(root).toMatchObject({ total: '1400000', leaves: 3 });
      const proofs = parts.find((x) => x.name === 'liability-proofs.jsonl')!.content.toString().trim().split('\n').map((l) => JSON.parse(l) as LiabilityProof);
      const alice = proofs.find((x) => x.leaf.clientId === `client:${p.clientId}`)!;
      expect(alice.leaf.balance).toBe('750000');
      for (const proof of proofs) expect(checkLiabilityProof(proof, root)).toEqual({ ok: true });
    });
  });

  describe('audit bundle verification', () => {
    it('passes an untouched bundle', async () => {
      const verdict = await verifyAuditBundle(bundle.file, { anchor: bundle.auditHead });
      expect(verdict.findings).toEqual([]);
      expect(verdict).toMatchObject({ ok: true, counts: { transfers: 9, documents: 1 }, manifestSha256: bundle.manifestSha256 });
    });

    it('edit one amount: the changed part is named, and with the manifest rewritten too, the transfer and its audit record', async () => {
      const target = p.internalTransferId;
      const edit = (parts: Array<{ name: string; content: Buffer }>) =>
        editLines(parts, 'tables/ledger_transfers.jsonl', (rows) => rows.map((r) => (r.id === target ? { ...r, amount: '25000' } : r)));
      const naive = copy();
      await tamper(bundle.file, naive, edit);
      const first = await verifyAuditBundle(naive);
      expect(first.ok).toBe(false);
      expect(first.findings[0]).toMatchObject({ code: 'part_hash_mismatch', part: 'tables/ledger_transfers.jsonl' });

      const careful = copy();
      await tamper(bundle.file, careful, edit, { fixManifest: true });
      const second = await verifyAuditBundle(careful);
      expect(codes(second.findings)).not.toContain('part_hash_mismatch');
      expect(second.findings).toContainEqual(expect.objectContaining({ code: 'transfer_audit_mismatch', transferId: String(target), message: expect.stringContaining('amount is "25000" in the ledger, "250000" in audit record') }));
      expect(second.findings).toContainEqual(expect.objectContaining({ code: 'balance_mismatch', account: `client_wallet:polygon:USDT:${p.wallets[2]!.id}` }));
    });

    it('edit one amount in the audit log: the first broken record is named', async () => {
      const records = await p.t.engine.services.audit.list({ entityType: 'ledger_transfer', entityId: String(p.internalTransferId), limit: 1 });
      const seq = records[0]!.seq;
      const target = copy();
      await tamper(bundle.file, target, (parts) =>
        editLines(parts, 'tables/audit_log.jsonl', (rows) => rows.map((r) => (r.seq === seq ? { ...r, change: String(r.change).replace('"amount":"250000"', '"amount":"25000"') } : r))),
        { fixManifest: true },
      );
      const verdict = await verifyAuditBundle(target);
      expect(verdict.auditChain).toMatchObject({ ok: false, firstBroken: seq, reason: 'hash_mismatch' });
      expect(verdict.findings).toContainEqual(expect.objectContaining({ code: 'audit_chain_broken', seq }));
    });

    it('an attacker who edits a record and rehashes the whole chain is caught by the ledger and by the head written down', async () => {
      const records = await p.t.engine.services.audit.list({ entityType: 'ledger_transfer', entityId: String(p.internalTransferId), limit: 1 });
      const seq = records[0]!.seq;
      const target = copy();
      let newHead = { seq: 0, hash: '' };
      await tamper(
        bundle.file,
        target,
        (parts) =>
          editLines(parts, 'tables/audit_log.jsonl', (rows) => {
            let prev = '0'.repeat(64);
            return rows.map((r) => {
              const row = { ...(r as unknown as AuditRecordRow) };
              if (row.seq === seq) row.change = row.change.replace('"amount":"250000"', '"amount":"25000"');
              row.prev_hash = prev;
              row.hash = chainHash(prev, recordPayload(row));
              prev = row.hash;
              newHead = { seq: row.seq, hash: row.hash };
              return row as unknown as Record<string, unknown>;
            });
          }),
        { fixManifest: true, manifest: (m) => (m.auditHead = newHead) },
      );
      const verdict = await verifyAuditBundle(target, { anchor: bundle.auditHead });
      expect(verdict.auditChain.ok).toBe(true);
      expect(verdict.findings).toContainEqual(expect.objectContaining({ code: 'anchor_mismatch', seq: bundle.auditHead.seq }));
      expect(verdict.findings).toContainEqual(expect.objectContaining({ code: 'transfer_audit_mismatch', transferId: String(p.internalTransferId), seq }));
    });

    it('delete one record: the gap in the audit log, or the missing transfer, is named', async () => {
      const records = await p.t.engine.services.audit.list({ entityType: 'ledger_transfer', entityId: String(p.internalTransferId), limit: 1 });
      const seq = records[0]!.seq;
      const withoutRecord = copy();
      await tamper(bundle.file, withoutRecord, (parts) => editLines(parts, 'tables/audit_log.jsonl', (rows) => rows.filter((r) => r.seq !== seq)), { fixManifest: true });
      const first = await verifyAuditBundle(withoutRecord);
      expect(first.auditChain).toMatchObject({ ok: false, firstBroken: seq, reason: 'sequence_gap' });
      expect(first.findings).toContainEqual(expect.objectContaining({ code: 'transfer_unaudited', transferId: String(p.internalTransferId) }));

      const withoutTransfer = copy();
      await tamper(bundle.file, withoutTransfer, (parts) => editLines(parts, 'tables/ledger_transfers.jsonl', (rows) => rows.filter((r) => r.id !== p.internalTransferId)), { fixManifest: true });
      const second = await verifyAuditBundle(withoutTransfer);
      expect(second.auditChain.ok).toBe(true);
      expect(second.findings).toContainEqual(expect.objectContaining({ code: 'transfer_missing', transferId: String(p.internalTransferId), seq }));
    });

    it('reorder two records: the first record out of place is named', async () => {
      const target = copy();
      await tamper(bundle.file, target, (parts) =>
        editLines(parts, 'tables/audit_log.jsonl', (rows) => {
          const copyRows = [...rows];
          [copyRows[4], copyRows[5]] = [copyRows[5]!, copyRows[4]!];
          return copyRows;
        }),
        { fixManifest: true },
      );
      const verdict = await verifyAuditBundle(target);
      expect(verdict.auditChain).toMatchObject({ ok: false, firstBroken: 5, reason: 'sequence_gap' });
      expect(verdict.findings[0]).toMatchObject({ code: 'audit_chain_broken', seq: 5 });
    });

    it('swap a KYC file: the document is named, with or without the manifest rewritten', async () => {
      const swap = (parts: Array<{ name: string; content: Buffer }>) => {
        parts.find((x) => x.name.startsWith('documents/'))!.content = Buffer.from('%PDF-1.7\na different utility bill\n%%EOF\n');
      };
      const naive = copy();
      await tamper(bundle.file, naive, swap);
      const first = await verifyAuditBundle(naive);
      expect(first.findings).toContainEqual(expect.objectContaining({ code: 'part_hash_mismatch', part: expect.stringMatching(/^documents\//) }));
      expect(first.findings).toContainEqual(expect.objectContaining({ code: 'document_hash_mismatch' }));
      const careful = copy();
      await tamper(bundle.file, careful, swap, { fixManifest: true });
      const second = await verifyAuditBundle(careful);
      expect(codes(second.findings)).toEqual(['document_hash_mismatch']);
    });

    it('a client left out of the liability tree no longer adds up to the root the manifest published', async () => {
      const target = copy();
      await tamper(bundle.file, target, (parts) =>
        editLines(parts, 'liability-proofs.jsonl', (rows) => rows.filter((r) => (r.leaf as { clientId: string }).clientId !== `client:${p.clientId}`)),
        { fixManifest: true },
      );
      const verdict = await verifyAuditBundle(target);
      expect(verdict.findings).toContainEqual(expect.objectContaining({ code: 'liability_root_mismatch', assetId: 'polygon:USDT' }));
    });

    it('names a part added or removed behind the manifest, and refuses a file that is no bundle', async () => {
      const added = copy();
      await tamper(bundle.file, added, (parts) => parts.splice(1, 0, { name: 'tables/extra.jsonl', content: Buffer.from('{}\n') }));
      expect((await verifyAuditBundle(added)).findings).toContainEqual(expect.objectContaining({ code: 'part_unlisted', part: 'tables/extra.jsonl' }));
      const removed = copy();
      await tamper(bundle.file, removed, (parts) => parts.splice(parts.findIndex((x) => x.name === 'balances.csv'), 1));
      expect((await verifyAuditBundle(removed)).findings).toContainEqual(expect.objectContaining({ code: 'part_missing', part: 'balances.csv' }));
      const notABundle = join(folder, 'not-a-bundle.tar');
      execFileSync('tar', ['-cf', notABundle, '-C', folder, 'report.pdf']);
      expect((await verifyAuditBundle(notABundle)).findings[0]).toMatchObject({ code: 'manifest_missing' });
    });
  });
});
