import BetterSqlite3 from 'better-sqlite3';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copySqliteToPostgres, DatabaseCopyError, formatCopyReport, type CopyFailure } from '@engine/db/copy-to-postgres';
import { checkLedgerInvariants } from '@engine/ledger/invariants';
import { createPostgresDatabase, testPostgresUrl } from '@test/backends';
import { callOk, startTestEngine, startUnlockedEngine, type TestEngine } from '@test/engine';
import { fillSampleLedger, type SampleLedger } from '@test/sample-ledger';
import { CLIENT, IDENTITY } from '../clients/kyc-fixtures';

const url = testPostgresUrl();

async function refusal(promise: Promise<unknown>): Promise<DatabaseCopyError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DatabaseCopyError);
  return error as DatabaseCopyError;
}

async function tableRows(target: string): Promise<number> {
  const client = new pg.Client({ connectionString: target });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>("select table_name as name from information_schema.tables where table_schema = 'public' and table_name not like 'kysely_%'");
    let rows = 0;
    for (const { name } of tables.rows) rows += Number((await client.query(`select count(*) as n from "${name}"`)).rows[0].n);
    return rows;
  } finally {
    await client.end();
  }
}

describe.skipIf(!url)('db:copy: a workstation SQLite database into an empty PostgreSQL one', () => {
  let folder: string;
  let sourcePath: string;
  let sample: SampleLedger;
  let sourceAuditHead: { seq: number; hash: string };
  const drops: Array<() => Promise<void>> = [];
  const fresh = async () => {
    const made = await createPostgresDatabase();
    drops.push(made.drop);
    return made.url;
  };

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'treasury-copy-'));
    const source = await startUnlockedEngine({ home: join(folder, 'workstation') });
    sample = await fillSampleLedger(source.engine);
    // A client with an identity document: two scans in the workstation's kyc folder.
    const client = await callOk<{ id: string }>(source.engine, 'clients:create', CLIENT);
    await callOk(source.engine, 'clients:kyc:addIdentityDocument', { clientId: client.id, ...IDENTITY });
    sourceAuditHead = await source.engine.services.audit.head();
    sourcePath = source.database.dialect === 'sqlite' ? source.database.path : '';
    await source.dispose({ keepData: true });
  });
  afterAll(async () => {
    for (const drop of drops) await drop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('copies every table, verifies, and the engine runs on the copy with the same balances and audit chain', async () => {
    const target = await fresh();
    const report = await copySqliteToPostgres({ from: sourcePath, to: target, batchSize: 7 });
    expect(report.ok).toBe(true);
    expect(report.committed).toBe(true);
    expect(report.checks.map((c) => c.name)).toEqual(['row counts', 'account balances', 'per-asset sums', 'ledger invariants on target', 'audit chain', 'KYC files']);
    expect(report.auditHead).toEqual(sourceAuditHead);
    expect(report.tables.find((t) => t.table === 'ledger_transfers')!.rows).toBeGreaterThan(25);
    expect(report.tables.find((t) => t.table === 'deposits')!.rows).toBe(1);
    // Parents before children.
    const order = report.tables.map((t) => t.table);
    expect(order.indexOf('wallets')).toBeLessThan(order.indexOf('ledger_accounts'));
    expect(order.indexOf('ledger_accounts')).toBeLessThan(order.indexOf('ledger_transfers'));
    expect(order.indexOf('ledger_transfers')).toBeLessThan(order.indexOf('deposits'));
    console.log(`[db:copy] sample report\n${formatCopyReport(report)}`);

    let t: TestEngine | undefined;
    try {
      // The copied operators sign in with their own passphrases; a new data folder, the same database.
      t = await startTestEngine({ home: join(folder, 'server-engine'), database: { dialect: 'postgres', url: target, poolSize: 2 } });
      const { ledger, audit, transfers } = t.engine.services;
      for (const wallet of sample.wallets) expect(await ledger.walletBalances(wallet.id)).toEqual(sample.balances.get(wallet.id));
      // The scans came along as bytes, so every workstation on the server can read them.
      const scans = await t.engine.database.db.selectFrom('kyc_file_contents').select('sha256').execute();
      expect(scans).toHaveLength(2);
      expect(await checkLedgerInvariants(t.engine.database.db)).toEqual([]);
      // The chain verifies on the server, and the copied head is in it (the sign-in just appended after it).
      expect(await audit.verify()).toMatchObject({ ok: true });
      const copiedHead = await t.engine.database.db.selectFrom('audit_log').select(['seq', 'hash']).where('seq', '=', sourceAuditHead.seq).executeTakeFirst();
      expect(copiedHead).toEqual(sourceAuditHead);

      // Identity sequences continue after the copied ids: a new account and new transfers insert cleanly.
      const [alice, bob] = sample.wallets;
      await transfers.companyCredit({ idempotencyKey: 'after-copy-usdc', walletId: alice!.id, assetId: 'polygon:USDC', amount: 10n, reason: 'after the move' });
      const moved = await transfers.internalTransfer({ idempotencyKey: 'after-copy-move', fromWalletId: alice!.id, toWalletId: bob!.id, assetId: 'polygon:USDT', amount: 1n });
      expect(moved.replayed).toBe(false);
      expect(await checkLedgerInvariants(t.engine.database.db)).toEqual([]);
      expect(await audit.verify()).toMatchObject({ ok: true });
      expect((await audit.head()).seq).toBeGreaterThan(sourceAuditHead.seq);

      // A second copy into the same, now used, database is refused and changes nothing.
      const before = await tableRows(target);
      const error = await refusal(copySqliteToPostgres({ from: sourcePath, to: target }));
      expect(error.failure).toBe<CopyFailure>('target_not_empty');
      expect(error.code).toBe('conflict');
      expect(error.message).toMatch(/not empty/);
      expect(await tableRows(target)).toBe(before);
    } finally {
      await t?.dispose({ keepData: true });
    }
  });

  it('does not commit a copy whose KYC scans are missing from the folder', async () => {
    const target = await fresh();
    const empty = mkdtempSync(join(folder, 'no-kyc-'));
    const error = await refusal(copySqliteToPostgres({ from: sourcePath, to: target, kycFolder: empty }));
    expect(error.failure).toBe<CopyFailure>('verification_failed');
    expect(error.report?.checks.find((c) => c.name === 'KYC files')).toMatchObject({ ok: false, detail: expect.stringMatching(/2 of 2 cannot be carried/) });
  });

  it('refuses a missing file and an unreachable server with typed errors', async () => {
    const missing = await refusal(copySqliteToPostgres({ from: join(folder, 'nope.sqlite'), to: url! }));
    expect(missing.failure).toBe<CopyFailure>('source_missing');
    expect(missing.code).toBe('not_found');

    const dead = new URL(url!);
    dead.port = '1';
    const unreachable = await refusal(copySqliteToPostgres({ from: sourcePath, to: dead.toString() }));
    expect(unreachable.failure).toBe<CopyFailure>('target_unreachable');
    expect(unreachable.code).toBe('database_unavailable');
  });

  /** A copy of the source file, edited behind the engine's back (its triggers dropped first). */
  function tampered(name: string, edit: (db: BetterSqlite3.Database) => void): string {
    const path = join(folder, `${name}.sqlite`);
    const source = new BetterSqlite3(sourcePath);
    source.pragma('wal_checkpoint(TRUNCATE)');
    source.close();
    copyFileSync(sourcePath, path);
    const db = new BetterSqlite3(path);
    edit(db);
    db.close();
    return path;
  }

  it('refuses a source whose audit chain was tampered with, before copying anything', async () => {
    const path = tampered('audit-edited', (db) => {
      db.exec('drop trigger audit_log_immutable');
      expect(db.prepare("update audit_log set change = replace(change, 'opening balance', 'opening balance!') where action = 'ledger.posted'").run().changes).toBeGreaterThan(0);
    });
    const target = await fresh();
    const error = await refusal(copySqliteToPostgres({ from: path, to: target }));
    expect(error.failure).toBe<CopyFailure>('source_audit_broken');
    expect(error.message).toMatch(/hash_mismatch at seq \d+/);
    expect(error.code).toBe('conflict');
    expect(await tableRows(target)).toBe(0);
  });

  it('rolls everything back when the copy does not verify (a balance edited by hand in the source)', async () => {
    const path = tampered('balance-edited', (db) => {
      db.prepare("update ledger_accounts set credits_posted = '1' || credits_posted where id = (select max(id) from ledger_accounts where kind = 'client_wallet')").run();
    });
    const target = await fresh();
    const error = await refusal(copySqliteToPostgres({ from: path, to: target }));
    expect(error.failure).toBe<CopyFailure>('verification_failed');
    expect(error.report?.committed).toBe(false);
    expect(error.report?.checks.find((c) => c.name === 'ledger invariants on target')?.ok).toBe(false);
    expect(await tableRows(target)).toBe(0);
    // The target is empty again, so the good file copies into it afterwards.
    expect((await copySqliteToPostgres({ from: sourcePath, to: target })).committed).toBe(true);
  });
});
