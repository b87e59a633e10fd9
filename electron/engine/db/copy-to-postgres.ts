import BetterSqlite3 from 'better-sqlite3';
import { sqliteOptions } from './sqlite-binding';
import { Kysely, PostgresDialect } from 'kysely';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { DomainError } from '@shared/result';
import { AuditLog, GENESIS_HASH, verifyChain, type AuditVerdict } from '../audit/audit-log';
import { checkLedgerInvariants } from '../ledger/invariants';
import { migrate } from './open';
import { migrations } from './migrations';
import { openPostgres, PG_TYPES, redactUrl, WRITER_LOCK } from './postgres/connect';
import type { AuditRecordRow, Database } from './schema';
import { storedFileHashes } from '../backup/kyc-in-image';

/**
 * Moves a workstation's SQLite database onto an empty PostgreSQL server (issue 11, part 4): the target gets
 * the same schema from the same migrations, every table is copied in foreign-key order inside one
 * transaction that holds the writers' advisory lock, identity sequences are moved past the copied ids, and
 * nothing commits unless balances, row counts and the audit chain on the target equal the source.
 */

export type CopyFailure =
  /** The SQLite file does not exist (or is not a file). */
  | 'source_missing'
  /** The file is not a treasury database, or its schema is not this version's (open it once with the app). */
  | 'source_unsupported'
  /** The source's own audit chain does not verify: copying would hide a tampering. */
  | 'source_audit_broken'
  | 'target_unreachable'
  /** The PostgreSQL database already holds rows: the copy never merges. */
  | 'target_not_empty'
  /** After copying, the target did not equal the source; the transaction was rolled back. */
  | 'verification_failed';

const CODE: Record<CopyFailure, ConstructorParameters<typeof DomainError>[0]> = {
  source_missing: 'not_found',
  source_unsupported: 'validation',
  source_audit_broken: 'conflict',
  target_unreachable: 'database_unavailable',
  target_not_empty: 'conflict',
  verification_failed: 'internal',
};

export class DatabaseCopyError extends DomainError {
  constructor(
    readonly failure: CopyFailure,
    message: string,
    /** The checks made so far, when verification failed. */
    readonly report?: CopyReport,
  ) {
    super(CODE[failure], message, { failure });
    this.name = 'DatabaseCopyError';
  }
}

export interface CopyCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface CopyReport {
  source: string;
  target: string;
  /** Tables in the order they were copied, with the rows copied. */
  tables: Array<{ table: string; rows: number }>;
  checks: CopyCheck[];
  auditHead: { seq: number; hash: string };
  ok: boolean;
  committed: boolean;
  milliseconds: number;
}

export interface CopyOptions {
  /** Path of the SQLite file. */
  from: string;
  /** postgres://... of an empty database (the role must be able to create tables in it). */
  to: string;
  /** Rows per INSERT; default 500 (fewer when a table is wide: PostgreSQL allows 65535 parameters). */
  batchSize?: number;
  /** The source workstation's KYC folder; default: `kyc` beside the SQLite file (its data folder). */
  kycFolder?: string;
  /** Progress lines. */
  log?: (line: string) => void;
}

const KYSELY_TABLES = /^kysely_/;
const CONNECT_TIMEOUT_MS = 15_000;

export async function copySqliteToPostgres(options: CopyOptions): Promise<CopyReport> {
  const started = Date.now();
  const log = options.log ?? (() => {});
  const source = openSource(options.from);
  try {
    const target = redactUrl(options.to);
    const tables = sourceTables(source);
    const sourceAudit = verifyChain(source.prepare('select * from audit_log order by seq').iterate() as Iterable<AuditRecordRow>);
    if (!sourceAudit.ok) {
      throw new DatabaseCopyError('source_audit_broken', `The source audit chain does not verify: ${describeVerdict(sourceAudit)}. Nothing was copied.`);
    }

    await prepareTarget(options.to, log);
    const client = new pg.Client({ connectionString: options.to, application_name: 'treasury-db-copy', types: PG_TYPES, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    await connect(client, options.to);
    try {
      await client.query('begin');
      // Engines started on the target meanwhile wait for this copy, as they wait for each other.
      await client.query('select pg_advisory_xact_lock($1)', [WRITER_LOCK]);
      await assertEmpty(client, options.to);
      const targetTables = await pgTables(client);
      const missing = tables.filter((t) => !targetTables.has(t));
      const extra = [...targetTables].filter((t) => !tables.includes(t));
      if (missing.length || extra.length) {
        throw new DatabaseCopyError(
          'source_unsupported',
          `The source and the migrated target have different tables (only in source: ${missing.join(', ') || 'none'}; only in target: ${extra.join(', ') || 'none'}).`,
        );
      }
      const order = await dependencyOrder(client, tables);
      const copied: CopyReport['tables'] = [];
      for (const table of order) {
        const rows = await copyTable(source, client, table, options.batchSize ?? 500);
        copied.push({ table, rows });
        if (rows > 0) log(`copied ${table}: ${rows} rows`);
      }
      await advanceSequences(client);
      const copiedChecks = await verifyCopy(source, client, tables, sourceAudit);
      // After the table checks: the source's kyc_file_contents is empty, the target's now is not.
      const kyc = await copyKycFiles(source, client, options.kycFolder ?? join(dirname(options.from), 'kyc'));
      if (kyc.carried > 0) log(`copied ${kyc.carried} KYC files' bytes into kyc_file_contents`);
      const checks = [...copiedChecks, kyc.check];
      const head = source.prepare('select seq, hash from audit_log order by seq desc limit 1').get() as { seq: number; hash: string } | undefined;
      const report: CopyReport = {
        source: options.from,
        target,
        tables: copied,
        checks,
        auditHead: head ? { seq: Number(head.seq), hash: head.hash } : { seq: 0, hash: GENESIS_HASH },
        ok: checks.every((c) => c.ok),
        committed: false,
        milliseconds: 0,
      };
      if (!report.ok) {
        await client.query('rollback');
        report.milliseconds = Date.now() - started;
        const failed = checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
        throw new DatabaseCopyError('verification_failed', `The copy did not verify and was rolled back (${failed.join('; ')}).`, report);
      }
      await client.query('commit');
      report.committed = true;
      report.milliseconds = Date.now() - started;
      return report;
    } catch (error) {
      await client.query('rollback').catch(() => {});
      throw error;
    } finally {
      await client.end().catch(() => {});
    }
  } finally {
    source.close();
  }
}

/** The report as the CLI prints it: a few lines, then one verdict. */
export function formatCopyReport(report: CopyReport): string {
  const rows = report.tables.reduce((sum, t) => sum + t.rows, 0);
  const lines = [
    `source: ${report.source}`,
    `target: ${report.target}`,
    `tables: ${report.tables.length}, rows: ${rows} (${report.tables.filter((t) => t.rows > 0).map((t) => `${t.table} ${t.rows}`).join(', ')})`,
    ...report.checks.map((c) => `${c.ok ? 'ok      ' : 'MISMATCH'} ${c.name}: ${c.detail}`),
    `audit head: seq ${report.auditHead.seq} hash ${report.auditHead.hash}`,
    report.committed ? `copied and verified in ${report.milliseconds} ms; committed.` : 'verification failed; rolled back, the target is left empty.',
  ];
  return lines.join('\n');
}

/**
 * A shared database keeps each KYC file's bytes (kyc_file_contents) so every workstation can read what one
 * uploaded; a workstation's own database kept them only in its folder. Every recorded file must be there with
 * bytes that hash to its record, or the copy does not verify.
 */
async function copyKycFiles(source: BetterSqlite3.Database, client: pg.Client, folder: string): Promise<{ carried: number; check: CopyCheck }> {
  const recorded = storedFileHashes(source);
  const problems: string[] = [];
  let carried = 0;
  for (const [sha256, expected] of recorded) {
    const path = join(folder, sha256);
    if (!existsSync(path)) {
      problems.push(`${sha256.slice(0, 12)}… missing from ${folder}`);
      continue;
    }
    const content = readFileSync(path);
    if (createHash('sha256').update(content).digest('hex') !== expected) {
      problems.push(`${sha256.slice(0, 12)}… altered`);
      continue;
    }
    await client.query('insert into kyc_file_contents (sha256, content) values ($1, $2) on conflict (sha256) do nothing', [sha256, content]);
    carried += 1;
  }
  return {
    carried,
    check: {
      name: 'KYC files',
      ok: problems.length === 0,
      detail: problems.length === 0 ? `${carried} files carried into the database, each matching its recorded hash` : `${problems.length} of ${recorded.size} cannot be carried: ${problems.slice(0, 5).join('; ')}`,
    },
  };
}

function openSource(path: string): BetterSqlite3.Database {
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new DatabaseCopyError('source_missing', `No SQLite database at ${path}.`);
  }
  let source: BetterSqlite3.Database;
  try {
    source = new BetterSqlite3(path, sqliteOptions({ readonly: true, fileMustExist: true }));
    source.pragma('busy_timeout = 5000');
    // One read transaction: a snapshot, even while the app keeps writing to the file.
    source.exec('begin');
    source.prepare('select count(*) from sqlite_master').get();
  } catch (error) {
    throw new DatabaseCopyError('source_unsupported', `${path} cannot be read as a SQLite database: ${error instanceof Error ? error.message : String(error)}`);
  }
  return source;
}

function sourceTables(source: BetterSqlite3.Database): string[] {
  const names = (source.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").all() as Array<{ name: string }>).map((r) => r.name);
  if (!names.includes('kysely_migration') || !names.includes('audit_log')) {
    throw new DatabaseCopyError('source_unsupported', 'The file is not a treasury database (it has no migration record or audit log).');
  }
  const applied = (source.prepare('select name from kysely_migration order by name').all() as Array<{ name: string }>).map((r) => r.name);
  const known = Object.keys(migrations).sort();
  if (applied.join('\n') !== known.join('\n')) {
    const behind = known.filter((m) => !applied.includes(m));
    const unknown = applied.filter((m) => !known.includes(m));
    throw new DatabaseCopyError(
      'source_unsupported',
      behind.length && !unknown.length
        ? `The source database is behind this version (missing ${behind.join(', ')}): open it once with this version of the app, then copy.`
        : `The source database was written by another version (unknown migrations: ${unknown.join(', ')}).`,
    );
  }
  return names.filter((n) => !KYSELY_TABLES.test(n));
}

/** Checks the target is empty before touching it, then gives it the schema through the engine's own migrations. */
async function prepareTarget(url: string, log: (line: string) => void): Promise<void> {
  const client = new pg.Client({ connectionString: url, types: PG_TYPES, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  await connect(client, url);
  try {
    await assertEmpty(client, url);
  } finally {
    await client.end().catch(() => {});
  }
  let opened: Awaited<ReturnType<typeof openPostgres>>;
  try {
    opened = await openPostgres(url, 1);
  } catch (error) {
    throw new DatabaseCopyError('target_unreachable', error instanceof Error ? error.message : String(error));
  }
  try {
    const applied = await migrate(opened.db);
    log(`target schema: ${applied.length} migrations applied`);
  } finally {
    await opened.close();
  }
}

async function connect(client: pg.Client, url: string): Promise<void> {
  try {
    await client.connect();
  } catch (error) {
    throw new DatabaseCopyError('target_unreachable', `Cannot reach the PostgreSQL server at ${redactUrl(url)}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Empty: no tables yet, or this schema with no row in any table (an engine never started on it). */
async function assertEmpty(client: pg.Client, url: string): Promise<void> {
  const holding: string[] = [];
  for (const table of await pgTables(client)) {
    const { rows } = await client.query(`select exists (select 1 from ${ident(table)}) as found`);
    if (rows[0].found) holding.push(table);
  }
  if (holding.length) {
    throw new DatabaseCopyError(
      'target_not_empty',
      `The PostgreSQL database ${redactUrl(url)} is not empty (rows in ${holding.join(', ')}): the copy only goes into an empty database.`,
    );
  }
}

async function pgTables(client: pg.Client): Promise<Set<string>> {
  const { rows } = await client.query<{ name: string }>(
    "select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'",
  );
  return new Set(rows.map((r) => r.name).filter((n) => !KYSELY_TABLES.test(n)));
}

/** Parents before children, from the target's own foreign keys; a table's references to itself are met by copying in rowid order. */
async function dependencyOrder(client: pg.Client, tables: string[]): Promise<string[]> {
  const { rows } = await client.query<{ child: string; parent: string }>(
    `select distinct tc.table_name as child, ccu.table_name as parent
       from information_schema.table_constraints tc
       join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name and ccu.constraint_schema = tc.constraint_schema
      where tc.constraint_type = 'FOREIGN KEY' and tc.table_schema = current_schema()`,
  );
  const parents = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const { child, parent } of rows) if (child !== parent) parents.get(child)?.add(parent);
  const order: string[] = [];
  const done = new Set<string>();
  const visiting = new Set<string>();
  const visit = (table: string) => {
    if (done.has(table)) return;
    if (visiting.has(table)) throw new DatabaseCopyError('source_unsupported', `Foreign keys form a cycle through ${table}.`);
    visiting.add(table);
    for (const parent of [...parents.get(table)!].sort()) visit(parent);
    visiting.delete(table);
    done.add(table);
    order.push(table);
  };
  for (const table of [...tables].sort()) visit(table);
  return order;
}

async function copyTable(source: BetterSqlite3.Database, client: pg.Client, table: string, batchSize: number): Promise<number> {
  const columns = (source.prepare(`select name from pragma_table_info(?) order by cid`).all(table) as Array<{ name: string }>).map((c) => c.name);
  const perBatch = Math.max(1, Math.min(batchSize, Math.floor(60_000 / columns.length)));
  // Integers as bigint: exact whatever their size; pg sends their decimal text.
  const page = source.prepare(`select rowid as "__rowid", ${columns.map(ident).join(', ')} from ${ident(table)} where rowid > ? order by rowid limit ?`).safeIntegers(true);
  const head = `insert into ${ident(table)} (${columns.map(ident).join(', ')}) values `;
  let after = -(2n ** 63n);
  let copied = 0;
  for (;;) {
    const rows = page.all(after, perBatch) as Array<Record<string, unknown>>;
    if (rows.length === 0) return copied;
    const values: unknown[] = [];
    const tuples = rows.map((row) => {
      const slots = columns.map((column) => {
        values.push(toParameter(row[column]));
        return `$${values.length}`;
      });
      return `(${slots.join(', ')})`;
    });
    await client.query(head + tuples.join(', '), values);
    copied += rows.length;
    after = rows[rows.length - 1]!.__rowid as bigint;
  }
}

function toParameter(value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** Identity columns continue after the copied ids, so the next insert on the server does not collide. */
async function advanceSequences(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ table: string; column: string }>(
    `select table_name as table, column_name as column from information_schema.columns
      where table_schema = current_schema() and is_identity = 'YES'`,
  );
  for (const { table, column } of rows) {
    if (KYSELY_TABLES.test(table)) continue;
    await client.query(
      `select setval(pg_get_serial_sequence($1, $2), coalesce((select max(${ident(column)}) from ${ident(table)}), 0) + 1, false)`,
      [ident(table), column],
    );
  }
}

async function verifyCopy(source: BetterSqlite3.Database, client: pg.Client, tables: string[], sourceAudit: AuditVerdict & { ok: true }): Promise<CopyCheck[]> {
  const checks: CopyCheck[] = [];

  const countMismatch: string[] = [];
  for (const table of tables) {
    const here = Number((source.prepare(`select count(*) as n from ${ident(table)}`).get() as { n: number }).n);
    const there = Number((await client.query(`select count(*) as n from ${ident(table)}`)).rows[0].n);
    if (here !== there) countMismatch.push(`${table} ${here} → ${there}`);
  }
  checks.push({ name: 'row counts', ok: countMismatch.length === 0, detail: countMismatch.length ? countMismatch.join(', ') : `${tables.length} tables equal` });

  // Every account's four totals, compared as integers (canonical text on SQLite, NUMERIC on the server).
  type Account = { id: number; code: string; asset_id: string; debits_posted: string; credits_posted: string; debits_pending: string; credits_pending: string };
  const TOTALS = ['debits_posted', 'credits_posted', 'debits_pending', 'credits_pending'] as const;
  const sourceAccounts = source.prepare('select id, code, asset_id, debits_posted, credits_posted, debits_pending, credits_pending from ledger_accounts').all() as Account[];
  const targetAccounts = new Map(
    (await client.query<Account>('select id, code, asset_id, debits_posted, credits_posted, debits_pending, credits_pending from ledger_accounts')).rows.map((a) => [Number(a.id), a]),
  );
  const accountMismatch: string[] = [];
  for (const a of sourceAccounts) {
    const b = targetAccounts.get(Number(a.id));
    if (!b || b.code !== a.code || TOTALS.some((k) => BigInt(a[k]) !== BigInt(b[k]))) accountMismatch.push(a.code);
  }
  checks.push({
    name: 'account balances',
    ok: accountMismatch.length === 0 && sourceAccounts.length === targetAccounts.size,
    detail: accountMismatch.length ? `differ: ${accountMismatch.slice(0, 5).join(', ')}${accountMismatch.length > 5 ? '…' : ''}` : `${sourceAccounts.length} accounts, four totals each, equal`,
  });

  // Per asset: the four totals summed over its accounts (SQL SUM on the server, bigint here) and the transfers' amounts.
  const sums = new Map<string, bigint[]>();
  for (const a of sourceAccounts) {
    const s = sums.get(a.asset_id) ?? [0n, 0n, 0n, 0n, 0n];
    TOTALS.forEach((k, i) => (s[i]! += BigInt(a[k])));
    sums.set(a.asset_id, s);
  }
  for (const t of source.prepare('select asset_id, amount from ledger_transfers').iterate() as Iterable<{ asset_id: string; amount: string }>) {
    const s = sums.get(t.asset_id) ?? [0n, 0n, 0n, 0n, 0n];
    s[4]! += BigInt(t.amount);
    sums.set(t.asset_id, s);
  }
  const serverSums = await client.query<{ asset_id: string; dp: string; cp: string; dq: string; cq: string; moved: string | null }>(
    `select a.asset_id, a.dp, a.cp, a.dq, a.cq, t.moved from
       (select asset_id, sum(debits_posted)::text as dp, sum(credits_posted)::text as cp, sum(debits_pending)::text as dq, sum(credits_pending)::text as cq
          from ledger_accounts group by asset_id) a
       left join (select asset_id, sum(amount)::text as moved from ledger_transfers group by asset_id) t on t.asset_id = a.asset_id`,
  );
  const assetMismatch: string[] = [];
  for (const row of serverSums.rows) {
    const here = sums.get(row.asset_id);
    const there = [row.dp, row.cp, row.dq, row.cq, row.moved ?? '0'].map((v) => BigInt(v));
    if (!here || here.some((v, i) => v !== there[i])) assetMismatch.push(row.asset_id);
  }
  if (serverSums.rows.length !== sums.size) assetMismatch.push(`${sums.size} assets → ${serverSums.rows.length}`);
  checks.push({ name: 'per-asset sums', ok: assetMismatch.length === 0, detail: assetMismatch.length ? `differ: ${assetMismatch.join(', ')}` : `${sums.size} assets equal` });

  // The engine's own checks, run on the target inside this transaction.
  const inTransaction = new Kysely<Database>({ dialect: new PostgresDialect({ pool: borrowed(client) }) });
  const violations = await checkLedgerInvariants(inTransaction);
  checks.push({
    name: 'ledger invariants on target',
    ok: violations.length === 0,
    detail: violations.length ? violations.slice(0, 3).map((v) => `${v.rule} ${v.detail}`).join('; ') : 'assets sum to zero, no negative client balance, balances match history',
  });
  const targetAudit = await new AuditLog(inTransaction).verify();
  const headsEqual = targetAudit.ok && targetAudit.records === sourceAudit.records && targetAudit.head === sourceAudit.head;
  checks.push({
    name: 'audit chain',
    ok: headsEqual,
    detail: !targetAudit.ok
      ? `target chain broken: ${describeVerdict(targetAudit)}`
      : headsEqual
        ? `${targetAudit.records} records verify on the target; head equals the source`
        : `head differs: source ${sourceAudit.records}/${sourceAudit.head.slice(0, 12)}, target ${targetAudit.records}/${targetAudit.head.slice(0, 12)}`,
  });
  return checks;
}

/** A pg pool of one: Kysely queries go to the copy's client, inside its open transaction. */
function borrowed(client: pg.Client): pg.Pool {
  return { connect: async () => Object.assign(client, { release: () => {} }), end: async () => {} } as unknown as pg.Pool;
}

function describeVerdict(verdict: AuditVerdict): string {
  return verdict.ok ? `${verdict.records} records` : `${verdict.reason} at seq ${verdict.firstBroken}`;
}

function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
