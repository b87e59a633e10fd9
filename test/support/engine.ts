import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine, type EngineConfig } from '@engine/engine';
import type { CallContext } from '@engine/api/types';
import type { Dispatcher } from '@engine/api/dispatch';
import type { Role } from '@shared/domain/operators';
import type { DatabaseConfig } from '@engine/db/open';
import { sql } from 'kysely';
import { dialectOf } from '@engine/db/dialect';
import { dropDatabase, freshDatabase, type Backend } from './backends';
import { WEAK_TEST_SCRYPT } from '../../electron/host/test-host';

/** Cheap key stretching so tests do not spend seconds in scrypt (the E2E hosts' too); production uses the vault's default. */
export const TEST_SCRYPT = WEAK_TEST_SCRYPT;
export const TEST_PASSPHRASE = 'correct horse battery staple';

export interface TestEngine {
  engine: Engine;
  home: string;
  /** Where its database lives: pass it back as `database` to reopen the same data after a restart. */
  database: DatabaseConfig;
  /** The engine's own dispatcher, without the test door's signed-in admin: for anonymous calls. */
  door: Dispatcher;
  /** The session token of the signed-in test admin. */
  adminSession: string;
  /** Creates an operator with this role (the admin does, through the api) and signs them in. */
  signInAs(role: Role, name?: string): Promise<TestOperator>;
  /** Closes the engine and deletes its data (its folder, and its PostgreSQL database) unless keepData. */
  dispose(options?: { keepData?: boolean }): Promise<void>;
}

export interface TestBackendOptions {
  /** Which database a fresh engine gets when `database` is not given; default SQLite in its folder. */
  backend?: Backend;
  /** PostgreSQL connections of a fresh database (4 unless given: tests run many engines side by side). */
  poolSize?: number;
}

/** A signed-in operator: pass `context` to engine.api.call, or use `call`. */
export interface TestOperator {
  name: string;
  operatorId: string;
  role: Role;
  context: CallContext;
  call(channel: string, payload: unknown): ReturnType<Dispatcher['call']>;
}

export const TEST_ADMIN = 'admin';

/**
 * A real engine on a real SQLite file in a fresh folder, with the test admin signed in (created on a
 * fresh folder, without a seed: startUnlockedEngine or system:restore adds one). `engine.api` is a test
 * door that behaves like main does for its window: it adds the admin's session to every
 * `{ door: 'test' }` call that names none, until the test signs someone in through it. A call that names
 * its own session (TestOperator.context) is that operator; `door` reaches the engine with no session.
 */
export async function startTestEngine(config: Partial<EngineConfig> & TestBackendOptions = {}): Promise<TestEngine> {
  const home = config.home ?? mkdtempSync(join(tmpdir(), 'treasury-test-'));
  // Never whatever TREASURY_DATABASE_URL the shell has: each test names its database.
  // TREASURY_TEST_BACKEND=postgres runs every test that does not name one on PostgreSQL (a portability sweep).
  const backend = config.backend ?? (process.env.TREASURY_TEST_BACKEND === 'postgres' ? 'postgres' : 'sqlite');
  const database = config.database ?? (await freshDatabase(backend, home, config.poolSize));
  const engine = await createEngine({ host: 'headless', log: () => {}, scrypt: TEST_SCRYPT, ...config, home, database });
  const operators = engine.services.operators;
  const signedIn = (await operators.setupRequired())
    ? await operators.firstStart(TEST_ADMIN, TEST_PASSPHRASE, { kind: 'none' })
    : await operators.signIn(TEST_ADMIN, TEST_PASSPHRASE, 'test');
  const adminSession = signedIn.session.token!;
  const door = engine.api;
  // A test that signs operators in itself through this door manages its sessions: from then on a call
  // that names none is anonymous, as from a window nobody signed in to.
  let testSignsIn = false;
  engine.api = {
    channels: door.channels,
    async call(channel, payload, context) {
      const window = context?.door === 'test' && context.session === undefined && !testSignsIn;
      const result = await door.call(channel, payload, window ? { ...context, session: adminSession } : context);
      if (channel === 'system:signIn' && result.ok) testSignsIn = true;
      return result;
    },
  };
  let made = 0;
  // Admins signed in here: a further admin waits for one of them to approve it (a second admin's approval).
  const admins: CallContext[] = [];
  return {
    engine,
    home,
    database,
    door,
    adminSession,
    async signInAs(role, name = `${role}-${++made}`) {
      const created = await callOk<{ id: string; proposal?: { id: string } }>(engine, 'system:operators:create', { name, role, passphrase: TEST_PASSPHRASE });
      if (created.proposal) {
        if (!admins[0]) throw new Error(`the new admin ${name} needs a second admin to approve it`);
        const approved = await door.call('policy:approveProposal', { proposalId: created.proposal.id }, admins[0]);
        if (!approved.ok) throw new Error(`approving the new admin ${name} failed: ${approved.error.message}`);
      }
      const opened = await door.call('system:signIn', { operator: name, passphrase: TEST_PASSPHRASE }, { door: 'test' });
      if (!opened.ok) throw new Error(`sign-in as ${name} failed: ${opened.error.message}`);
      const token = (opened.data as { session: { token: string } }).session.token;
      const context: CallContext = { door: 'test', session: token };
      if (role === 'admin') admins.push(context);
      return { name, operatorId: created.id, role, context, call: (channel, payload) => door.call(channel, payload, context) };
    },
    async dispose(options: { keepData?: boolean } = {}) {
      await engine.close();
      if (options.keepData) return;
      await dropDatabase(database);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * Another workstation on `first`'s database: a data folder of its own (no seed until it restores one), the
 * test admin signed in. Its dispose removes its folder and leaves the database to `first`.
 */
export async function startSecondWorkstation(first: TestEngine, config: Partial<EngineConfig> = {}): Promise<TestEngine> {
  const home = mkdtempSync(join(tmpdir(), 'treasury-second-'));
  const second = await startTestEngine({ ...config, home, database: first.database });
  return {
    ...second,
    async dispose() {
      await second.dispose({ keepData: true });
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Every row of every table, for "nothing changed" assertions that do not depend on which table a bug touches. */
export function snapshotDatabase(engine: Engine): string {
  const sqlite = engine.database.sqlite!;
  const tables = sqlite
    .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")
    .all() as Array<{ name: string }>;
  const dump: Record<string, unknown[]> = {};
  for (const { name } of tables) dump[name] = sqlite.prepare(`select * from "${name}"`).all();
  return JSON.stringify(dump, (_key, value) => (typeof value === 'bigint' ? value.toString() : value));
}

/**
 * Every row of every table, rows sorted, through Kysely: the "nothing changed" check that works on both
 * SQLite and PostgreSQL (kysely's own migration bookkeeping left out).
 */
export async function snapshotRows(engine: Engine): Promise<string> {
  const db = engine.database.db;
  const tables =
    dialectOf(db) === 'postgres'
      ? await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public' order by 1`.execute(db)
      : await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by 1`.execute(db);
  const dump: Record<string, string[]> = {};
  for (const { name } of tables.rows) {
    if (name.startsWith('kysely_')) continue;
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db);
    dump[name] = rows.rows.map((row) => JSON.stringify(row, (_key, value) => (typeof value === 'bigint' ? value.toString() : value))).sort();
  }
  return JSON.stringify(dump);
}

/** An engine whose seed vault is set up and unlocked, ready to create wallets. */
export async function startUnlockedEngine(config: Partial<EngineConfig> & TestBackendOptions = {}): Promise<TestEngine> {
  const t = await startTestEngine(config);
  const result = await t.engine.api.call('system:setup', { passphrase: TEST_PASSPHRASE }, { door: 'test' });
  if (!result.ok) throw new Error(`setup failed: ${result.error.message}`);
  return t;
}

/** Calls a channel (as the test admin, or as `as`) and returns its data, failing the test with the engine's error otherwise. */
export async function callOk<T = unknown>(engine: Engine, channel: string, payload: unknown, as?: TestOperator): Promise<T> {
  const result = await engine.api.call(channel, payload, as?.context ?? { door: 'test' });
  if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
  return result.data as T;
}

/** The database file's bytes after folding the WAL back in: "unchanged" means byte for byte. */
export function databaseFileHash(engine: Engine): string {
  engine.database.sqlite!.pragma('wal_checkpoint(TRUNCATE)');
  return createHash('sha256').update(readFileSync(engine.database.location)).digest('hex');
}
