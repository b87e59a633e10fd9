import { rmSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { BackupEntry, BackupSettings, BackupStatus, BackupTrigger } from '@shared/domain/backups';
import type { NetworkProfile } from '@shared/domain/chains';
import { DomainError } from '@shared/result';
import type { AuditLog } from '../audit/audit-log';
import type { CustodyService } from '../custody/custody-service';
import type { OpenDatabase } from '../db/open';
import type { EventBus } from '../events';
import { BACKUP_KEY_LABEL, backupKeyFromSecret, keyId } from './backup-key';
import type { ChainService } from '../chains/chain-service';
import type { HoldingWallets } from '../holding/holding-wallets';
import { checkHoldingGaps, type HoldingGap } from './holding-gap';
import type { AlertCenter } from '../alerts/alert-center';
import { CHECK_KEY, KEY_KEY, readSetting, settingsSchema, SETTINGS_KEY, STATE_KEY, withDefaults, writeSetting, type BackupKeyRecord, type BackupState } from './backup-settings';
import { makeBackup, sidecarsIn, WORK_FOLDER, type MadeBackup } from './make-backup';

export interface BackupServiceOptions {
  log?: (message: string, error?: unknown) => void;
  now?: () => number;
  /** How often the scheduler looks whether a backup is due; default one minute. */
  checkEveryMs?: number;
}

/** A backup is late once it is older than its interval plus this much (a run takes time; a laptop sleeps). */
const GRACE_MS = 15 * 60_000;

/**
 * Backups of the books: on demand, on a schedule (hourly by default), before migrations (db/open.ts) and after
 * every withdrawal that leaves the holding wallet, so the newest backup knows every transaction that left.
 * Written encrypted to the backup public key the workspace records: making one needs no secret, so the
 * scheduler runs while the seed is locked. SQLite only: the shared PostgreSQL server is backed up by its own
 * base backups and WAL archive (README).
 */
export class BackupService {
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: () => void = () => {};
  private running: Promise<MadeBackup | null> | null = null;
  private again: BackupTrigger | null = null;
  private readonly now: () => number;
  private readonly log: (message: string, error?: unknown) => void;

  constructor(
    private readonly deps: { database: OpenDatabase; home: string; network: NetworkProfile; custody: CustodyService; audit: AuditLog; events: EventBus; chains: ChainService; holding: HoldingWallets; alerts: AlertCenter },
    private readonly options: BackupServiceOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => {});
  }

  get supported(): boolean {
    return this.deps.database.sqlite !== null && this.deps.database.location !== ':memory:';
  }

  async settings(): Promise<BackupSettings> {
    return withDefaults(await readSetting<BackupSettings>(this.deps.database.db, SETTINGS_KEY));
  }

  async updateSettings(operator: string, next: BackupSettings): Promise<BackupSettings> {
    const parsed = settingsSchema.parse(next);
    const relative = parsed.folders.find((f) => !isAbsolute(f));
    if (relative) throw new DomainError('validation', `A backup folder is a full path (${relative} is not).`, { field: 'folders' });
    const folders = [...new Set(parsed.folders)];
    const before = await this.settings();
    const settings = { ...parsed, folders };
    await this.deps.database.db.transaction().execute(async (trx) => {
      await writeSetting(trx, SETTINGS_KEY, settings);
      await this.deps.audit.record({ operator, action: 'backup.settings_changed', entity: { type: 'settings', id: SETTINGS_KEY }, change: { from: { ...before }, to: { ...settings } } }, trx);
    });
    return settings;
  }

  /**
   * The backup public key: recorded the first time the seed is open here (any sign-in), from then on read from
   * the database. Null while it has never been open.
   */
  async publicKey(): Promise<BackupKeyRecord | null> {
    const recorded = await readSetting<BackupKeyRecord>(this.deps.database.db, KEY_KEY);
    if (recorded || !this.deps.custody.unlocked()) return recorded;
    const secret = this.deps.custody.secret(BACKUP_KEY_LABEL);
    const { publicKey } = backupKeyFromSecret(secret);
    secret.fill(0);
    const record: BackupKeyRecord = { publicKey, keyId: keyId(publicKey), recordedAt: new Date(this.now()).toISOString() };
    await this.deps.database.db.transaction().execute(async (trx) => {
      await writeSetting(trx, KEY_KEY, record);
      await this.deps.audit.record({ operator: 'system', action: 'backup.key_recorded', entity: { type: 'settings', id: KEY_KEY }, change: { keyId: record.keyId, publicKey } }, trx);
    });
    return record;
  }

  async status(): Promise<BackupStatus> {
    const settings = await this.settings();
    const state = (await readSetting<BackupState>(this.deps.database.db, STATE_KEY)) ?? { lastGood: null, lastAttempt: null };
    const key = await this.publicKey();
    const interval = settings.intervalMinutes * 60_000;
    const lastAt = state.lastGood ? Date.parse(state.lastGood.at) : null;
    let health: BackupStatus['health'];
    if (!this.supported) health = 'server';
    else if (settings.folders.length === 0) health = 'not_configured';
    else if (!key) health = 'no_key';
    else if (lastAt === null || this.now() - lastAt > interval + GRACE_MS) health = 'stale';
    else health = 'ok';
    const nextDueAt = this.supported && settings.folders.length > 0 ? new Date(lastAt === null ? this.now() : lastAt + interval).toISOString() : null;
    return { health, settings, lastGood: state.lastGood, lastAttempt: state.lastAttempt, nextDueAt, keyId: key?.keyId ?? null };
  }

  /** Every backup of this network in the configured folders (and `extraFolder`), newest first. */
  async list(extraFolder?: string): Promise<BackupEntry[]> {
    const folders = [...(await this.settings()).folders, ...(extraFolder ? [extraFolder] : [])];
    const entries: BackupEntry[] = [];
    for (const folder of [...new Set(folders)]) {
      for (const sidecar of await sidecarsIn(folder)) {
        entries.push({ file: join(folder, sidecar.file), folder, name: sidecar.file, bytes: sidecar.bytes, manifest: sidecar.manifest, sameNetwork: sidecar.manifest.network === this.deps.network });
      }
    }
    return entries.sort((a, b) => Date.parse(b.manifest.createdAt) - Date.parse(a.manifest.createdAt));
  }

  /** Makes a backup now (one at a time; a request during a run makes one more after it). */
  run(trigger: BackupTrigger, operator = 'system'): Promise<MadeBackup | null> {
    if (this.running) {
      this.again = trigger;
      const after = () => this.running ?? this.run(trigger, operator);
      return this.running.then(after, after);
    }
    this.running = this.runOnce(trigger, operator).finally(() => {
      this.running = null;
      const next = this.again;
      this.again = null;
      if (next) void this.run(next).catch((error) => this.log('Backup failed', error));
    });
    return this.running;
  }

  /** Resolves once no backup is running or queued (tests, close). */
  async idle(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
  }

  /** Starts the schedule and the backup after each withdrawal broadcast; the doors call it with the chain loops. */
  start(): void {
    if (this.timer || !this.supported) return;
    // Plaintext copies a crash left half-way (this engine is the folder's only writer).
    rmSync(join(this.deps.home, WORK_FOLDER), { recursive: true, force: true });
    const check = () => {
      void this.runIfDue().catch((error) => this.log('Scheduled backup failed', error));
      void this.checkAfterRestore().catch((error) => this.log('Looking for holding transactions the restored books lack failed (tried again in a minute)', error));
    };
    this.timer = setInterval(check, this.options.checkEveryMs ?? 60_000);
    this.timer.unref();
    this.unsubscribe = this.deps.events.subscribe((event) => {
      if (event.type === 'withdrawal.status' && event.state === 'broadcast') void this.run('withdrawal').catch((error) => this.log('Backup after a withdrawal failed', error));
    });
    check();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.unsubscribe();
    this.unsubscribe = () => {};
    this.again = null;
    await this.idle();
  }

  /** Marks the books as just restored: the holding wallets are checked against the chain (holding-gap.ts). */
  async markRestored(): Promise<void> {
    await writeSetting(this.deps.database.db, CHECK_KEY, { since: new Date(this.now()).toISOString() });
  }

  /** After a restore, once: transactions that left a holding wallet and the books lack are raised as alerts. */
  async checkAfterRestore(): Promise<HoldingGap[] | null> {
    if (!(await readSetting(this.deps.database.db, CHECK_KEY))) return null;
    const { database, network, chains, holding, alerts } = this.deps;
    const gaps = await checkHoldingGaps({ db: database.db, network, chains, holding, alerts });
    await database.db.deleteFrom('settings').where('key', '=', CHECK_KEY).execute();
    return gaps;
  }

  async runIfDue(): Promise<MadeBackup | null> {
    const status = await this.status();
    if (status.health === 'server' || status.health === 'not_configured' || status.health === 'no_key') return null;
    if (status.nextDueAt && Date.parse(status.nextDueAt) > this.now()) return null;
    return this.run('scheduled');
  }

  private async runOnce(trigger: BackupTrigger, operator: string): Promise<MadeBackup | null> {
    const { database, home, network, audit } = this.deps;
    if (!this.supported || !database.sqlite) {
      throw new DomainError('conflict', 'This workspace is on the shared PostgreSQL server: it is backed up by the server’s base backups and WAL archive (see the README), not from a workstation.');
    }
    const settings = await this.settings();
    if (settings.folders.length === 0) throw new DomainError('conflict', 'Choose at least one backup folder first (Settings → Backups).');
    const key = await this.publicKey();
    if (!key) throw new DomainError('locked', 'The backup key is not known yet: sign in once with an operator who has access to the seed.');
    const at = new Date(this.now());
    let made: MadeBackup;
    try {
      made = await makeBackup({ sqlite: database.sqlite, home, network, trigger, settings, publicKey: key.publicKey, now: at });
    } catch (error) {
      await this.recordAttempt(at, false, error instanceof Error ? error.message : String(error), null);
      throw error;
    }
    const ok = made.written.length > 0;
    const error = made.failed.length > 0 ? made.failed.map((f) => `${f.folder}: ${f.error}`).join('; ') : null;
    await this.recordAttempt(at, ok, error, ok ? made : null);
    await audit.record({
      operator,
      action: ok ? 'backup.created' : 'backup.failed',
      entity: { type: 'backup', id: made.name },
      change: {
        trigger,
        databaseSha256: made.manifest.databaseSha256,
        auditSeq: made.manifest.auditHead.seq,
        auditHash: made.manifest.auditHead.hash,
        written: made.written.map((w) => ({ folder: w.folder, fileSha256: w.fileSha256 })),
        failed: made.failed,
        deletedByRetention: made.deleted,
      },
    });
    if (!ok) this.log(`Backup ${made.name} reached no folder: ${error}`);
    return made;
  }

  private async recordAttempt(at: Date, ok: boolean, error: string | null, made: MadeBackup | null): Promise<void> {
    const db = this.deps.database.db;
    const state = (await readSetting<BackupState>(db, STATE_KEY)) ?? { lastGood: null, lastAttempt: null };
    state.lastAttempt = { at: at.toISOString(), ok, error };
    if (made) state.lastGood = { at: at.toISOString(), name: made.name, folders: made.written.length, auditSeq: made.manifest.auditHead.seq, trigger: made.manifest.trigger };
    await writeSetting(db, STATE_KEY, state);
  }
}
