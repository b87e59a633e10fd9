import BetterSqlite3 from 'better-sqlite3';
import { sqliteOptions } from '../db/sqlite-binding';
import { Kysely, SqliteDialect } from 'kysely';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NETWORK_PROFILES, type NetworkProfile } from '@shared/domain/chains';
import type { Database } from '../db/schema';
import { profileHistory } from './workspace-record';

/**
 * The data folder holds one workspace per network, `<data folder>/<network>/` (database, seed vault, KYC files,
 * exports), and `workspaces.json`: which one the app opened last, and a notice from an upgrade.
 */
export const DATABASE_FILE = 'treasury.sqlite';
const STATE_FILE = 'workspaces.json';
/** What a workstation kept directly in its data folder before workspaces (never Electron's own files). */
const LEGACY_ENTRIES = [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`, `${DATABASE_FILE}.lock`, `${DATABASE_FILE}.lock.json`, 'seed-vault.json', 'kyc', 'exports'];

interface FolderState {
  current: NetworkProfile;
  notice: string | null;
}

export function workspaceHome(root: string, network: NetworkProfile): string {
  return join(root, network);
}

export function workspaceExists(root: string, network: NetworkProfile): boolean {
  return existsSync(join(workspaceHome(root, network), DATABASE_FILE)) || existsSync(join(workspaceHome(root, network), 'seed-vault.json'));
}

export function readFolderState(root: string): FolderState | null {
  try {
    const parsed = JSON.parse(readFileSync(join(root, STATE_FILE), 'utf8')) as Partial<FolderState>;
    if (!(NETWORK_PROFILES as readonly unknown[]).includes(parsed.current)) return null;
    return { current: parsed.current as NetworkProfile, notice: typeof parsed.notice === 'string' ? parsed.notice : null };
  } catch {
    return null;
  }
}

export function writeFolderState(root: string, state: FolderState): void {
  mkdirSync(root, { recursive: true });
  const temporary = join(root, `${STATE_FILE}.tmp`);
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, join(root, STATE_FILE));
}

/**
 * A data folder from before workspaces (its database directly in the folder) becomes the workspace of the
 * network it is on. One that was used under several networks never becomes mainnet: it moves to the devnet
 * (or testnet) workspace it was also used as, and the notice says how to start a clean mainnet workspace.
 * Returns null when there is nothing to move.
 */
export async function migrateLegacyFolder(root: string, assumedProfile: NetworkProfile): Promise<{ network: NetworkProfile; notice: string } | null> {
  const legacyDatabase = join(root, DATABASE_FILE);
  if (!existsSync(legacyDatabase) && !existsSync(join(root, 'seed-vault.json'))) return null;
  const history = existsSync(legacyDatabase) ? await readHistory(legacyDatabase, assumedProfile) : { current: null, used: [] };
  const mixed = history.used.length > 1;
  let network: NetworkProfile = history.current ?? history.used[0] ?? assumedProfile;
  if (mixed && network === 'mainnet') network = history.used.includes('devnet') ? 'devnet' : 'testnet';
  const target = workspaceHome(root, network);
  if (workspaceExists(root, network)) {
    throw new Error(`The data folder holds a database from before workspaces and a ${network} workspace already; move one of them away (${legacyDatabase}).`);
  }
  mkdirSync(target, { recursive: true });
  for (const entry of LEGACY_ENTRIES) {
    if (existsSync(join(root, entry))) renameSync(join(root, entry), join(target, entry));
  }
  const notice = mixed
    ? `This data folder was used under ${history.used.join(', ')}. Its records now open as the ${network} workspace only: ` +
      'a mainnet workspace starts clean, with its own seed. Switch to mainnet in Settings and set it up.'
    : `The data folder now keeps each network apart; its records are the ${network} workspace.`;
  return { network, notice };
}

async function readHistory(path: string, assumedProfile: NetworkProfile): Promise<{ current: NetworkProfile | null; used: NetworkProfile[] }> {
  const sqlite = new BetterSqlite3(path, sqliteOptions({ readonly: true, fileMustExist: true }));
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    const tables = sqlite.prepare(`select name from sqlite_master where type = 'table' and name in ('settings', 'audit_log')`).all();
    if (tables.length < 2) return { current: null, used: [] };
    return await profileHistory(db, assumedProfile);
  } finally {
    await db.destroy();
  }
}
