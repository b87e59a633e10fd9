import BetterSqlite3 from 'better-sqlite3';
import { sqliteOptions } from '@engine/db/sqlite-binding';
import type { Kysely } from 'kysely';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { BackupManifest, RestorePreview } from '@shared/domain/backups';
import type { NetworkProfile } from '@shared/domain/chains';
import { DomainError } from '@shared/result';
import { checkLedgerAndAudit, Findings } from '../audit/integrity-check';
import { SqliteSnapshot } from '../audit/read-snapshot';
import type { CustodyService } from '../custody/custody-service';
import type { Database } from '../db/schema';
import { decryptBackupFile, readBackupHeader } from './backup-file';
import { BACKUP_KEY_LABEL, backupKeyFromSecret, keyId, type BackupPrivateKey } from './backup-key';
import { imageFacts } from './database-image';
import { extractKycFiles } from './kyc-in-image';
import { WORK_FOLDER } from './make-backup';

/** A restore waiting for the workspace to reopen: the verified image and what it is. */
const STAGED_IMAGE = 'treasury.sqlite.restore';
const STAGED_MARKER = 'restore.json';
/** Where the database a restore replaced is kept (never deleted by the app). */
const REPLACED_FOLDER = 'replaced';

export interface StagedRestore {
  name: string;
  manifest: BackupManifest;
  requestedBy: string;
  requestedAt: string;
  /** Filled in when applied: where the replaced database went. */
  replacedTo?: string | null;
}

/**
 * The backup's private key: from the recovery words typed now, or from the seed open on this workstation.
 * Refused (in words) when the words are another seed's.
 */
export async function restoreKey(custody: CustodyService, manifest: BackupManifest, words: string | undefined): Promise<BackupPrivateKey> {
  let secret: Buffer;
  if (words) secret = await custody.secretFromWords(words, BACKUP_KEY_LABEL);
  else if (custody.unlocked()) secret = custody.secret(BACKUP_KEY_LABEL);
  else throw new DomainError('locked', 'Type the recovery words to open this backup (or sign in with the seed open).');
  try {
    const key = backupKeyFromSecret(secret);
    if (keyId(key.publicKey) !== manifest.keyId) {
      throw new DomainError('forbidden', words ? 'These recovery words do not open this backup: it was made for another seed.' : 'The seed open here does not open this backup: type the recovery words of the seed it was made for.', {
        reason: 'wrong_key',
      });
    }
    return key;
  } finally {
    secret.fill(0);
  }
}

/** Refuses a backup of another network's workspace before anything is decrypted. */
export async function checkBackupNetwork(file: string, network: NetworkProfile): Promise<BackupManifest> {
  const { manifest } = await readBackupHeader(file);
  if (manifest.network !== network) {
    throw new DomainError('wrong_network', `This backup is of the ${manifest.network} workspace; it cannot be restored into ${network}. Switch to ${manifest.network} in Settings first.`, {
      belongsTo: manifest.network,
      asked: network,
    });
  }
  return manifest;
}

/**
 * Decrypts a backup into the workspace's work folder and checks it: SHA-256 against the manifest, the image's
 * own network and audit head against the manifest, then the whole audit chain and the ledger against its
 * journal (the integrity check). Returns the image path; the caller deletes or stages it.
 */
export async function openBackup(home: string, file: string, network: NetworkProfile, key: BackupPrivateKey): Promise<{ image: string; manifest: BackupManifest; integrity: RestorePreview['integrity']; withdrawalsInFlight: number }> {
  await checkBackupNetwork(file, network);
  const work = join(home, WORK_FOLDER);
  mkdirSync(work, { recursive: true, mode: 0o700 });
  const image = join(work, `restore-${process.pid}-${Date.now()}.sqlite`);
  const manifest = await decryptBackupFile(file, image, key);
  try {
    const facts = await imageFacts(image);
    if (facts.network !== manifest.network || facts.auditHead.seq !== manifest.auditHead.seq || facts.auditHead.hash !== manifest.auditHead.hash) {
      throw new DomainError('validation', 'The database inside the backup does not say what its manifest says (network or audit head).', { reason: 'manifest_mismatch' });
    }
    const sqlite = new BetterSqlite3(image, sqliteOptions({ readonly: true, fileMustExist: true }));
    try {
      const snapshot = new SqliteSnapshot(sqlite);
      const findings = new Findings();
      const result = await checkLedgerAndAudit({ accounts: await snapshot.accounts(), audit: snapshot.paged('audit_log'), transfers: snapshot.paged('ledger_transfers') }, findings);
      const chainOk = result.chain.ok;
      const integrity = {
        ok: chainOk && findings.total === 0,
        records: result.counts.auditRecords,
        findings: findings.total,
        message: chainOk ? (findings.total === 0 ? null : `${findings.total} finding(s) in the ledger inside the backup: ${findings.list[0]?.message ?? ''}`) : `The audit chain inside the backup is broken at record ${result.chain.ok ? 0 : result.chain.firstBroken}.`,
      };
      const inFlight = (sqlite.prepare("select count(*) as n from withdrawals where state in ('signed', 'broadcast')").get() as { n: number }).n;
      return { image, manifest, integrity, withdrawalsInFlight: inFlight };
    } finally {
      sqlite.close();
    }
  } catch (error) {
    rmSync(image, { force: true });
    throw error;
  }
}

/**
 * What the current books hold after the backup's audit head, i.e. what a restore loses: deposits the watchers
 * find again from the backup's cursors, withdrawals whose transactions are on chain (reconciled by hand), and
 * every other change. Null when the current books are empty.
 */
export async function changesSince(db: Kysely<Database>, manifest: BackupManifest): Promise<RestorePreview['since']> {
  const head = await db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  // Fresh books (nothing but their creation) lose nothing.
  if (!head || (head.seq === 1 && manifest.auditHead.seq !== 1)) return null;
  const anchor = await db.selectFrom('audit_log').select('hash').where('seq', '=', manifest.auditHead.seq).executeTakeFirst();
  const continues = manifest.auditHead.seq === 0 || anchor?.hash === manifest.auditHead.hash;
  const since = await db.selectFrom('audit_log').select(['action', 'entity_id', 'change']).where('seq', '>', continues ? manifest.auditHead.seq : 0).orderBy('seq').execute();
  const withdrawals = new Map<string, { withdrawalId: string; txHash: string | null; action: string }>();
  const otherChanges: Record<string, number> = {};
  let depositsCredited = 0;
  for (const row of since) {
    if (row.action === 'deposit.confirmed') depositsCredited += 1;
    else if (row.action === 'withdrawal.broadcast' || row.action === 'withdrawal.signed' || row.action === 'withdrawal.replaced' || row.action === 'withdrawal.confirmed') {
      const change = JSON.parse(row.change) as { txHash?: string };
      withdrawals.set(row.entity_id, { withdrawalId: row.entity_id, txHash: change.txHash ?? withdrawals.get(row.entity_id)?.txHash ?? null, action: row.action });
    } else if (!row.action.startsWith('backup.')) otherChanges[row.action] = (otherChanges[row.action] ?? 0) + 1;
  }
  return { continues, records: since.length, depositsCredited, withdrawals: [...withdrawals.values()], otherChanges };
}

/** Puts a checked image in place to be swapped in when the workspace reopens (the engine's first step). */
export function stageRestore(home: string, image: string, staged: StagedRestore): void {
  renameSync(image, join(home, STAGED_IMAGE));
  writeFileSync(join(home, STAGED_MARKER), `${JSON.stringify(staged, null, 2)}\n`, { mode: 0o600 });
}

/**
 * Before the database opens: a staged restore replaces the workspace's database, whose files move to
 * `replaced/<time>/` (kept, never deleted). Returns what was restored, for the audit record once it is open.
 */
export function applyStagedRestore(home: string, databaseFile: string): StagedRestore | null {
  const marker = join(home, STAGED_MARKER);
  const image = join(home, STAGED_IMAGE);
  if (!existsSync(marker)) return null;
  const staged = JSON.parse(readFileSync(marker, 'utf8')) as StagedRestore;
  if (!existsSync(image)) {
    rmSync(marker, { force: true });
    return null;
  }
  const live = join(home, databaseFile);
  let replacedTo: string | null = null;
  const present = [databaseFile, `${databaseFile}-wal`, `${databaseFile}-shm`].filter((f) => existsSync(join(home, f)));
  if (present.length > 0) {
    replacedTo = join(home, REPLACED_FOLDER, new Date().toISOString().replace(/[:.]/g, '-'));
    mkdirSync(replacedTo, { recursive: true, mode: 0o700 });
    for (const f of present) renameSync(join(home, f), join(replacedTo, basename(f)));
  }
  renameSync(image, live);
  extractKycFiles(live, join(home, 'kyc'));
  rmSync(marker, { force: true });
  return { ...staged, replacedTo };
}
