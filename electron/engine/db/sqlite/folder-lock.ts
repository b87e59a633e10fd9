import BetterSqlite3 from 'better-sqlite3';
import { sqliteOptions } from '@engine/db/sqlite-binding';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DomainError } from '@shared/result';

/** The processes that open a data folder, by the role in their lease owner name (`role@host:pid`). */
const DOORS: Readonly<Record<string, string>> = {
  app: 'the desktop app',
  host: 'the headless host',
  watcher: 'the watcher service',
};

interface Holder {
  pid: number;
  owner: string;
  since: string;
}

export interface FolderLock {
  /** Where the holder is named for a refused second process. */
  readonly infoPath: string;
  release(): void;
}

/**
 * Locks this process holds, by lock file. The lock keeps other processes out; engines inside this one
 * share it (the desktop app rebuilds its engine after a crash while the old one may still be closing,
 * and tests run two engines on one file), and the last one out releases it.
 */
const held = new Map<string, { lock: FolderLock; users: number }>();

/**
 * One engine per SQLite database: an exclusive lock on `<database>.lock`, a small SQLite file held with
 * `locking_mode=EXCLUSIVE` after a write. SQLite takes it as an OS file lock (fcntl on POSIX, LockFileEx
 * on Windows), which the OS drops when the process ends, even on kill -9, so a crash never leaves the
 * folder locked. Node has no flock of its own; this is the same lock SQLite trusts for its own files.
 * The holder's pid and door are written to `<database>.lock.json` so a refused process can name it.
 */
export function lockDataFolder(databasePath: string, owner: string): FolderLock {
  const key = `${resolve(databasePath)}.lock`;
  let entry = held.get(key);
  if (!entry) {
    entry = { lock: takeLock(databasePath, owner), users: 0 };
    held.set(key, entry);
  }
  entry.users += 1;
  const shared = entry;
  let released = false;
  return {
    infoPath: shared.lock.infoPath,
    release() {
      if (released) return;
      released = true;
      shared.users -= 1;
      if (shared.users > 0) return;
      held.delete(key);
      shared.lock.release();
    },
  };
}

function takeLock(databasePath: string, owner: string): FolderLock {
  const lockPath = `${databasePath}.lock`;
  const infoPath = `${databasePath}.lock.json`;
  const handle = new BetterSqlite3(lockPath, sqliteOptions({ timeout: 0 }));
  const holder: Holder = { pid: process.pid, owner, since: new Date().toISOString() };
  try {
    handle.pragma('locking_mode = EXCLUSIVE');
    handle.exec('CREATE TABLE IF NOT EXISTS holder (id INTEGER PRIMARY KEY CHECK (id = 1), owner TEXT NOT NULL, since TEXT NOT NULL)');
    // The write takes the EXCLUSIVE lock; in exclusive locking mode it is kept until the handle closes.
    handle.prepare('INSERT OR REPLACE INTO holder (id, owner, since) VALUES (1, ?, ?)').run(owner, holder.since);
  } catch (error) {
    handle.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') throw folderInUse(databasePath, readHolder(infoPath));
    throw error;
  }
  writeFileSync(infoPath, `${JSON.stringify(holder)}\n`, { mode: 0o600 });
  let released = false;
  return {
    infoPath,
    release() {
      if (released) return;
      released = true;
      // Only our own note is removed; the lock goes with the handle.
      const current = readHolder(infoPath);
      if (current?.pid === holder.pid && current.since === holder.since) rmSync(infoPath, { force: true });
      handle.close();
    },
  };
}

function readHolder(infoPath: string): Holder | null {
  try {
    const parsed = JSON.parse(readFileSync(infoPath, 'utf8')) as Partial<Holder>;
    if (typeof parsed.pid !== 'number' || typeof parsed.owner !== 'string' || typeof parsed.since !== 'string') return null;
    return { pid: parsed.pid, owner: parsed.owner, since: parsed.since };
  } catch {
    return null;
  }
}

function folderInUse(databasePath: string, holder: Holder | null): DomainError {
  const folder = dirname(databasePath);
  if (!holder) {
    return new DomainError('conflict', `The data folder ${folder} is in use by another Treasury process. Close it first, or give this one another data folder.`, { folder });
  }
  const role = holder.owner.split('@')[0] ?? '';
  const door = DOORS[role] ?? `a ${role || 'Treasury'} process`;
  return new DomainError(
    'conflict',
    `The data folder ${folder} is in use by ${door}, pid ${holder.pid} (${holder.owner}, since ${holder.since}). ` +
      'Close it first, or give this one another data folder.',
    { folder, pid: holder.pid, owner: holder.owner, since: holder.since },
  );
}
