import type BetterSqlite3 from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackupManifest, BackupSettings, BackupTrigger } from '@shared/domain/backups';
import type { NetworkProfile } from '@shared/domain/chains';
import { BACKUP_EXTENSION, MANIFEST_SUFFIX, writeBackupFile, writeSidecar, type ManifestSidecar } from './backup-file';
import { keyId } from './backup-key';
import { copyLiveDatabase, fileHash, imageFacts } from './database-image';
import { embedKycFiles } from './kyc-in-image';
import { backupsToDelete } from './retention';

/** Where a backup's plaintext copy is made before it is encrypted (inside the workspace, beside the database itself). */
export const WORK_FOLDER = '.backup-work';

export interface MadeBackup {
  name: string;
  manifest: BackupManifest;
  written: Array<{ folder: string; file: string; fileSha256: string }>;
  failed: Array<{ folder: string; error: string }>;
  deleted: number;
}

/**
 * One backup of the live SQLite database: an online-backup copy (with the KYC scans put in it), its manifest
 * read from that copy, encrypted
 * to the backup public key into every folder, each file read back and checked, then each folder's retention
 * applied. The plaintext copy is deleted whatever happens.
 */
export async function makeBackup(input: {
  sqlite: BetterSqlite3.Database;
  home: string;
  network: NetworkProfile;
  trigger: BackupTrigger;
  settings: BackupSettings;
  publicKey: string;
  now?: Date;
}): Promise<MadeBackup> {
  const now = input.now ?? new Date();
  const work = join(input.home, WORK_FOLDER);
  mkdirSync(work, { recursive: true, mode: 0o700 });
  const image = join(work, `snapshot-${process.pid}-${now.getTime()}.sqlite`);
  try {
    await copyLiveDatabase(input.sqlite, image);
    embedKycFiles(image, join(input.home, 'kyc'));
    const facts = await imageFacts(image);
    const manifest: BackupManifest = {
      format: 'treasury-books-backup',
      version: 1,
      createdAt: now.toISOString(),
      network: input.network,
      trigger: input.trigger,
      schemaVersion: facts.schemaVersion,
      auditHead: facts.auditHead,
      rowCounts: facts.rowCounts,
      databaseSha256: facts.sha256,
      databaseBytes: facts.bytes,
      seedFingerprint: facts.seedFingerprint,
      keyId: keyId(input.publicKey),
      cursors: facts.cursors,
    };
    const name = `treasury-${input.network}-${now.toISOString().replace(/[-:]/g, '').replace('.', '-')}-${input.trigger}${BACKUP_EXTENSION}`;
    const made: MadeBackup = { name, manifest, written: [], failed: [], deleted: 0 };
    for (const folder of input.settings.folders) {
      try {
        await mkdir(folder, { recursive: true });
        const file = join(folder, name);
        const { fileSha256, bytes } = await writeBackupFile(image, file, manifest, input.publicKey);
        // Read back what reached the folder (a network share may write short without saying so).
        if ((await fileHash(file)).sha256 !== fileSha256) throw new Error('the file read back differs from the file written');
        await writeSidecar(file, { file: name, fileSha256, bytes, manifest });
        made.written.push({ folder, file, fileSha256 });
        made.deleted += await applyRetention(folder, input.network, input.settings, now);
      } catch (error) {
        made.failed.push({ folder, error: error instanceof Error ? error.message : String(error) });
      }
    }
    return made;
  } finally {
    await rm(image, { force: true });
    await rm(`${image}-journal`, { force: true });
  }
}

/** The backups of this network in a folder, by their sidecar manifests. */
export async function sidecarsIn(folder: string, network?: NetworkProfile): Promise<ManifestSidecar[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return [];
  }
  const sidecars: ManifestSidecar[] = [];
  for (const name of names.filter((n) => n.endsWith(MANIFEST_SUFFIX))) {
    try {
      const sidecar = JSON.parse(await readFile(join(folder, name), 'utf8')) as ManifestSidecar;
      if (sidecar.manifest?.format !== 'treasury-books-backup') continue;
      // A sidecar names only the backup beside it: retention deletes by this name, so nothing else is taken.
      if (sidecar.file !== `${name.slice(0, -MANIFEST_SUFFIX.length)}${BACKUP_EXTENSION}`) continue;
      if (network && sidecar.manifest.network !== network) continue;
      sidecars.push(sidecar);
    } catch {
      // Not ours or half written: listing skips it, retention leaves it alone.
    }
  }
  return sidecars.sort((a, b) => Date.parse(b.manifest.createdAt) - Date.parse(a.manifest.createdAt));
}

async function applyRetention(folder: string, network: NetworkProfile, settings: BackupSettings, now: Date): Promise<number> {
  const sidecars = await sidecarsIn(folder, network);
  const doomed = backupsToDelete(sidecars.map((s) => ({ name: s.file, createdAt: s.manifest.createdAt })), settings, now);
  for (const name of doomed) {
    await rm(join(folder, name), { force: true });
    await rm(join(folder, `${name.slice(0, -BACKUP_EXTENSION.length)}${MANIFEST_SUFFIX}`), { force: true });
  }
  return doomed.length;
}
