import type { NetworkProfile } from './chains';

/** Why a backup was made. */
export type BackupTrigger = 'scheduled' | 'manual' | 'pre-migration' | 'withdrawal';

/**
 * What a backup says about itself, in clear at the head of the file (and in the file beside it): enough to
 * refuse a wrong network or a damaged file before anything is decrypted. The ciphertext is bound to it.
 */
export interface BackupManifest {
  format: 'treasury-books-backup';
  version: 1;
  createdAt: string;
  network: NetworkProfile;
  trigger: BackupTrigger;
  /** The last migration applied to the database inside. */
  schemaVersion: string;
  /** The audit chain's last record inside the backup. */
  auditHead: { seq: number; hash: string };
  /** Rows per table inside the backup. */
  rowCounts: Record<string, number>;
  /** SHA-256 of the database image inside (checked after decryption). */
  databaseSha256: string;
  databaseBytes: number;
  /** The seed whose recovery words open it (BIP-32 fingerprint; public). */
  seedFingerprint: string | null;
  /** Which backup key it is encrypted to (a hash of the public key). */
  keyId: string;
  /** Per chain, the next block the watchers scan from after a restore of this backup. */
  cursors: Record<string, number>;
}

export interface BackupSettings {
  /** Folders each backup is written to (a second disk, a mounted network share). */
  folders: string[];
  /** Minutes between scheduled backups. */
  intervalMinutes: number;
  /** Retention: the newest backup of each hour for this many hours, of each day for this many days, of each month for this many months. */
  keepHourlyHours: number;
  keepDailyDays: number;
  keepMonthlyMonths: number;
}

export const DEFAULT_BACKUP_SETTINGS: BackupSettings = { folders: [], intervalMinutes: 60, keepHourlyHours: 48, keepDailyDays: 30, keepMonthlyMonths: 12 };

/** A backup file as listed from a folder. */
export interface BackupEntry {
  file: string;
  folder: string;
  name: string;
  bytes: number;
  manifest: BackupManifest;
  /** The manifest names this workspace's network (others are refused at restore). */
  sameNetwork: boolean;
}

export type BackupHealth =
  /** The last good backup is within the schedule. */
  | 'ok'
  /** Older than the schedule allows, or none yet while the schedule is on. */
  | 'stale'
  /** No folder chosen: nothing is backed up. */
  | 'not_configured'
  /** The backup key is not known yet: an operator must open the seed once. */
  | 'no_key'
  /** On the shared PostgreSQL server the server's own backups apply (README). */
  | 'server';

export interface BackupStatus {
  health: BackupHealth;
  settings: BackupSettings;
  lastGood: { at: string; name: string; folders: number; auditSeq: number; trigger: BackupTrigger } | null;
  lastAttempt: { at: string; ok: boolean; error: string | null } | null;
  /** When the next scheduled backup is due. */
  nextDueAt: string | null;
  keyId: string | null;
}

/** What a restore of one backup would bring back and lose, shown before the officer confirms. */
export interface RestorePreview {
  manifest: BackupManifest;
  file: string;
  /** The audit chain inside recomputed from genesis, and the ledger against its journal. */
  integrity: { ok: boolean; records: number; findings: number; message: string | null };
  /** The current books' audit records after the backup's head (null: the current books are empty or unreadable). */
  since: {
    /** The current chain holds the backup's head record (the backup is an earlier state of these books). */
    continues: boolean;
    records: number;
    /** Deposits credited since: the watchers find them again from the backup's cursors. */
    depositsCredited: number;
    /** Withdrawals that left since: their transactions exist on chain and must be reconciled by hand. */
    withdrawals: Array<{ withdrawalId: string; txHash: string | null; action: string }>;
    /** Other changes since, by audit action (wallets, clients, settings...), lost with the restore. */
    otherChanges: Record<string, number>;
  } | null;
  /** Withdrawals that were on their way in the backup: the tracker looks them up on chain again. */
  withdrawalsInFlight: number;
}
