import BetterSqlite3 from 'better-sqlite3';
import { sqliteOptions } from '@engine/db/sqlite-binding';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * KYC scans live as files in `<workspace>/kyc/<sha256>`, outside the database, so a backup carries them in its
 * copy of the database: each scan the books record and the copy lacks goes into `kyc_file_contents` (the table a
 * shared database keeps them in), only when its bytes hash to its name. A restore writes them back into the
 * folder. The live database is never touched.
 */
/**
 * What each recorded scan's stored bytes must hash to: the sealed file's own hash once sealed
 * (clients/data-keys.ts), the scan's hash before. Works on images from before sealing existed.
 */
export function storedFileHashes(sqlite: BetterSqlite3.Database, where = ''): Map<string, string> {
  const sealed = sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = 'kyc_file_seals'").get();
  const rows = (
    sealed
      ? sqlite.prepare(`select f.sha256, coalesce(s.sealed_sha256, f.sha256) as expected from kyc_files f left join kyc_file_seals s on s.sha256 = f.sha256 ${where} order by f.sha256`).all()
      : sqlite.prepare(`select f.sha256, f.sha256 as expected from kyc_files f ${where} order by f.sha256`).all()
  ) as Array<{ sha256: string; expected: string }>;
  return new Map(rows.map((r) => [r.sha256, r.expected]));
}

export function embedKycFiles(image: string, kycFolder: string): number {
  const sqlite = new BetterSqlite3(image, sqliteOptions());
  try {
    if (!sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = 'kyc_file_contents'").get()) return 0;
    const missing = storedFileHashes(sqlite, 'where f.sha256 not in (select sha256 from kyc_file_contents)');
    const insert = sqlite.prepare('insert into kyc_file_contents (sha256, content) values (?, ?)');
    let embedded = 0;
    sqlite.transaction(() => {
      for (const [sha256, expected] of missing) {
        const path = join(kycFolder, sha256);
        if (!existsSync(path)) continue;
        const content = readFileSync(path);
        // An altered file stays out: the integrity check after a restore names it missing, as it was altered here.
        if (createHash('sha256').update(content).digest('hex') !== expected) continue;
        insert.run(sha256, content);
        embedded += 1;
      }
    })();
    return embedded;
  } finally {
    sqlite.close();
  }
}

/** Writes into the KYC folder every scan the restored database holds and the folder lacks (hash-checked). */
export function extractKycFiles(database: string, kycFolder: string): number {
  const sqlite = new BetterSqlite3(database, sqliteOptions({ readonly: true, fileMustExist: true }));
  try {
    if (!sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = 'kyc_file_contents'").get()) return 0;
    let written = 0;
    const expected = storedFileHashes(sqlite);
    for (const row of sqlite.prepare('select sha256, content from kyc_file_contents').iterate() as Iterable<{ sha256: string; content: Buffer }>) {
      const target = join(kycFolder, row.sha256);
      if (existsSync(target) || createHash('sha256').update(row.content).digest('hex') !== (expected.get(row.sha256) ?? row.sha256)) continue;
      mkdirSync(kycFolder, { recursive: true, mode: 0o700 });
      const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
      writeFileSync(temporary, row.content, { mode: 0o600 });
      renameSync(temporary, target);
      written += 1;
    }
    return written;
  } finally {
    sqlite.close();
  }
}
