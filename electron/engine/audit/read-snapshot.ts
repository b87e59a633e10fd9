import BetterSqlite3 from 'better-sqlite3';
import { sqliteOptions } from '../db/sqlite-binding';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database, LedgerAccountRow, WalletRow } from '../db/schema';
import { openDatabase, type OpenDatabase } from '../db/open';
import { exactInteger } from '../db/postgres/connect';
import { WITHHELD_TABLE } from './bundle-format';

/** A row as SQLite holds it: integers as numbers, amounts and text as strings, nulls as null. */
export type SnapshotRow = Record<string, unknown>;
/** The two append-only tables the checks read in key order. */
export type KeyedTable = 'audit_log' | 'ledger_transfers';

const PAGE = 5000;
const KEYS: Record<KeyedTable, string> = { audit_log: 'seq', ledger_transfers: 'id' };

/**
 * One consistent, read-only view of the live database: everything read through it describes the same
 * moment while the app keeps writing. The audit checks and exports read only through this, so they run
 * the same on a workstation's SQLite file and on the team's PostgreSQL server.
 */
export interface SnapshotReader {
  /** Ledger accounts in id order; with `clientAsset`, only the client wallets of that asset. */
  accounts(clientAsset?: string): Promise<LedgerAccountRow[]>;
  wallets(): Promise<WalletRow[]>;
  /** Rows of an append-only table in key order, a page at a time (pages of two tables may be interleaved). */
  paged<T>(table: KeyedTable): AsyncIterable<T[]>;
  /** The tables an audit bundle carries, by name (secrets and sessions left out). */
  tables(): Promise<string[]>;
  /** The SQLite DDL of those tables and their indexes and triggers, one statement each, without the semicolon. */
  schema(tables: readonly string[]): Promise<string[]>;
  columns(table: string): Promise<string[]>;
  /** Every row of a table in a fixed order (SQLite's rowid; the primary key on PostgreSQL), in batches. */
  rows(table: string): AsyncIterable<SnapshotRow[]>;
}

/**
 * Runs `work` against one snapshot of the live database: on SQLite a read transaction on its own
 * read-only connection (the live connection itself for an in-memory database), on PostgreSQL a
 * REPEATABLE READ, READ ONLY transaction on one pooled connection.
 */
export async function withReadSnapshot<T>(database: OpenDatabase, work: (reader: SnapshotReader) => Promise<T>): Promise<T> {
  if (!database.sqlite) return withPostgresSnapshot(database.db, work);
  if (database.location === ':memory:') return work(new SqliteSnapshot(database.sqlite));
  const sqlite = openReadSnapshot(database.location);
  try {
    return await work(new SqliteSnapshot(sqlite));
  } finally {
    sqlite.exec('commit');
    sqlite.close();
  }
}

/**
 * A read-only connection holding one read transaction: in WAL mode it sees the database as of its first
 * read while the app keeps writing through its own connection, so every part describes the same moment.
 */
export function openReadSnapshot(databasePath: string): BetterSqlite3.Database {
  const sqlite = new BetterSqlite3(databasePath, sqliteOptions({ readonly: true, fileMustExist: true }));
  sqlite.exec('begin');
  sqlite.prepare('select count(*) from audit_log').get();
  return sqlite;
}

/** SQLite: synchronous prepared statements on the snapshot connection. */
export class SqliteSnapshot implements SnapshotReader {
  constructor(private readonly sqlite: BetterSqlite3.Database) {}

  async accounts(clientAsset?: string): Promise<LedgerAccountRow[]> {
    if (clientAsset === undefined) return this.sqlite.prepare('select * from ledger_accounts order by id').all() as LedgerAccountRow[];
    return this.sqlite.prepare("select * from ledger_accounts where kind = 'client_wallet' and asset_id = ? order by id").all(clientAsset) as LedgerAccountRow[];
  }

  async wallets(): Promise<WalletRow[]> {
    return this.sqlite.prepare('select * from wallets').all() as WalletRow[];
  }

  async *paged<T>(table: KeyedTable): AsyncGenerator<T[]> {
    const key = KEYS[table];
    const page = this.sqlite.prepare(`select * from ${table} where ${key} > ? order by ${key} limit ${PAGE}`);
    let after = -1;
    for (;;) {
      const rows = page.all(after) as Array<Record<string, number>>;
      if (rows.length > 0) yield rows as T[];
      if (rows.length < PAGE) return;
      after = rows[rows.length - 1]![key]!;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  async tables(): Promise<string[]> {
    return (this.sqlite.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").all() as Array<{ name: string }>)
      .map((t) => t.name)
      .filter((name) => !WITHHELD_TABLE.test(name));
  }

  async schema(tables: readonly string[]): Promise<string[]> {
    const ddl = this.sqlite
      .prepare("select sql from sqlite_master where sql is not null and tbl_name in (select value from json_each(?)) order by case type when 'table' then 0 when 'index' then 1 else 2 end, name")
      .all(JSON.stringify(tables)) as Array<{ sql: string }>;
    return ddl.map((d) => d.sql);
  }

  async columns(table: string): Promise<string[]> {
    return this.columnInfo(table).map((c) => c.name);
  }

  /** Name, declared type and position in the primary key (0 when not part of it), in table order. */
  columnInfo(table: string): Array<{ name: string; type: string; pk: number }> {
    return this.sqlite.prepare('select name, type, pk from pragma_table_info(?)').all(table) as Array<{ name: string; type: string; pk: number }>;
  }

  async *rows(table: string): AsyncGenerator<SnapshotRow[]> {
    let batch: SnapshotRow[] = [];
    for (const row of this.sqlite.prepare(`select * from "${table}" order by rowid`).iterate() as Iterable<SnapshotRow>) {
      batch.push(row);
      if (batch.length === PAGE) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }
}

async function withPostgresSnapshot<T>(db: Kysely<Database>, work: (reader: SnapshotReader) => Promise<T>): Promise<T> {
  // One connection from the pool, outside Kysely's transactions: those take the writers' advisory lock,
  // and a reader must never hold up the workstations that keep writing.
  return db.connection().execute(async (connection) => {
    await sql`begin transaction isolation level repeatable read, read only`.execute(connection);
    const reader = new PostgresSnapshot(connection);
    try {
      // The snapshot is taken at the first query: from here on every read sees this moment.
      await sql`select 1 from audit_log limit 1`.execute(connection);
      return await work(reader);
    } finally {
      await sql`rollback`.execute(connection).catch(() => {});
      await reader.close();
    }
  });
}

/**
 * PostgreSQL: queries on the snapshot's connection. The bundle carries SQLite's DDL (an auditor opens it
 * in SQLite), so the table list, the schema and each table's columns come from the project's migrations
 * run into an in-memory SQLite database; the rows come from the server, converted to what SQLite holds.
 */
class PostgresSnapshot implements SnapshotReader {
  private model: Promise<OpenDatabase> | null = null;
  private cursors = 0;

  constructor(private readonly connection: Kysely<Database>) {}

  private async query<T>(query: RawBuilder<T>): Promise<T[]> {
    return (await query.execute(this.connection)).rows;
  }

  async accounts(clientAsset?: string): Promise<LedgerAccountRow[]> {
    if (clientAsset === undefined) return this.query(sql<LedgerAccountRow>`select * from ledger_accounts order by id`);
    return this.query(sql<LedgerAccountRow>`select * from ledger_accounts where kind = 'client_wallet' and asset_id = ${clientAsset} order by id`);
  }

  async wallets(): Promise<WalletRow[]> {
    return this.query(sql<WalletRow>`select * from wallets`);
  }

  async *paged<T>(table: KeyedTable): AsyncGenerator<T[]> {
    const key = KEYS[table];
    let after = -1;
    for (;;) {
      const rows = await this.query(sql<Record<string, number>>`select * from ${sql.table(table)} where ${sql.ref(key)} > ${after} order by ${sql.ref(key)} limit ${PAGE}`);
      if (rows.length > 0) yield rows as T[];
      if (rows.length < PAGE) return;
      after = rows[rows.length - 1]![key]!;
    }
  }

  private async sqliteModel(): Promise<SqliteSnapshot> {
    this.model ??= openDatabase({ dialect: 'sqlite', path: ':memory:' });
    return new SqliteSnapshot((await this.model).sqlite!);
  }

  async tables(): Promise<string[]> {
    return (await this.sqliteModel()).tables();
  }

  async schema(tables: readonly string[]): Promise<string[]> {
    return (await this.sqliteModel()).schema(tables);
  }

  async columns(table: string): Promise<string[]> {
    return (await this.sqliteModel()).columns(table);
  }

  async *rows(table: string): AsyncGenerator<SnapshotRow[]> {
    const columns = (await this.sqliteModel()).columnInfo(table);
    if (columns.length === 0) throw new Error(`The schema has no table ${table}.`);
    const key = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
    const order = (key.length > 0 ? key : columns).map((c) => sql.ref(c.name));
    const convert = columns.map((c) => sqliteValue(c.type));
    const cursor = sql.raw(`audit_rows_${++this.cursors}`);
    await sql`declare ${cursor} no scroll cursor for select ${sql.join(columns.map((c) => sql.ref(c.name)))} from ${sql.table(table)} order by ${sql.join(order)}`.execute(
      this.connection,
    );
    try {
      for (;;) {
        const fetched = await this.query(sql<SnapshotRow>`fetch forward ${sql.raw(String(PAGE))} from ${cursor}`);
        if (fetched.length === 0) return;
        // Same keys in the same order as SQLite's `select *`, with the values SQLite would hold.
        yield fetched.map((from) => {
          const row: SnapshotRow = {};
          for (const [i, c] of columns.entries()) row[c.name] = convert[i]!(from[c.name]);
          return row;
        });
        if (fetched.length < PAGE) return;
      }
    } finally {
      await sql`close ${cursor}`.execute(this.connection).catch(() => {});
    }
  }

  async close(): Promise<void> {
    const model = this.model;
    this.model = null;
    if (model) await (await model).close();
  }
}

/**
 * What SQLite stores for a value of a column declared `type` (its type affinity): integers as numbers,
 * text as strings (NUMERIC(78,0) amounts arrive as decimal strings already, as SQLite's TEXT holds them).
 */
function sqliteValue(type: string): (value: unknown) => unknown {
  const declared = type.toLowerCase();
  if (declared.includes('int')) return (value) => (typeof value === 'string' ? exactInteger(value) : value);
  if (declared.includes('char') || declared.includes('text') || declared.includes('clob')) {
    return (value) => (typeof value === 'number' || typeof value === 'bigint' ? String(value) : value);
  }
  return (value) => value;
}
