import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditMode, BalanceExplanation, BundleExport, TransferTrace } from '@shared/domain/audit';
import type { Page, TransferView } from '@shared/domain/ledger';
import type { Statement } from '@shared/domain/statements';
import type { ValuationTotals } from '@shared/domain/valuation';
import type { WalletView } from '@shared/domain/wallets';
import { openAuditSnapshot, type AuditSnapshot } from '@engine/audit/offline-review';
import { checkLiabilityProof } from '@engine/audit/liability-proof';
import { BACKENDS } from '@test/backends';
import { callOk } from '@test/engine';
import { ASSET, editLines, populatedEngine, tamper, type PopulatedEngine } from './bundle-fixtures';

/** Offline review: the same read channels answered from a bundle, read-only, no keys, no network; the bundle exported from SQLite or PostgreSQL. */
describe.each(BACKENDS)('exported from %s', (backend) => {
  let p: PopulatedEngine;
  let bundle: BundleExport;
  let snapshot: AuditSnapshot;
  const call = async <T>(channel: string, payload: unknown = {}): Promise<T> => {
    const result = await snapshot.api.call(channel, payload, { door: 'test' });
    if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
    return result.data as T;
  };

  beforeAll(async () => {
    p = await populatedEngine(backend);
    bundle = await p.t.engine.services.auditTrail.exportBundle({ includeDocuments: false, operator: 'auditor-test', reconcile: false });
    snapshot = await openAuditSnapshot(bundle.file);
  });
  afterAll(async () => {
    await snapshot?.close();
    await p?.t.dispose();
  });

  describe('offline review of an audit bundle', () => {
    it('says it is a verified snapshot, with the bundle it came from', async () => {
      const mode = await call<AuditMode>('audit:mode');
      expect(mode).toMatchObject({ mode: 'snapshot', file: bundle.file, auditHead: bundle.auditHead, manifestSha256: bundle.manifestSha256, verification: { ok: true, findingsTotal: 0 } });
    });

    it('serves balances, history and the audit log as the live engine did', async () => {
      const live = await p.t.engine.services.wallets.list({ limit: 100 });
      const offline = await call<Page<WalletView>>('wallets:list', { limit: 100 });
      expect(offline.items.map((w) => [w.id, w.balances])).toEqual(live.items.map((w) => [w.id, w.balances]));
      const bob = p.wallets[1]!;
      const history = await call<Page<TransferView>>('transfers:history', { walletId: bob.id, assetId: ASSET, limit: 50 });
      expect(history.items.map((t) => t.code)).toEqual(['correction', 'withdrawal', 'withdrawal', 'withdrawal', 'withdrawal', 'internal_transfer', 'company_credit']);
      const records = await call<Array<{ seq: number }>>('audit:list', { limit: 500 });
      expect(records[0]!.seq).toBe(bundle.auditHead.seq);
      expect(await call('audit:verify')).toEqual({ ok: true, records: bundle.auditHead.seq, head: bundle.auditHead.hash });
    });

    it('gives the same client statement and valuation as the live engine', async () => {
      const period = { clientId: p.clientId, from: '2020-01-01', to: '2099-12-31' };
      const { generatedAt: _live, ...live } = await callOk<Statement>(p.t.engine, 'statements:get', period);
      const { generatedAt: _offline, ...offline } = await call<Statement>('statements:get', period);
      // The bundle is pseudonymized: the client's name travels as its keyed hash, never in clear.
      expect(offline.client.name).toMatch(/^keyed:[0-9a-f]{64}$/);
      expect({ ...offline, client: { ...offline.client, name: live.client.name } }).toEqual(live);
      expect(live.assets[0]!.movements.length).toBeGreaterThan(0);
      const { at: _a, ...liveValue } = await callOk<ValuationTotals>(p.t.engine, 'valuation:totals', { currency: 'USD' });
      const { at: _b, ...offlineValue } = await call<ValuationTotals>('valuation:totals', { currency: 'USD' });
      expect(offlineValue).toEqual(liveValue);
    });

    it('its figures equal the live ones: every balance, the ledger totals, the audit head', async () => {
      const live = await p.t.engine.services.wallets.list({ limit: 100 });
      const offline = await call<Page<WalletView>>('wallets:list', { limit: 100 });
      expect(offline.items.map((w) => [w.id, w.label, w.balances])).toEqual(live.items.map((w) => [w.id, w.label, w.balances]));
      expect(await call('audit:reconcile')).toEqual(await callOk(p.t.engine, 'audit:reconcile', {}));
      // The live log has one record more: the export's own, written after the snapshot.
      const [exported, head] = await p.t.engine.services.audit.list({ limit: 2 });
      expect(exported!.action).toBe('audit.bundle_exported');
      expect(bundle.auditHead).toEqual({ seq: head!.seq, hash: head!.hash });
      expect(await call('audit:verify')).toEqual({ ok: true, records: head!.seq, head: head!.hash });
    });

    it('explains a client balance entry by entry from zero, each entry with its audit record', async () => {
      const bob = p.wallets[1]!;
      const explanation = await call<BalanceExplanation>('audit:explainBalance', { walletId: bob.id, assetId: ASSET, limit: 100 });
      expect(explanation.entries.map((e) => [e.kind, e.direction, e.amount, e.postedAfter, e.pendingAfter])).toEqual([
        ['posted', 'in', '500000', '500000', '0'],
        ['posted', 'out', '20000', '480000', '0'],
        ['pending', 'out', '100000', '480000', '-100000'],
        ['post_pending', 'out', '100000', '380000', '0'],
        ['pending', 'out', '50000', '380000', '-50000'],
        ['void_pending', 'out', '50000', '380000', '0'],
        ['posted', 'in', '20000', '400000', '0'],
      ]);
      expect(explanation).toMatchObject({ explained: true, materialized: { posted: '400000', pending: '0' } });
      expect(explanation.entries.every((e) => e.auditSeq !== null)).toBe(true);
      const page = await call<BalanceExplanation>('audit:explainBalance', { walletId: bob.id, assetId: ASSET, limit: 3 });
      const next = await call<BalanceExplanation>('audit:explainBalance', { walletId: bob.id, assetId: ASSET, limit: 3, cursor: page.nextCursor });
      expect(next.opening).toEqual({ posted: '480000', pending: '-100000' });
      expect(next.entries[0]!.kind).toBe('post_pending');
      const trace = await call<TransferTrace>('audit:trace', { transferId: explanation.entries[3]!.transferId });
      expect(trace).toMatchObject({ kind: 'post_pending', cause: { type: 'withdrawal', id: 'wd-1' }, auditRecord: { action: 'ledger.post_pending' } });
    });

    it('hands each client the inclusion proof of the published root', async () => {
      const proof = await call<{ root: { hash: string; total: string; assetId: string }; valid: boolean; leaf: { balance: string } }>('audit:liabilityProof', { assetId: ASSET, clientId: p.clientId });
      expect(proof).toMatchObject({ valid: true, leaf: { balance: '750000' } });
      expect(checkLiabilityProof(proof as never, proof.root)).toEqual({ ok: true });
    });

    it('refuses every change, names the snapshot, and never writes to the bundle', async () => {
      const before = createHash('sha256').update(readFileSync(bundle.file)).digest('hex');
      for (const [channel, payload] of [
        ['transfers:internal', { idempotencyKey: 'offline-1', fromWalletId: p.wallets[0]!.id, toWalletId: p.wallets[1]!.id, assetId: ASSET, amount: '1' }],
        ['wallets:create', { chain: 'polygon', label: 'offline' }],
        ['audit:exportBundle', {}],
        ['system:unlock', { passphrase: 'correct horse battery staple' }],
      ] as const) {
        const result = await snapshot.api.call(channel, payload, { door: 'test' });
        expect(result).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('read-only snapshot') } });
      }
      expect(await snapshot.api.call('wallets:list', { limit: 'many' }, { door: 'test' })).toMatchObject({ ok: false, error: { code: 'validation' } });
      const status = await call<{ chains: Array<{ reachable: boolean }>; custody: { initialized: boolean } }>('system:status');
      expect(status.chains.every((c) => !c.reachable)).toBe(true);
      expect(status.custody.initialized).toBe(false);
      // The reader is an auditor of the snapshot: a session without a token, so the window's gate opens for reading.
      const session = await call<{ setupRequired: boolean; session: { token?: string; operator: { role: string } } }>('system:session');
      expect(session).toMatchObject({ setupRequired: false, session: { operator: { role: 'auditor' } } });
      expect(session.session.token).toBeUndefined();
      expect(createHash('sha256').update(readFileSync(bundle.file)).digest('hex')).toBe(before);
    });

    it('opens a tampered bundle for inspection, marked as failing verification', async () => {
      const tampered = `${bundle.file}.tampered.tar`;
      await tamper(bundle.file, tampered, (parts) => editLines(parts, 'tables/ledger_transfers.jsonl', (rows) => rows.map((r) => (r.id === 1 ? { ...r, amount: '1' } : r))));
      const other = await openAuditSnapshot(tampered);
      try {
        const mode = (await other.api.call('audit:mode', {}, { door: 'test' })) as { ok: true; data: AuditMode };
        expect(mode.data).toMatchObject({ mode: 'snapshot', verification: { ok: false } });
        expect(mode.data.mode === 'snapshot' && mode.data.verification.findings[0]).toMatchObject({ code: 'part_hash_mismatch', part: 'tables/ledger_transfers.jsonl' });
      } finally {
        await other.close();
      }
    });
  });
});
