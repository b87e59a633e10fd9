import BetterSqlite3 from 'better-sqlite3';
import { sqliteOptions } from './sqlite-binding';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DomainError } from '@shared/result';
import { staticMigrationProvider } from './migrations';
import { LocalLeases, processOwner, type Leases } from './leases';
import { openPostgres, redactUrl } from './postgres/connect';
import { PostgresLeases, type PostgresLeaseOptions } from './postgres/leases';
import { lockDataFolder, type FolderLock } from './sqlite/folder-lock';
import type { Database } from './schema';

export type DatabaseConfig =
  | {
      dialect: 'sqlite';
      /** File path, or ':memory:' for throwaway engines. */
      path: string;
    }
  | {
      dialect: 'postgres';
      /** postgres://user:password@host:port/database, shared by every workstation and the watcher. */
      url: string;
      /** Connections this process may hold; default 10. */
      poolSize?: number;
      /** Heartbeat and timeout of held leases (each on a connection of its own, outside the pool). */
      leases?: PostgresLeaseOptions;
    };

export interface OpenDatabase {
  db: Kysely<Database>;
  dialect: DatabaseConfig['dialect'];
  /** The file path, or the server URL with its password removed: safe to show and log. */
  location: string;
  /** The raw SQLite handle, for the few places that need synchronous SQLite (benchmarks, integrity checks); null on PostgreSQL. */
  sqlite: BetterSqlite3.Database | null;
  appliedMigrations: string[];
  /**
   * "One process at a time" across every process on this database (leases.ts): advisory locks on PostgreSQL;
   * in-process on SQLite, where the folder lock (sqlite/folder-lock.ts) admits one process per database file.
   */
  leases: Leases;
  close(): Promise<void>;
}

/**
 * The database the environment names: TREASURY_DATABASE_URL=postgres://... switches every engine started
 * from this environment (app, headless host, watcher) to the shared server; otherwise SQLite in the data folder.
 */
export function databaseFromEnvironment(sqlitePath: string, env: NodeJS.ProcessEnv = process.env, network?: string): DatabaseConfig {
  // One database per network: `{network}` in the URL names each workspace's own (treasury_{network} -> treasury_mainnet).
  const url = network ? env.TREASURY_DATABASE_URL?.trim().replaceAll('{network}', network) : env.TREASURY_DATABASE_URL?.trim();
  if (!url) return { dialect: 'sqlite', path: sqlitePath };
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new DomainError('validation', `TREASURY_DATABASE_URL must be a postgres:// URL; got "${redactUrl(url)}".`);
  }
  return { dialect: 'postgres', url };
}

/** The one place the dialect is chosen; services only see Kysely<Database>. */
/** `owner`: how this process names itself to the others on the database (leases.ts processOwner). */
export interface OpenHooks {
  /** SQLite: runs on an existing database before pending migrations change it (the pre-migration backup). */
  beforeMigrations?: (sqlite: BetterSqlite3.Database, pending: string[]) => Promise<void>;
}

export async function openDatabase(config: DatabaseConfig, owner = processOwner('engine'), hooks: OpenHooks = {}): Promise<OpenDatabase> {
  if (config.dialect === 'postgres') {
    const { db, close } = await openPostgres(config.url, config.poolSize ?? 10);
    try {
      const appliedMigrations = await migrate(db);
      const leases = new PostgresLeases(config.url, { owner, ...config.leases });
      const closeAll = async () => {
        await leases.close();
        await close();
      };
      return { db, dialect: 'postgres', location: redactUrl(config.url), sqlite: null, appliedMigrations, leases, close: closeAll };
    } catch (error) {
      await close();
      throw error;
    }
  }
  let folderLock: FolderLock | null = null;
  if (config.path !== ':memory:') {
    mkdirSync(dirname(config.path), { recursive: true });
    // One engine per database file: a second process on the same folder is refused, naming the holder.
    folderLock = lockDataFolder(config.path, owner);
  }
  try {
    return await openSqlite(config.path, owner, folderLock, hooks);
  } catch (error) {
    folderLock?.release();
    throw error;
  }
}

async function openSqlite(path: string, owner: string, folderLock: FolderLock | null, hooks: OpenHooks): Promise<OpenDatabase> {
  const sqlite = new BetterSqlite3(path, sqliteOptions());
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  // FULL: every commit is on disk before it returns. NORMAL survives an application crash but a power loss can
  // drop the last commits, such as a signed payout saved just before its broadcast, which could then be paid
  // again. Group commit (ledger/group-commit.ts) shares the flush among concurrent writes.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('cache_size = -65536'); // 64 MiB: ledger indexes stay in memory at millions of transfers
  // Fewer, larger checkpoints: a hot index page rewritten by many commits is copied back once.
  sqlite.pragma('wal_autocheckpoint = 10000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  let appliedMigrations: string[];
  try {
    if (hooks.beforeMigrations) {
      const known = await new Migrator({ db, provider: staticMigrationProvider }).getMigrations();
      const pending = known.filter((m) => m.executedAt === undefined).map((m) => m.name);
      if (pending.length > 0 && pending.length < known.length) await hooks.beforeMigrations(sqlite, pending);
    }
    appliedMigrations = await migrate(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  // In-process leases suffice: the folder lock keeps every other process off this database.
  const leases = new LocalLeases(owner);
  return {
    db,
    dialect: 'sqlite',
    location: path,
    sqlite,
    appliedMigrations,
    leases,
    close: async () => {
      try {
        await leases.close();
        await db.destroy();
      } finally {
        folderLock?.release();
      }
    },
  };
}

/**
 * Kysely's SQLite driver prepares every statement anew; preparing costs more than running a small
 * query, so keep the prepared statements of the queries the app repeats (bounded, oldest dropped).
 */
function withStatementCache(sqlite: BetterSqlite3.Database, limit = 512) {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(source: string): BetterSqlite3.Statement {
      let statement = cache.get(source);
      if (statement) {
        cache.delete(source);
      } else {
        statement = sqlite.prepare(source);
        if (cache.size >= limit) cache.delete(cache.keys().next().value!);
      }
      cache.set(source, statement);
      return statement;
    },
  };
}

export async function migrate(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: staticMigrationProvider });
  const { error } = await migrator.migrateToLatest();
  if (error) {
    throw new DomainError('internal', `Database migration failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const all = await migrator.getMigrations();
  return all.filter((m) => m.executedAt !== undefined).map((m) => m.name);
}
