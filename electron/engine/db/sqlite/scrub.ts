import type BetterSqlite3 from 'better-sqlite3';

/** Runs work so that what it deletes or overwrites does not stay readable in the file (see `scrubberFor`). */
export type Scrub = <T>(work: () => Promise<T>) => Promise<T>;

/**
 * For the writes whose old bytes must not linger (plaintext replaced by its sealed form, an erased client's
 * wrapped key): SQLite zeroes freed cell space while `secure_delete` is on, and a TRUNCATE checkpoint afterwards
 * empties the WAL, which still holds the pages as they were. Off otherwise: it costs the ledger's write path
 * (bench:ledger batches, about a fifth slower on a shared machine). Nested or overlapping scopes share one
 * switch; the last to finish turns it off. PostgreSQL has no such switch: its dead tuples go with VACUUM.
 */
export function scrubberFor(sqlite: BetterSqlite3.Database | null): Scrub {
  if (!sqlite) return (work) => work();
  let open = 0;
  return async (work) => {
    if (open++ === 0) sqlite.pragma('secure_delete = ON');
    try {
      return await work();
    } finally {
      if (--open === 0) {
        sqlite.pragma('wal_checkpoint(TRUNCATE)');
        sqlite.pragma('secure_delete = OFF');
      }
    }
  };
}
