import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { OperatorView, Role, SecuritySettings, SessionView, SignedIn } from '@shared/domain/operators';
import { DomainError } from '@shared/result';
import type { AuditLog } from '../audit/audit-log';
import type { CustodyService } from '../custody/custody-service';
import type { ScryptParams } from '../custody/seed-vault';
import type { Database, OperatorRow } from '../db/schema';
import type { EventBus } from '../events';
import { checkPassphrase, hashPassphrase, OPERATOR_SCRYPT, spendCheck, unwrapKey, wrapKey } from './passphrase-hash';
import { markAudited } from './refusals';
import { SessionStore, type OperatorSession } from './session-store';
import { SignInBackoff } from './sign-in-backoff';

/** settings key: the fingerprint of the seed this database's wallets are derived from. */
const SEED_FINGERPRINT = 'custody.seed_fingerprint';

export const DEFAULT_IDLE_TIMEOUT_SECONDS = 600;

/** The OS keychain (Electron safeStorage) where the door has one; the engine itself never imports Electron. */
export interface SecretWrapper {
  encrypt(plain: Buffer): Buffer;
  decrypt(wrapped: Buffer): Buffer;
}

export interface OperatorServiceOptions {
  scrypt?: ScryptParams;
  now?: () => number;
  osWrapper?: SecretWrapper;
}

type SeedStart = { kind: 'new' } | { kind: 'restore'; mnemonic: string } | { kind: 'none' };

/**
 * Operators, their passphrases and sessions, and the one path by which the seed opens: the seed vault is
 * sealed under a random vault key, and each operator's row holds that key wrapped under a key derived from
 * their passphrase (and, where the OS offers it, wrapped again by its keychain). Sign-in unwraps it and
 * opens the seed into memory; sign-out of the last session and the idle timeout lock it again.
 * Passphrases arrive once per call and are never stored, echoed, logged or audited.
 */
export class OperatorService {
  readonly sessions: SessionStore;
  private readonly backoff: SignInBackoff;
  private readonly now: () => number;
  private readonly scrypt: ScryptParams;
  /** The vault key while the seed is open; wiped with it. */
  private vaultKey: Buffer | null = null;
  private anyOperator = false;
  private setUp = false;
  private idleSweep: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditLog,
    private readonly custody: CustodyService,
    private readonly events: EventBus,
    private readonly options: OperatorServiceOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.scrypt = options.scrypt ?? OPERATOR_SCRYPT;
    this.sessions = new SessionStore(this.now, DEFAULT_IDLE_TIMEOUT_SECONDS * 1000);
    this.backoff = new SignInBackoff(this.now);
  }

  /** Reads the idle timeout and starts the sweep that ends idle sessions even when nobody calls. */
  async start(sweepEveryMs = 15_000): Promise<void> {
    const settings = await this.db.selectFrom('security_settings').selectAll().executeTakeFirst();
    if (settings) this.sessions.setIdleTimeout(settings.idle_timeout_seconds * 1000);
    this.idleSweep = setInterval(() => void this.expireIdleSessions(), sweepEveryMs);
    this.idleSweep.unref();
  }

  stop(): void {
    if (this.idleSweep) clearInterval(this.idleSweep);
    this.sessions.clear();
    this.lockSeed();
  }

  async setupRequired(): Promise<boolean> {
    if (this.anyOperator) return false;
    const row = await this.db.selectFrom('operators').select('id').limit(1).executeTakeFirst();
    this.anyOperator = row !== undefined;
    return !this.anyOperator;
  }

  // ---- first start ------------------------------------------------------------------------------

  /**
   * First start: the admin operator, and with it a new seed vault (or one restored from the written-down
   * words). `none` makes the admin alone, for a workstation whose seed comes later by restore.
   */
  async firstStart(name: string, passphrase: string, seed: SeedStart): Promise<SignedIn> {
    if (!(await this.setupRequired())) throw new DomainError('conflict', 'This workstation is already set up: sign in.');
    if (seed.kind !== 'none' && this.custody.initialized()) {
      throw new DomainError('conflict', 'This data folder already has a seed vault but no operator; restore it into a fresh folder.');
    }
    if (seed.kind !== 'none') await this.checkSeedBelongs(seed);
    const id = randomUUID();
    const { hash, kek } = await hashPassphrase(passphrase, this.scrypt);
    const vaultKey = seed.kind === 'none' ? null : randomBytes(32);
    try {
      if (vaultKey && seed.kind !== 'none') await this.installSeed(seed, vaultKey);
      const at = new Date(this.now()).toISOString();
      await this.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('operators')
          .values({ id, name, role: 'admin', passphrase_hash: hash, ...this.sealVaultKey(vaultKey, kek, id), disabled: 0, created_by: name, created_at: at, updated_at: at })
          .execute();
        if (vaultKey) await this.recordSeed(trx);
        await this.audit.record({ operator: name, action: 'operator.created', entity: { type: 'operator', id }, change: { name, role: 'admin', firstStart: true, seed: seed.kind } }, trx);
      });
    } finally {
      kek.fill(0);
    }
    this.anyOperator = true;
    if (vaultKey) this.vaultKey = vaultKey;
    return this.openSession({ id, name, role: 'admin' }, 'first start');
  }

  /** Signed-in admin on a workstation without a seed: make one (new or restored) under their passphrase. */
  async installSeedFor(operator: OperatorSession, passphrase: string, seed: Exclude<SeedStart, { kind: 'none' }>): Promise<void> {
    if (this.custody.initialized()) throw new DomainError('conflict', 'This workstation already has a seed vault.');
    await this.checkSeedBelongs(seed);
    const kek = await this.verify(operator.name, passphrase);
    try {
      // A workstation joining a shared database: the operator's copy of the seed key is already there (made
      // on another workstation), and every other workstation's vault is sealed under it. Seal this one's
      // under the same key instead of replacing it.
      const shared = this.unsealVaultKey(await this.byId(operator.operatorId), kek);
      if (shared) {
        await this.installSeed(seed, shared);
        await this.audit.record({ operator: operator.name, action: 'operator.seed_installed', entity: { type: 'operator', id: operator.operatorId }, change: { seed: seed.kind, fingerprint: (await this.custody.status()).fingerprint } });
        this.vaultKey?.fill(0);
        this.vaultKey = shared;
        return;
      }
      const vaultKey = randomBytes(32);
      await this.installSeed(seed, vaultKey);
      await this.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('operators')
          .set({ ...this.sealVaultKey(vaultKey, kek, operator.operatorId), updated_at: new Date(this.now()).toISOString() })
          .where('id', '=', operator.operatorId)
          .execute();
        await this.recordSeed(trx);
        await this.audit.record({ operator: operator.name, action: 'operator.seed_access_granted', entity: { type: 'operator', id: operator.operatorId }, change: { seed: seed.kind } }, trx);
      });
      this.vaultKey = vaultKey;
    } finally {
      kek.fill(0);
    }
  }

  /**
   * The database remembers which seed its wallets come from. A workstation installing a seed (first start,
   * a lost vault restored, or another workstation joining a shared database) must bring that one: a new
   * seed or other words would derive addresses nobody's wallets hold.
   */
  private async checkSeedBelongs(seed: Exclude<SeedStart, { kind: 'none' }>): Promise<void> {
    const recorded = await this.db.selectFrom('settings').select('value').where('key', '=', SEED_FINGERPRINT).executeTakeFirst();
    if (!recorded) return;
    if (seed.kind === 'new') {
      throw new DomainError('conflict', `This database's wallets come from seed ${recorded.value}: restore that seed's recovery words on this workstation instead of creating a new one.`, { fingerprint: recorded.value });
    }
    const fingerprint = await this.custody.fingerprintOf(seed.mnemonic);
    if (fingerprint !== recorded.value) {
      throw new DomainError('conflict', `These recovery words are seed ${fingerprint}; this database's wallets come from seed ${recorded.value}.`, { fingerprint: recorded.value });
    }
  }

  /**
   * The workspace is set up: an operator exists and a seed was made or restored, here or (on a shared database)
   * at another workstation, whose seed the database records by its fingerprint. Once true it stays true.
   */
  async workspaceSetUp(): Promise<boolean> {
    if (this.setUp) return true;
    if (await this.setupRequired()) return false;
    const seedRecorded = this.custody.initialized() || (await this.db.selectFrom('settings').select('key').where('key', '=', SEED_FINGERPRINT).executeTakeFirst()) !== undefined;
    this.setUp = seedRecorded;
    return seedRecorded;
  }

  private async recordSeed(trx: Kysely<Database>): Promise<void> {
    const { fingerprint } = await this.custody.status();
    if (!fingerprint) return;
    await trx
      .insertInto('settings')
      .values({ key: SEED_FINGERPRINT, value: fingerprint, updated_at: new Date(this.now()).toISOString() })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
  }

  private async installSeed(seed: Exclude<SeedStart, { kind: 'none' }>, vaultKey: Buffer): Promise<void> {
    // The vault's own passphrase is the random vault key: 256 bits no one types or sees.
    const secret = vaultKey.toString('hex');
    if (seed.kind === 'new') await this.custody.initialize(secret);
    else await this.custody.restoreFromMnemonic(seed.mnemonic, secret);
  }

  // ---- sessions ---------------------------------------------------------------------------------

  async signIn(name: string, passphrase: string, door: string): Promise<SignedIn> {
    const kek = await this.verify(name, passphrase, door);
    try {
      const row = (await this.byName(name))!;
      if (row.disabled) {
        await this.refuse(name, 'operator.sign_in_refused', { reason: 'disabled', door }, 'This operator is disabled; ask an admin.');
      }
      await this.openSeed(row, kek);
      await this.audit.record({ operator: row.name, action: 'operator.signed_in', entity: { type: 'operator', id: row.id }, change: { role: row.role, door } });
      return this.openSession({ id: row.id, name: row.name, role: row.role as Role }, door);
    } finally {
      kek.fill(0);
    }
  }

  /** Signed in with the seed locked (by system:lock): reopen it with the operator's passphrase. */
  async reopenSeed(operator: OperatorSession, passphrase: string): Promise<void> {
    const kek = await this.verify(operator.name, passphrase);
    try {
      const row = await this.byId(operator.operatorId);
      if (!row.vault_key || !this.custody.initialized()) throw new DomainError('not_found', 'There is no seed this operator can open.');
      await this.openSeed(row, kek);
    } finally {
      kek.fill(0);
    }
  }

  /**
   * A service (the headless watcher, `npm run watcher`) opens the seed non-interactively with an operator's
   * passphrase read from a credential file: no session is opened, so nothing expires, and the seed stays open
   * for the life of the process so sweeps can be signed unattended. The same backoff and refusal audit as a
   * sign-in; success is audited as `operator.service_unlocked` (never the passphrase).
   */
  async openSeedForService(name: string, passphrase: string, service: string): Promise<{ fingerprint: string | null }> {
    const kek = await this.verify(name, passphrase, service);
    try {
      const row = (await this.byName(name))!;
      if (row.disabled) {
        await this.refuse(name, 'operator.sign_in_refused', { reason: 'disabled', door: service }, 'This operator is disabled; ask an admin.');
      }
      if (!this.custody.initialized()) throw new DomainError('not_found', 'There is no seed vault in this data folder: copy the workstation\'s seed vault file here, or run deposits only.');
      if (!row.vault_key) throw new DomainError('not_found', `Operator ${name} has no access to the seed.`);
      await this.openSeed(row, kek);
      await this.audit.record({ operator: row.name, action: 'operator.service_unlocked', entity: { type: 'operator', id: row.id }, change: { role: row.role, service } });
      return { fingerprint: (await this.custody.status()).fingerprint };
    } finally {
      kek.fill(0);
    }
  }

  async signOut(token: string): Promise<void> {
    const session = this.sessions.close(token);
    if (!session) return;
    await this.audit.record({ operator: session.name, action: 'operator.signed_out', entity: { type: 'operator', id: session.operatorId }, change: {} });
    this.afterSessionsEnded('signed_out');
  }

  sessionView(session: OperatorSession, token?: string): SessionView {
    return {
      ...(token ? { token } : {}),
      operator: { id: session.operatorId, name: session.name, role: session.role },
      idleTimeoutSeconds: this.sessions.idleTimeoutSeconds,
      startedAt: new Date(session.startedAt).toISOString(),
      idleEndsAt: new Date(this.sessions.idleEndsAt(session)).toISOString(),
    };
  }

  async expireIdleSessions(): Promise<void> {
    const expired = this.sessions.expireIdle();
    if (expired.length === 0) return;
    try {
      await this.audit.recordMany(
        expired.map((s) => ({ operator: s.name, action: 'operator.session_expired', entity: { type: 'operator', id: s.operatorId }, change: { idleTimeoutSeconds: this.sessions.idleTimeoutSeconds } })),
      );
    } finally {
      this.afterSessionsEnded('idle');
    }
  }

  /** Wipes the seed and the vault key from memory. */
  lockSeed(): void {
    this.custody.lock();
    this.vaultKey?.fill(0);
    this.vaultKey = null;
  }

  private afterSessionsEnded(reason: 'signed_out' | 'idle' | 'revoked'): void {
    if (this.sessions.size === 0) this.lockSeed();
    this.events.publish({ type: 'session.ended', reason });
  }

  private async openSession(operator: { id: string; name: string; role: Role }, _door: string): Promise<SignedIn> {
    const { token, session } = this.sessions.open({ operatorId: operator.id, name: operator.name, role: operator.role });
    return { session: this.sessionView(session, token), custody: await this.custody.status() };
  }

  private async openSeed(row: OperatorRow, kek: Buffer): Promise<void> {
    if (!row.vault_key || !this.custody.initialized()) return;
    const vaultKey = this.unsealVaultKey(row, kek);
    if (!vaultKey) throw new DomainError('internal', 'This operator’s copy of the seed key could not be opened; an admin can reset their passphrase.');
    if (!this.custody.unlocked()) await this.custody.unlock(vaultKey.toString('hex'));
    this.vaultKey?.fill(0);
    this.vaultKey = vaultKey;
  }

  // ---- passphrases ------------------------------------------------------------------------------

  /**
   * Checks a passphrase with backoff; a wrong one is audited (never the passphrase itself) and refused
   * with `forbidden`. Returns the key-encryption key; the caller wipes it.
   */
  async verify(name: string, passphrase: string, door = 'session'): Promise<Buffer> {
    const wait = this.backoff.waitFor(name);
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      await this.refuse(name, 'operator.sign_in_refused', { reason: 'backoff', door, retryAfterSeconds: seconds }, `Too many wrong passphrases: try again in ${seconds} s.`, { retryAfterSeconds: seconds });
    }
    const row = await this.byName(name);
    if (!row) {
      await spendCheck(passphrase, this.scrypt);
    } else {
      const check = await checkPassphrase(passphrase, row.passphrase_hash);
      if (check.matches && check.kek) {
        this.backoff.succeeded(name);
        return check.kek;
      }
    }
    this.backoff.failed(name);
    return this.refuse(name, 'operator.sign_in_refused', { reason: 'wrong_passphrase', door }, 'Wrong operator name or passphrase.');
  }

  async changePassphrase(operator: OperatorSession, current: string, next: string): Promise<void> {
    const kek = await this.verify(operator.name, current);
    try {
      const row = await this.byId(operator.operatorId);
      const vaultKey = row.vault_key ? this.unsealVaultKey(row, kek) : null;
      const fresh = await hashPassphrase(next, this.scrypt);
      try {
        await this.db.transaction().execute(async (trx) => {
          await trx
            .updateTable('operators')
            .set({ passphrase_hash: fresh.hash, ...this.sealVaultKey(vaultKey, fresh.kek, row.id), updated_at: new Date(this.now()).toISOString() })
            .where('id', '=', row.id)
            .execute();
          await this.audit.record({ operator: operator.name, action: 'operator.passphrase_changed', entity: { type: 'operator', id: row.id }, change: {} }, trx);
        });
      } finally {
        fresh.kek.fill(0);
        vaultKey?.fill(0);
      }
    } finally {
      kek.fill(0);
    }
  }

  /** The seed under a separate backup passphrase; asks for the operator's passphrase again, as it hands the seed out. */
  async exportSeedBackup(operator: OperatorSession, passphrase: string, backupPassphrase: string): Promise<string> {
    return this.withVaultKey(operator, passphrase, (vaultKey) => this.custody.exportBackup(vaultKey, backupPassphrase));
  }

  /** The recovery words, for the one showing at first start; asks for the operator's passphrase again. */
  async recoveryWords(operator: OperatorSession, passphrase: string): Promise<string[]> {
    return this.withVaultKey(operator, passphrase, (vaultKey) => this.custody.recoveryWords(vaultKey));
  }

  /** Runs `use` with the seed's vault key as the operator's passphrase unwraps it, and wipes both after. */
  private async withVaultKey<T>(operator: OperatorSession, passphrase: string, use: (vaultKeyHex: string) => Promise<T>): Promise<T> {
    if (!this.custody.initialized()) throw new DomainError('not_found', 'No seed vault yet.');
    const kek = await this.verify(operator.name, passphrase);
    let vaultKey: Buffer | null = null;
    try {
      vaultKey = this.unsealVaultKey(await this.byId(operator.operatorId), kek);
      if (!vaultKey) throw new DomainError('forbidden', 'This operator has no access to the seed.');
      return await use(vaultKey.toString('hex'));
    } finally {
      kek.fill(0);
      vaultKey?.fill(0);
    }
  }

  // ---- administration ---------------------------------------------------------------------------

  async list(): Promise<OperatorView[]> {
    const rows = await this.db.selectFrom('operators').selectAll().orderBy('created_at').orderBy('name').execute();
    return rows.map(view);
  }

  /**
   * A new operator. A new admin holds every right, so while another active admin could check it, it is
   * created disabled (`awaitingApproval`) and the caller proposes enabling it (controls/proposals.ts); only an
   * admin alone on the workstation adds the second admin at once (nobody else could ever approve it).
   */
  async create(actor: OperatorSession, input: { name: string; role: Role; passphrase: string }): Promise<OperatorView & { awaitingApproval: boolean }> {
    if (await this.byName(input.name)) throw new DomainError('conflict', `An operator named ${input.name} exists already.`);
    const otherAdmins = input.role === 'admin' ? await this.db.selectFrom('operators').select('id').where('role', '=', 'admin').where('disabled', '=', 0).where('id', '!=', actor.operatorId).execute() : [];
    const awaitingApproval = otherAdmins.length > 0;
    const vaultKey = this.currentVaultKey();
    const id = randomUUID();
    const { hash, kek } = await hashPassphrase(input.passphrase, this.scrypt);
    const at = new Date(this.now()).toISOString();
    try {
      await this.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('operators')
          .values({ id, name: input.name, role: input.role, passphrase_hash: hash, ...this.sealVaultKey(vaultKey, kek, id), disabled: awaitingApproval ? 1 : 0, created_by: actor.name, created_at: at, updated_at: at })
          .execute();
        await this.audit.record(
          { operator: actor.name, action: 'operator.created', entity: { type: 'operator', id }, change: { name: input.name, role: input.role, ...(awaitingApproval ? { awaitingApproval } : {}) } },
          trx,
        );
      });
    } finally {
      kek.fill(0);
    }
    return { ...view(await this.byId(id)), awaitingApproval };
  }

  /**
   * Checks a change of an operator's role or access against the standing rules (an admin neither demotes nor
   * disables themselves; one active admin always remains) and returns the row with what it becomes.
   */
  async checkUpdate(actor: { operatorId?: string }, input: { operatorId: string; role?: Role; disabled?: boolean }, ex: Kysely<Database> = this.db) {
    const row = await this.byId(input.operatorId, ex);
    const role = input.role ?? (row.role as Role);
    const disabled = input.disabled ?? Boolean(row.disabled);
    if (row.id === actor.operatorId && (disabled || role !== 'admin')) {
      throw new DomainError('conflict', 'An admin cannot disable or demote themselves; another admin can.');
    }
    if (row.role === 'admin' && !row.disabled && (disabled || role !== 'admin')) {
      const admins = await ex.selectFrom('operators').select('id').where('role', '=', 'admin').where('disabled', '=', 0).execute();
      if (admins.length <= 1) throw new DomainError('conflict', 'The workstation keeps at least one active admin.');
    }
    return { row, role, disabled };
  }

  /**
   * Disabling an operator takes effect at once (it only takes access away, and a compromised account must
   * stop now); a role change or re-enabling grants access, so it is a proposal (controls/proposals.ts) that
   * reaches `applyUpdate` only when a second admin approves.
   */
  async disable(actor: OperatorSession, operatorId: string): Promise<OperatorView> {
    const { row } = await this.checkUpdate(actor, { operatorId, disabled: true });
    await this.db.transaction().execute((trx) => this.applyUpdate(trx, actor.name, { operatorId, disabled: true }, row));
    this.endSessionsOf(row.id);
    return view(await this.byId(row.id));
  }

  async applyUpdate(trx: Kysely<Database>, actorName: string, input: { operatorId: string; role?: Role; disabled?: boolean }, checked?: OperatorRow, proposal?: { id: string; proposedBy: string }): Promise<void> {
    const row = checked ?? (await this.byId(input.operatorId, trx));
    const role = input.role ?? (row.role as Role);
    const disabled = input.disabled ?? Boolean(row.disabled);
    await trx.updateTable('operators').set({ role, disabled: disabled ? 1 : 0, updated_at: new Date(this.now()).toISOString() }).where('id', '=', row.id).execute();
    await this.audit.record(
      {
        operator: actorName,
        action: 'operator.updated',
        entity: { type: 'operator', id: row.id },
        change: {
          name: row.name,
          role: { from: row.role, to: role },
          disabled: { from: Boolean(row.disabled), to: disabled },
          ...(proposal ? { proposalId: proposal.id, proposedBy: proposal.proposedBy } : {}),
        },
      },
      trx,
    );
  }

  /** A changed role or a disabled account takes effect now, not at the next sign-in. */
  endSessionsOf(operatorId: string): void {
    if (this.sessions.closeOperator(operatorId).length > 0) this.afterSessionsEnded('revoked');
  }

  async operatorView(operatorId: string): Promise<OperatorView> {
    return view(await this.byId(operatorId));
  }

  async resetPassphrase(actor: OperatorSession, operatorId: string, passphrase: string): Promise<OperatorView> {
    const row = await this.byId(operatorId);
    const vaultKey = this.currentVaultKey();
    const { hash, kek } = await hashPassphrase(passphrase, this.scrypt);
    try {
      await this.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('operators')
          .set({ passphrase_hash: hash, ...this.sealVaultKey(vaultKey, kek, row.id), updated_at: new Date(this.now()).toISOString() })
          .where('id', '=', row.id)
          .execute();
        await this.audit.record({ operator: actor.name, action: 'operator.passphrase_reset', entity: { type: 'operator', id: row.id }, change: { name: row.name } }, trx);
      });
    } finally {
      kek.fill(0);
    }
    if (this.sessions.closeOperator(row.id).length > 0) this.afterSessionsEnded('revoked');
    return view(await this.byId(row.id));
  }

  /** The vault key for handing the seed to another operator, or null when there is no seed yet. */
  private currentVaultKey(): Buffer | null {
    if (!this.custody.initialized()) return null;
    if (!this.vaultKey || !this.custody.unlocked()) {
      throw new DomainError('locked', 'Open the seed first (sign in again or unlock): a new passphrase must be given access to it.');
    }
    return this.vaultKey;
  }

  // ---- settings ---------------------------------------------------------------------------------

  securitySettings(): SecuritySettings {
    return { idleTimeoutMinutes: Math.round(this.sessions.idleTimeoutSeconds / 60) };
  }

  async updateSecuritySettings(actor: OperatorSession, settings: SecuritySettings): Promise<SecuritySettings> {
    const before = this.securitySettings();
    const seconds = settings.idleTimeoutMinutes * 60;
    const at = new Date(this.now()).toISOString();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('security_settings')
        .values({ id: 1, idle_timeout_seconds: seconds, updated_by: actor.name, updated_at: at })
        .onConflict((oc) => oc.column('id').doUpdateSet({ idle_timeout_seconds: seconds, updated_by: actor.name, updated_at: at }))
        .execute();
      await this.audit.record({ operator: actor.name, action: 'settings.security_changed', entity: { type: 'settings', id: 'security' }, change: { idleTimeoutMinutes: { from: before.idleTimeoutMinutes, to: settings.idleTimeoutMinutes } } }, trx);
    });
    this.sessions.setIdleTimeout(seconds * 1000);
    return this.securitySettings();
  }

  // ---- rows -------------------------------------------------------------------------------------

  private async byName(name: string): Promise<OperatorRow | undefined> {
    return this.db.selectFrom('operators').selectAll().where('name', '=', name).executeTakeFirst();
  }

  private async byId(id: string, ex: Kysely<Database> = this.db): Promise<OperatorRow> {
    const row = await ex.selectFrom('operators').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new DomainError('not_found', 'No such operator.');
    return row;
  }

  private sealVaultKey(vaultKey: Buffer | null, kek: Buffer, operatorId: string): { vault_key: string | null; vault_key_os_wrapped: number } {
    if (!vaultKey) return { vault_key: null, vault_key_os_wrapped: 0 };
    const wrapped = wrapKey(vaultKey, kek, operatorId);
    const os = this.options.osWrapper;
    if (!os) return { vault_key: wrapped, vault_key_os_wrapped: 0 };
    return { vault_key: os.encrypt(Buffer.from(wrapped, 'utf8')).toString('base64'), vault_key_os_wrapped: 1 };
  }

  private unsealVaultKey(row: OperatorRow, kek: Buffer): Buffer | null {
    if (!row.vault_key) return null;
    let wrapped = row.vault_key;
    if (row.vault_key_os_wrapped) {
      if (!this.options.osWrapper) return null;
      try {
        wrapped = this.options.osWrapper.decrypt(Buffer.from(row.vault_key, 'base64')).toString('utf8');
      } catch {
        return null;
      }
    }
    return unwrapKey(wrapped, kek, row.id);
  }

  private async refuse(name: string, action: string, change: Record<string, unknown>, message: string, details?: Record<string, unknown>): Promise<never> {
    await this.audit.record({ operator: name, action, entity: { type: 'operator', id: name }, change });
    throw markAudited(new DomainError('forbidden', message, details));
  }
}

function view(row: OperatorRow): OperatorView {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    disabled: Boolean(row.disabled),
    seedAccess: row.vault_key !== null,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
