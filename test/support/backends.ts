import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseConfig } from '@engine/db/open';

/** The two databases the engine runs on; the ledger, deposit and invariant suites run on each. */
export type Backend = 'sqlite' | 'postgres';

let warned = false;

/**
 * The PostgreSQL server tests may create databases on (a role allowed to CREATE DATABASE), from
 * TREASURY_TEST_PG. Outside CI an unset variable skips the PostgreSQL cases with a printed reason; in CI
 * (CI or TREASURY_REQUIRE_PG set; .ci/run installs and starts the server) it is an error, so those cases can never silently vanish.
 */
export function testPostgresUrl(): string | undefined {
  const url = process.env.TREASURY_TEST_PG?.trim();
  if (url) return url;
  if (process.env.CI || process.env.TREASURY_REQUIRE_PG) throw new Error('TREASURY_TEST_PG is unset in CI: .ci/run must start PostgreSQL and export it.');
  if (!warned) {
    warned = true;
    console.warn('[tests] PostgreSQL cases skipped: TREASURY_TEST_PG is unset (e.g. postgres://treasury:treasury@127.0.0.1:5432/postgres).');
  }
  return undefined;
}

export const BACKENDS: Backend[] = testPostgresUrl() ? ['sqlite', 'postgres'] : ['sqlite'];

/** A new, empty PostgreSQL database on the test server, and how to drop it. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = testPostgresUrl();
  if (!admin) throw new Error('TREASURY_TEST_PG is unset');
  const name = `treasury_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdmin(admin, (client) => client.query(`create database ${name}`));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdmin(admin, (client) => dropWhenIdle(client, name)),
  };
}

/** DROP DATABASE waits for nobody: retry while the engine's last connections are still closing. */
async function dropWhenIdle(client: pg.Client, name: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await client.query(`drop database if exists ${name}`);
      return;
    } catch (error) {
      // 55006: "database is being accessed by other users"
      if ((error as { code?: string }).code !== '55006' || attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function withAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const created = new Map<string, () => Promise<void>>();

/** A fresh database of `backend` for an engine whose data folder is `home`. */
export async function freshDatabase(backend: Backend, home: string, poolSize = 4): Promise<DatabaseConfig> {
  if (backend === 'sqlite') return { dialect: 'sqlite', path: `${home}/treasury.sqlite` };
  const made = await createPostgresDatabase();
  created.set(made.url, made.drop);
  return { dialect: 'postgres', url: made.url, poolSize };
}

/** Drops a PostgreSQL database freshDatabase made (whichever engine reopened it last); SQLite files go with their folder. */
export async function dropDatabase(config: DatabaseConfig): Promise<void> {
  if (config.dialect !== 'postgres') return;
  const drop = created.get(config.url);
  created.delete(config.url);
  await drop?.();
}
