import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DomainError } from '@shared/result';
import { staticMigrationProvider } from './migrations';
import type { Database } from './schema';

export interface DatabaseConfig {
  dialect: 'sqlite';
  /** File path, or ':memory:' for throwaway engines. */
  path: string;
}

export interface OpenDatabase {
  db: Kysely<Database>;
  dialect: DatabaseConfig['dialect'];
  location: string;
  /** The raw handle, for the few places that need synchronous SQLite (benchmarks, integrity checks). */
  sqlite: BetterSqlite3.Database;
  appliedMigrations: string[];
  close(): Promise<void>;
}

/** The one place the dialect is chosen; services only see Kysely<Database>. */
export async function openDatabase(config: DatabaseConfig): Promise<OpenDatabase> {
  if (config.path !== ':memory:') mkdirSync(dirname(config.path), { recursive: true });
  const sqlite = new BetterSqlite3(config.path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  // NORMAL is durable across application crashes in WAL mode; only a power loss can drop the last commits.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  const appliedMigrations = await migrate(db);
  return {
    db,
    dialect: 'sqlite',
    location: config.path,
    sqlite,
    appliedMigrations,
    close: () => db.destroy(),
  };
}

async function migrate(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: staticMigrationProvider });
  const { error } = await migrator.migrateToLatest();
  if (error) {
    throw new DomainError('internal', `Database migration failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const all = await migrator.getMigrations();
  return all.filter((m) => m.executedAt !== undefined).map((m) => m.name);
}
