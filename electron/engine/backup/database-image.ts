import BetterSqlite3 from 'better-sqlite3';
import { sqliteOptions } from '@engine/db/sqlite-binding';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

/** What a database image says about itself: the facts a backup's manifest carries. */
export interface ImageFacts {
  schemaVersion: string;
  auditHead: { seq: number; hash: string };
  rowCounts: Record<string, number>;
  seedFingerprint: string | null;
  cursors: Record<string, number>;
  network: string | null;
  sha256: string;
  bytes: number;
}

/**
 * A consistent copy of the live SQLite database through SQLite's online backup API: the app keeps writing
 * while pages are copied, and the copy is one committed state (the API restarts a step a write overtook).
 */
export async function copyLiveDatabase(live: BetterSqlite3.Database, target: string): Promise<void> {
  await live.backup(target);
  // One self-contained file: out of WAL mode, so the image opens (and hashes) without -wal/-shm beside it.
  const copy = new BetterSqlite3(target, sqliteOptions());
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
}

/** Reads the manifest facts from a database image (a fresh copy, or a decrypted backup). */
export async function imageFacts(path: string): Promise<ImageFacts> {
  const sqlite = new BetterSqlite3(path, sqliteOptions({ readonly: true, fileMustExist: true }));
  try {
    const tables = (sqlite.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").all() as Array<{ name: string }>).map((t) => t.name);
    const rowCounts: Record<string, number> = {};
    for (const table of tables) rowCounts[table] = (sqlite.prepare(`select count(*) as n from "${table}"`).get() as { n: number }).n;
    const has = (table: string) => tables.includes(table);
    const schemaVersion = has('kysely_migration') ? ((sqlite.prepare('select max(name) as name from kysely_migration').get() as { name: string | null }).name ?? 'none') : 'none';
    const head = has('audit_log') ? (sqlite.prepare('select seq, hash from audit_log order by seq desc limit 1').get() as { seq: number; hash: string } | undefined) : undefined;
    const setting = (key: string) => (has('settings') ? (sqlite.prepare('select value from settings where key = ?').get(key) as { value: string } | undefined)?.value ?? null : null);
    const workspace = setting('workspace');
    const network = workspace ? ((JSON.parse(workspace) as { network?: string }).network ?? null) : null;
    const cursors: Record<string, number> = {};
    if (has('watch_cursors')) {
      const rows = sqlite.prepare('select chain, next_block from watch_cursors where profile = ?').all(network ?? '') as Array<{ chain: string; next_block: number }>;
      for (const row of rows) cursors[row.chain] = row.next_block;
    }
    return {
      schemaVersion,
      auditHead: head ? { seq: head.seq, hash: head.hash } : { seq: 0, hash: '0'.repeat(64) },
      rowCounts,
      seedFingerprint: setting('custody.seed_fingerprint'),
      cursors,
      network,
      ...(await fileHash(path)),
    };
  } finally {
    sqlite.close();
  }
}

export async function fileHash(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return { sha256: hash.digest('hex'), bytes: (await stat(path)).size };
}
