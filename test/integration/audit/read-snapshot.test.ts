import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundleExport } from '@shared/domain/audit';
import type { LedgerTransferRow } from '@engine/db/schema';
import { withReadSnapshot } from '@engine/audit/read-snapshot';
import { verifyAuditBundle } from '@engine/audit/bundle-verify';
import { BACKENDS } from '@test/backends';
import { ASSET, populatedEngine, readBundle, type PopulatedEngine } from './bundle-fixtures';

/**
 * The auditor's snapshot: one consistent moment of the live database while the app keeps writing, and a
 * bundle from the team's PostgreSQL server that is the same bundle a workstation's SQLite file gives.
 */
describe.each(BACKENDS)('a read snapshot on %s', (backend) => {
  let p: PopulatedEngine;
  beforeAll(async () => {
    p = await populatedEngine(backend);
  });
  afterAll(async () => {
    await p?.t.dispose();
  });

  it('keeps seeing its moment while the app writes, and never holds the writers up', async () => {
    const { transfers, auditTrail } = p.t.engine.services;
    // carol and bob belong to no client: the KYC gates let them move money (alice's client is a draft).
    const [, bob, carol] = p.wallets as [(typeof p.wallets)[0], (typeof p.wallets)[0], (typeof p.wallets)[0]];
    const count = async (pages: AsyncIterable<unknown[]>) => {
      let n = 0;
      for await (const page of pages) n += page.length;
      return n;
    };
    const seen = await withReadSnapshot(p.t.engine.database, async (reader) => {
      const before = { accounts: await reader.accounts(), transfers: await count(reader.paged<LedgerTransferRow>('ledger_transfers')) };
      // A write while the snapshot is open completes (on PostgreSQL it takes the writers' lock the reader never holds).
      await transfers.internalTransfer({ idempotencyKey: 'during-snapshot', fromWalletId: carol.id, toWalletId: bob.id, assetId: ASSET, amount: 1_000n });
      const after = { accounts: await reader.accounts(), transfers: await count(reader.paged<LedgerTransferRow>('ledger_transfers')), audit: await count(reader.paged('audit_log')) };
      return { before, after };
    });
    expect(seen.after.transfers).toBe(seen.before.transfers);
    expect(seen.after.accounts).toEqual(seen.before.accounts);
    const now = await withReadSnapshot(p.t.engine.database, async (reader) => count(reader.paged('ledger_transfers')));
    expect(now).toBe(seen.before.transfers + 1);
    // The integrity check reads the same way, and the write it missed was whole: nothing to report.
    const report = await auditTrail.integrity();
    expect(report.findings).toEqual([]);
    expect(report.counts.transfers).toBe(now);
  });

  it('refuses nothing the auditor asks: CSV exports, the PDF report and a liability proof', async () => {
    const { auditTrail } = p.t.engine.services;
    const csv = await auditTrail.exportCsv('balances', 'auditor-test');
    expect(csv.bytes).toBeGreaterThan(0);
    const transfersCsv = await auditTrail.exportCsv('transfers', 'auditor-test');
    expect(transfersCsv.bytes).toBeGreaterThan(0);
    const head = await p.t.engine.services.audit.head();
    const report = await auditTrail.exportReport('auditor-test', false);
    const text = execFileSync('pdftotext', [report.file, '-'], { encoding: 'utf8' });
    expect(text).toContain(head.hash);
    // The report names assets as an officer reads them, never by id.
    expect(text).toContain('USDT on Polygon');
    expect(text).not.toContain(ASSET);
    const proof = await auditTrail.liabilityProof({ assetId: ASSET, clientId: p.clientId });
    expect(proof).toMatchObject({ valid: true, leaf: { balance: expect.stringMatching(/^[0-9]+$/) } });
  });
});

describe.skipIf(!BACKENDS.includes('postgres'))('a bundle from PostgreSQL', () => {
  const engines: Partial<Record<'sqlite' | 'postgres', PopulatedEngine>> = {};
  const bundles: Partial<Record<'sqlite' | 'postgres', BundleExport>> = {};
  beforeAll(async () => {
    for (const backend of ['sqlite', 'postgres'] as const) {
      const p = (engines[backend] = await populatedEngine(backend));
      bundles[backend] = await p.t.engine.services.auditTrail.exportBundle({ includeDocuments: true, operator: 'auditor-test', reconcile: false });
    }
  });
  afterAll(async () => {
    for (const p of Object.values(engines)) await p?.t.dispose();
  });

  const part = async (backend: 'sqlite' | 'postgres', name: string) => (await readBundle(bundles[backend]!.file)).find((x) => x.name === name)?.content.toString('utf8');
  const rowsOf = async (backend: 'sqlite' | 'postgres', table: string) =>
    ((await part(backend, `tables/${table}.jsonl`)) ?? '').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);

  it('verifies offline, and names the same head and figures the live server has', async () => {
    const p = engines.postgres!;
    const verdict = await verifyAuditBundle(bundles.postgres!.file, { anchor: bundles.postgres!.auditHead });
    expect(verdict.findings).toEqual([]);
    expect(verdict.counts).toMatchObject({ transfers: 9, accounts: (await p.t.engine.database.db.selectFrom('ledger_accounts').select('id').execute()).length });
    const [, head] = await p.t.engine.services.audit.list({ limit: 2 });
    expect(bundles.postgres!.auditHead).toEqual({ seq: head!.seq, hash: head!.hash });
    // Balances: the CSV in the bundle against the live accounts, account by account.
    const live = await p.t.engine.services.wallets.list({ limit: 100 });
    const csv = (await part('postgres', 'balances.csv'))!;
    const balances = live.items.flatMap((wallet) => wallet.balances.filter((b) => b.assetId === ASSET).map((b) => [wallet.id, b] as const));
    expect(balances).toHaveLength(3);
    for (const [walletId, b] of balances) {
      expect(csv).toMatch(new RegExp(`client_wallet:${ASSET}:${walletId},client_wallet,${ASSET},${walletId},[^,]*,${b.posted},${b.pending},${b.available}\\r\\n`));
    }
  });

  it('carries the schema, tables, columns and value types of a SQLite bundle', async () => {
    expect(await part('postgres', 'schema.sql')).toBe(await part('sqlite', 'schema.sql'));
    const tables = (backend: 'sqlite' | 'postgres') => bundles[backend]!.parts.map((x) => x.name).filter((name) => name.startsWith('tables/'));
    expect(tables('postgres')).toEqual(tables('sqlite'));
    for (const name of tables('sqlite')) {
      const table = name.slice('tables/'.length, -'.jsonl'.length);
      const [sqliteRows, pgRows] = [await rowsOf('sqlite', table), await rowsOf('postgres', table)];
      expect(pgRows.length, table).toBe(sqliteRows.length);
      const shape = (rows: Array<Record<string, unknown>>) => {
        const types = new Map<string, Set<string>>();
        for (const row of rows) for (const [column, value] of Object.entries(row)) if (value !== null) (types.get(column) ?? types.set(column, new Set()).get(column)!).add(typeof value);
        return { keys: rows[0] ? Object.keys(rows[0]) : [], types: Object.fromEntries([...types].map(([c, t]) => [c, [...t].sort()])) };
      };
      expect(shape(pgRows), table).toEqual(shape(sqliteRows));
    }
    // Amounts are the exact decimal strings SQLite stores, not numbers or "250000.0".
    const transfers = await rowsOf('postgres', 'ledger_transfers');
    expect(transfers.map((t) => t.amount)).toEqual((await rowsOf('sqlite', 'ledger_transfers')).map((t) => t.amount));
    expect(transfers.map((t) => t.id)).toEqual([...transfers.map((t) => t.id as number)].sort((a, b) => a - b));
  });

  it('writes the rows in the same order every time (by primary key)', async () => {
    const p = engines.postgres!;
    const again = await p.t.engine.services.auditTrail.exportBundle({ includeDocuments: false, operator: 'auditor-test', reconcile: false });
    const parts = await readBundle(again.file);
    for (const table of ['ledger_transfers', 'ledger_accounts', 'wallets', 'clients', 'settings']) {
      expect(parts.find((x) => x.name === `tables/${table}.jsonl`)?.content.toString('utf8'), table).toBe(await part('postgres', `tables/${table}.jsonl`));
    }
    expect((await verifyAuditBundle(again.file)).ok).toBe(true);
  });
});
