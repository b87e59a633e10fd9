import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { backupSettingsSchema } from '@shared/ipc/channels/backups';
import { DEFAULT_BACKUP_SETTINGS, type BackupSettings, type BackupTrigger } from '@shared/domain/backups';
import type { Database } from '../db/schema';

/** settings keys: the officer's choices, the backup public key, and how the last runs went. */
export const SETTINGS_KEY = 'backups';
export const KEY_KEY = 'backups.key';
export const STATE_KEY = 'backups.state';
/** Set by a restore until the holding wallets were checked against the chain. */
export const CHECK_KEY = 'backups.restore_check';

/** The same rules the form and the wire check. */
export const settingsSchema = backupSettingsSchema;

export interface BackupKeyRecord {
  publicKey: string;
  keyId: string;
  recordedAt: string;
}

export interface BackupState {
  lastGood: { at: string; name: string; folders: number; auditSeq: number; trigger: BackupTrigger } | null;
  lastAttempt: { at: string; ok: boolean; error: string | null } | null;
}

export async function readSetting<T>(db: Kysely<Database>, key: string): Promise<T | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row ? (JSON.parse(row.value) as T) : null;
}

export async function writeSetting(db: Kysely<Database>, key: string, value: unknown): Promise<void> {
  const text = JSON.stringify(value);
  const at = new Date().toISOString();
  await db
    .insertInto('settings')
    .values({ key, value: text, updated_at: at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: text, updated_at: at }))
    .execute();
}

export function withDefaults(stored: Partial<BackupSettings> | null): BackupSettings {
  return { ...DEFAULT_BACKUP_SETTINGS, ...(stored ?? {}) };
}

/** The same settings read on the raw SQLite handle, before migrations run (the pre-migration backup). */
export function readRawSettings(sqlite: BetterSqlite3.Database): { settings: BackupSettings; key: BackupKeyRecord | null; network: string | null } {
  const hasSettings = sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = 'settings'").get();
  if (!hasSettings) return { settings: withDefaults(null), key: null, network: null };
  const read = (key: string) => {
    const row = sqlite.prepare('select value from settings where key = ?').get(key) as { value: string } | undefined;
    return row ? JSON.parse(row.value) : null;
  };
  return { settings: withDefaults(read(SETTINGS_KEY)), key: read(KEY_KEY), network: (read('workspace') as { network?: string } | null)?.network ?? null };
}
