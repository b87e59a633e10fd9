import { rmSync } from 'node:fs';
import { basename } from 'node:path';
import type { RestorePreview } from '@shared/domain/backups';
import type { NetworkProfile } from '@shared/domain/chains';
import { DomainError } from '@shared/result';
import type { AuditLog } from '../audit/audit-log';
import type { CustodyService } from '../custody/custody-service';
import type { OpenDatabase } from '../db/open';
import type { WorkspaceDoor } from '../workspace/workspace-switcher';
import { changesSince, checkBackupNetwork, openBackup, restoreKey, stageRestore, type StagedRestore } from './restore';

/**
 * Restoring the books from a backup file: a preview first (the backup checked whole, what it would lose), then
 * the restore, which stages the checked image and has the door reopen the workspace on it. The watchers then
 * resume from the backup's cursors: deposits made since are found again and credited once (their keys are chain,
 * transaction and log index); withdrawals sent since are named in the preview to be reconciled.
 */
export class RestoreService {
  constructor(private readonly deps: { database: OpenDatabase; home: string; network: NetworkProfile; custody: CustodyService; audit: AuditLog; door?: WorkspaceDoor }) {}

  async preview(file: string, words: string | undefined): Promise<RestorePreview> {
    const { image, manifest, integrity, withdrawalsInFlight } = await this.open(file, words);
    rmSync(image, { force: true });
    return { manifest, file, integrity, since: await changesSince(this.deps.database.db, manifest), withdrawalsInFlight };
  }

  /** Stages the restore and asks the door to reopen the workspace; without a door the caller reopens it. */
  async restore(file: string, words: string | undefined, operator: string): Promise<RestorePreview & { reopening: boolean }> {
    if (!this.deps.database.sqlite || this.deps.database.location === ':memory:') {
      throw new DomainError('conflict', 'This workspace is on the shared PostgreSQL server: restore the server from its base backup and WAL archive (see the README).');
    }
    const { image, manifest, integrity, withdrawalsInFlight } = await this.open(file, words);
    try {
      if (!integrity.ok) throw new DomainError('validation', `This backup does not pass the integrity check: ${integrity.message}`, { reason: 'integrity' });
      const since = await changesSince(this.deps.database.db, manifest);
      const staged: StagedRestore = { name: basename(file), manifest, requestedBy: operator, requestedAt: new Date().toISOString() };
      await this.deps.audit.record({
        operator,
        action: 'backup.restore_requested',
        entity: { type: 'backup', id: basename(file) },
        change: { auditSeq: manifest.auditHead.seq, auditHash: manifest.auditHead.hash, createdAt: manifest.createdAt, lostRecords: since?.records ?? 0, withdrawalsToReconcile: since?.withdrawals ?? [] },
      });
      stageRestore(this.deps.home, image, staged);
      this.deps.door?.switchTo(this.deps.network);
      return { manifest, file, integrity, since, withdrawalsInFlight, reopening: this.deps.door !== undefined };
    } catch (error) {
      rmSync(image, { force: true });
      throw error;
    }
  }

  private async open(file: string, words: string | undefined) {
    const manifest = await checkBackupNetwork(file, this.deps.network);
    // The books and the seed must stay together: a backup of other wallets' seed would orphan this one's.
    const fingerprint = (await this.deps.database.db.selectFrom('settings').select('value').where('key', '=', 'custody.seed_fingerprint').executeTakeFirst())?.value;
    const vault = await this.deps.custody.status();
    const ours = vault.fingerprint ?? fingerprint ?? null;
    if (ours && manifest.seedFingerprint && ours !== manifest.seedFingerprint) {
      throw new DomainError('conflict', `This backup is of the books of seed ${manifest.seedFingerprint}; this workspace's seed is ${ours}.`, { reason: 'other_seed' });
    }
    const key = await restoreKey(this.deps.custody, manifest, words);
    return openBackup(this.deps.home, file, this.deps.network, key);
  }
}
