import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine, type EngineConfig } from '@engine/engine';

/** Cheap key stretching so tests do not spend seconds in scrypt; production uses the vault's default. */
export const TEST_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };
export const TEST_PASSPHRASE = 'correct horse battery staple';

export interface TestEngine {
  engine: Engine;
  home: string;
  dispose(): Promise<void>;
}

/** A real engine on a real SQLite file in a fresh folder. */
export async function startTestEngine(config: Partial<EngineConfig> = {}): Promise<TestEngine> {
  const home = config.home ?? mkdtempSync(join(tmpdir(), 'treasury-test-'));
  const engine = await createEngine({ host: 'headless', log: () => {}, scrypt: TEST_SCRYPT, ...config, home });
  return {
    engine,
    home,
    async dispose() {
      await engine.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Every row of every table, for "nothing changed" assertions that do not depend on which table a bug touches. */
export function snapshotDatabase(engine: Engine): string {
  const sqlite = engine.database.sqlite;
  const tables = sqlite
    .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")
    .all() as Array<{ name: string }>;
  const dump: Record<string, unknown[]> = {};
  for (const { name } of tables) dump[name] = sqlite.prepare(`select * from "${name}"`).all();
  return JSON.stringify(dump, (_key, value) => (typeof value === 'bigint' ? value.toString() : value));
}

/** An engine whose seed vault is set up and unlocked, ready to create wallets. */
export async function startUnlockedEngine(config: Partial<EngineConfig> = {}): Promise<TestEngine> {
  const t = await startTestEngine(config);
  const result = await t.engine.api.call('system:setup', { passphrase: TEST_PASSPHRASE }, { door: 'test' });
  if (!result.ok) throw new Error(`setup failed: ${result.error.message}`);
  return t;
}

/** Calls a channel and returns its data, failing the test with the engine's error otherwise. */
export async function callOk<T = unknown>(engine: Engine, channel: string, payload: unknown): Promise<T> {
  const result = await engine.api.call(channel, payload, { door: 'test' });
  if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
  return result.data as T;
}

/** The database file's bytes after folding the WAL back in: "unchanged" means byte for byte. */
export function databaseFileHash(engine: Engine): string {
  engine.database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  return createHash('sha256').update(readFileSync(engine.database.location)).digest('hex');
}
