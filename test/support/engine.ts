import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine, type EngineConfig } from '@engine/engine';

export interface TestEngine {
  engine: Engine;
  home: string;
  dispose(): Promise<void>;
}

/** A real engine on a real SQLite file in a fresh folder. */
export async function startTestEngine(config: Partial<EngineConfig> = {}): Promise<TestEngine> {
  const home = config.home ?? mkdtempSync(join(tmpdir(), 'treasury-test-'));
  const engine = await createEngine({ host: 'headless', log: () => {}, ...config, home });
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
