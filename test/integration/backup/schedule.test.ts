import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackupStatus } from '@shared/domain/backups';
import { createEngine } from '@engine/engine';
import { decryptBackupFile } from '@engine/backup/backup-file';
import { BACKUP_KEY_LABEL, backupKeyFromSecret, keyId } from '@engine/backup/backup-key';
import { sidecarsIn } from '@engine/backup/make-backup';
import { imageFacts } from '@engine/backup/database-image';
import { migrations, staticMigrationProvider } from '@engine/db/migrations';
import type { Database } from '@engine/db/schema';
import { seedSecretFromMnemonic } from '@engine/custody/seed-vault';
import { callOk, startUnlockedEngine, TEST_SCRYPT } from '@test/engine';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});
const temporary = (prefix: string) => {
  const path = mkdtempSync(join(tmpdir(), prefix));
  cleanup.push(() => rmSync(path, { recursive: true, force: true }));
  return path;
};
const MINUTE = 60_000;

describe('backup schedule', () => {
  it('is fresh within its interval, red once older than it allows, and the scheduler makes the next one', async () => {
    let now = Date.parse('2026-12-03T10:00:00Z');
    const t = await startUnlockedEngine({ withdrawalTrackIntervalMs: 0, rampExpiryIntervalMs: 0, backups: { now: () => now, checkEveryMs: 3_600_000 } });
    cleanup.push(() => t.dispose());
    const folder = temporary('treasury-schedule-');
    await callOk(t.engine, 'backups:updateSettings', { folders: [folder], intervalMinutes: 30, keepHourlyHours: 48, keepDailyDays: 30, keepMonthlyMonths: 12 });
    const backups = t.engine.services.backups;
    // Due at once: nothing was ever backed up.
    expect((await backups.runIfDue())?.manifest.trigger).toBe('scheduled');
    const cases = [
      { after: 20, health: 'ok', due: false },
      { after: 40, health: 'ok', due: true },
      { after: 50, health: 'stale', due: true },
    ];
    const start = now;
    for (const c of cases) {
      now = start + c.after * MINUTE;
      expect((await callOk<BackupStatus>(t.engine, 'backups:status', {})).health, `${c.after} min`).toBe(c.health);
    }
    now = start + 50 * MINUTE;
    const made = await backups.runIfDue();
    expect(made?.manifest.createdAt).toBe(new Date(now).toISOString());
    expect(await callOk<BackupStatus>(t.engine, 'backups:status', {})).toMatchObject({ health: 'ok', lastGood: { trigger: 'scheduled', at: new Date(now).toISOString() } });
    expect(await backups.runIfDue()).toBeNull();
    expect((await sidecarsIn(folder)).length).toBe(2);
  });

  it('a folder that cannot be written is named, the others still get the backup', async () => {
    const t = await startUnlockedEngine({ withdrawalTrackIntervalMs: 0, rampExpiryIntervalMs: 0 });
    cleanup.push(() => t.dispose());
    const good = temporary('treasury-schedule-');
    const blocked = join(temporary('treasury-blocked-'), 'file-not-folder');
    // A file where the folder should be: mkdir and writing fail there.
    BetterSqlite3(blocked).close();
    await callOk(t.engine, 'backups:updateSettings', { folders: [good, blocked], intervalMinutes: 60, keepHourlyHours: 48, keepDailyDays: 30, keepMonthlyMonths: 12 });
    const result = await callOk<{ written: number; failed: Array<{ folder: string }> }>(t.engine, 'backups:run', {});
    expect(result).toMatchObject({ written: 1, failed: [{ folder: blocked }] });
    const status = await callOk<BackupStatus>(t.engine, 'backups:status', {});
    expect(status.health).toBe('ok');
    expect(status.lastAttempt?.error).toContain(blocked);
    const [record] = await t.engine.services.audit.list({ limit: 1 });
    expect(record).toMatchObject({ action: 'backup.created' });
  });

  it('retention deletes only backups named by their own manifest, never what a planted manifest points at', async () => {
    const t = await startUnlockedEngine({ withdrawalTrackIntervalMs: 0, rampExpiryIntervalMs: 0 });
    cleanup.push(() => t.dispose());
    const share = temporary('treasury-share-');
    const folder = join(share, 'backups');
    mkdirSync(folder);
    const victim = join(share, 'victim.txt');
    writeFileSync(victim, 'not a backup');
    const old = (file: string) => JSON.stringify({ file, fileSha256: '0'.repeat(64), bytes: 1, manifest: { format: 'treasury-books-backup', network: 'devnet', createdAt: '2020-01-01T00:00:00Z' } });
    writeFileSync(join(folder, 'planted.manifest.json'), old('../victim.txt'));
    await callOk(t.engine, 'backups:updateSettings', { folders: [folder], intervalMinutes: 60, keepHourlyHours: 48, keepDailyDays: 30, keepMonthlyMonths: 12 });
    await callOk(t.engine, 'backups:run', {});
    expect(existsSync(victim)).toBe(true);
  });

  it('backs up an existing database before a new version migrates it, as it was before', async () => {
    const home = temporary('treasury-premigration-');
    const folder = temporary('treasury-premigration-backups-');
    const words = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art';
    const secret = await seedSecretFromMnemonic(words, BACKUP_KEY_LABEL);
    const key = backupKeyFromSecret(secret);
    // A database an older version left: every migration but the last, with backups set up.
    const names = Object.keys(migrations);
    const previous = names[names.length - 2]!;
    mkdirSync(join(home, 'devnet'), { recursive: true });
    const path = join(home, 'devnet', 'treasury.sqlite');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(path) }) });
    const migrated = await new Migrator({ db, provider: staticMigrationProvider }).migrateTo(previous);
    expect(migrated.error).toBeUndefined();
    const at = new Date().toISOString();
    await db
      .insertInto('settings')
      .values([
        { key: 'backups', value: JSON.stringify({ folders: [folder], intervalMinutes: 60, keepHourlyHours: 48, keepDailyDays: 30, keepMonthlyMonths: 12 }), updated_at: at },
        { key: 'backups.key', value: JSON.stringify({ publicKey: key.publicKey, keyId: keyId(key.publicKey), recordedAt: at }), updated_at: at },
      ])
      .execute();
    await db.destroy();

    const engine = await createEngine({ home: join(home, 'devnet'), network: 'devnet', host: 'headless', scrypt: TEST_SCRYPT, log: () => {}, withdrawalTrackIntervalMs: 0, rampExpiryIntervalMs: 0 });
    cleanup.push(() => engine.close());
    expect(engine.database.appliedMigrations).toContain(names[names.length - 1]);
    const [sidecar] = await sidecarsIn(folder);
    expect(sidecar!.manifest).toMatchObject({ trigger: 'pre-migration', schemaVersion: previous, network: 'devnet' });
    const image = join(temporary('treasury-premigration-open-'), 'image.sqlite');
    await decryptBackupFile(join(folder, sidecar!.file), image, key);
    expect((await imageFacts(image)).schemaVersion).toBe(previous);
    expect(readdirSync(folder)).toHaveLength(2);
  });
});
