import type BetterSqlite3 from 'better-sqlite3';
import type { NetworkProfile } from '@shared/domain/chains';
import { readRawSettings } from './backup-settings';
import { makeBackup } from './make-backup';

/**
 * Before a new version migrates an existing database: a backup of it as it was, to every backup folder, read
 * with the raw handle (the schema may be older than this code). Skipped, and said, when no folder or no backup
 * key is recorded yet; a failure stops nothing (the migration itself runs in a transaction).
 */
export async function backupBeforeMigrations(sqlite: BetterSqlite3.Database, home: string, network: NetworkProfile, pending: string[], log: (message: string, error?: unknown) => void): Promise<void> {
  const { settings, key, network: recorded } = readRawSettings(sqlite);
  if (settings.folders.length === 0 || !key) {
    log(`Migrating the ${network} database (${pending.join(', ')}) without a backup first: no backup folder or key is set up.`);
    return;
  }
  if (recorded && recorded !== network) return; // the workspace check refuses this database right after
  try {
    const made = await makeBackup({ sqlite, home, network, trigger: 'pre-migration', settings, publicKey: key.publicKey });
    log(`Backup before migrating (${pending.join(', ')}): ${made.name} in ${made.written.length} folder(s)${made.failed.length ? `, failed in ${made.failed.length}` : ''}.`);
  } catch (error) {
    log('The backup before migrating failed', error);
  }
}
