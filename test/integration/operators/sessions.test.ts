import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine, type EngineConfig } from '@engine/engine';
import type { SecretWrapper } from '@engine/operators/operator-service';
import type { CallContext } from '@engine/api/types';
import type { CustodyStatus } from '@shared/domain/system';
import type { SessionView } from '@shared/domain/operators';
import { TEST_SCRYPT } from '@test/engine';

/**
 * First start, sign-in, sign-out, the idle timeout and backoff, through the engine's own dispatcher
 * with no test door: what each door does with the session token, this test does by hand.
 */
const ADMIN_PASS = 'first admin passphrase 1';
const OFFICER_PASS = 'officer passphrase 22';
const homes: string[] = [];
const engines: Engine[] = [];
/** Everything the engine logs (unexpected errors), to check no secret reaches a log. */
const logged: string[] = [];
let clock = Date.parse('2026-11-25T09:00:00Z');

async function fresh(config: Partial<EngineConfig> = {}, home = mkdtempSync(join(tmpdir(), 'treasury-operators-'))) {
  homes.push(home);
  const log = (message: string, error?: unknown) => logged.push(`${message} ${error instanceof Error ? `${error.message} ${error.stack}` : JSON.stringify(error ?? '')}`);
  const engine = await createEngine({ home, host: 'headless', log, scrypt: TEST_SCRYPT, clock: () => clock, ...config });
  engines.push(engine);
  return { engine, home };
}
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

const anonymous: CallContext = { door: 'test' };
const as = (session: string): CallContext => ({ door: 'test', session });
type WithSession = CustodyStatus & { session?: SessionView };

async function setUp(engine: Engine): Promise<string> {
  const result = await engine.api.call('system:setup', { passphrase: ADMIN_PASS, operator: 'ana' }, anonymous);
  if (!result.ok) throw new Error(result.error.message);
  return (result.data as WithSession).session!.token!;
}

async function signIn(engine: Engine, operator: string, passphrase: string) {
  return engine.api.call('system:signIn', { operator, passphrase }, anonymous);
}

const tokenOf = (result: { ok: boolean }) => (result as unknown as { data: { session: SessionView } }).data.session.token!;
const auditActions = (engine: Engine) =>
  (engine.database.sqlite!.prepare('select action, operator, change from audit_log order by seq').all() as Array<{ action: string; operator: string; change: string }>);

describe('first start', () => {
  it('asks for setup, then makes the admin and the seed, signed in and unlocked, once', async () => {
    const { engine } = await fresh();
    expect(await engine.api.call('system:session', {}, anonymous)).toMatchObject({ ok: true, data: { setupRequired: true, session: null } });
    expect(await engine.api.call('wallets:list', {}, anonymous)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });

    const result = await engine.api.call('system:setup', { passphrase: ADMIN_PASS, operator: 'ana' }, anonymous);
    expect(result).toMatchObject({ ok: true, data: { initialized: true, unlocked: true, session: { operator: { name: 'ana', role: 'admin' }, idleTimeoutSeconds: 600 } } });
    const token = tokenOf(result);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(await engine.api.call('system:session', {}, as(token))).toMatchObject({ ok: true, data: { setupRequired: false, session: { operator: { name: 'ana' } } } });
    expect(await engine.api.call('wallets:create', { chain: 'polygon', label: 'first' }, as(token))).toMatchObject({ ok: true });

    // First start is over: setup and restore without a session are refused now.
    expect(await engine.api.call('system:setup', { passphrase: ADMIN_PASS }, anonymous)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await engine.api.call('system:setup', { passphrase: ADMIN_PASS }, as(token))).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('keeps passphrases out of the database, the audit log and the seed file', async () => {
    const { engine, home } = await fresh();
    const token = await setUp(engine);
    await engine.api.call('system:operators:create', { name: 'olga', role: 'officer', passphrase: OFFICER_PASS }, as(token));
    await signIn(engine, 'olga', 'a wrong passphrase 9');
    engine.database.sqlite!.pragma('wal_checkpoint(TRUNCATE)');
    for (const file of readdirSync(home)) {
      const bytes = readFileSync(join(home, file));
      for (const secret of [ADMIN_PASS, OFFICER_PASS, 'a wrong passphrase 9', token]) expect(bytes.includes(secret), `${secret} in ${file}`).toBe(false);
    }
    for (const line of logged) for (const secret of [ADMIN_PASS, OFFICER_PASS, 'a wrong passphrase 9', token]) expect(line).not.toContain(secret);
    // A refused request does not echo the passphrase it carried.
    const marker = `leak-marker-${'x'.repeat(1100)}`;
    for (const payload of [{ operator: 'ana', passphrase: marker }, { operator: 'ana', passphrase: ADMIN_PASS, extra: marker }, { operator: ['ana'], passphrase: ADMIN_PASS }]) {
      const answer = JSON.stringify(await engine.api.call('system:signIn', payload, anonymous));
      expect(answer).not.toContain('leak-marker');
      expect(answer).not.toContain(ADMIN_PASS);
    }
    const rows = engine.database.sqlite!.prepare('select passphrase_hash, vault_key from operators').all() as Array<{ passphrase_hash: string; vault_key: string }>;
    for (const row of rows) {
      expect(row.passphrase_hash).toMatch(/^scrypt\$1\$1024\$8\$1\$/);
      expect(row.vault_key).toMatch(/^v1\./);
    }
  });
});

describe('sign-in and sign-out', () => {
  it('signing out the last session wipes the seed; signing in opens it again', async () => {
    const { engine } = await fresh();
    const token = await setUp(engine);
    expect(engine.services.custody.unlocked()).toBe(true);
    expect(await engine.api.call('system:signOut', {}, as(token))).toMatchObject({ ok: true });
    expect(engine.services.custody.unlocked()).toBe(false);
    expect(await engine.api.call('wallets:list', {}, as(token))).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });

    const again = await signIn(engine, 'ana', ADMIN_PASS);
    expect(again).toMatchObject({ ok: true, data: { custody: { unlocked: true }, session: { operator: { name: 'ana' } } } });
    expect(await engine.api.call('wallets:create', { chain: 'tron', label: 'after sign-in' }, as(tokenOf(again)))).toMatchObject({ ok: true });
    expect(auditActions(engine).map((r) => r.action)).toEqual(expect.arrayContaining(['operator.created', 'operator.signed_out', 'operator.signed_in']));
  });

  it('refuses a wrong passphrase or an unknown name alike, audits it without the passphrase, and slows the next tries', async () => {
    const { engine } = await fresh();
    await setUp(engine);
    for (const [name, passphrase] of [['ana', 'wrong passphrase 1'], ['nobody', 'wrong passphrase 2'], ['ana', 'wrong passphrase 3']] as const) {
      expect(await signIn(engine, name, passphrase)).toMatchObject({ ok: false, error: { code: 'forbidden', message: 'Wrong operator name or passphrase.' } });
    }
    const refused = auditActions(engine).filter((r) => r.action === 'operator.sign_in_refused');
    expect(refused).toHaveLength(3);
    for (const row of refused) expect(row.change).not.toMatch(/wrong passphrase/);

    // Three wrong tries for one name are free; the fourth starts the backoff: even the right passphrase waits.
    expect(await signIn(engine, 'ana', 'wrong passphrase 4')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await signIn(engine, 'ana', 'wrong passphrase 5')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const waiting = await signIn(engine, 'ana', ADMIN_PASS);
    expect(waiting).toMatchObject({ ok: false, error: { code: 'forbidden', details: { retryAfterSeconds: 1 } } });
    clock += 1000;
    expect(await signIn(engine, 'ana', ADMIN_PASS)).toMatchObject({ ok: true });
  });

  it('ends a session after the idle timeout (a setting), wiping the seed even when nobody calls', async () => {
    const { engine } = await fresh();
    const token = await setUp(engine);
    expect(await engine.api.call('system:security:update', { idleTimeoutMinutes: 5 }, as(token))).toMatchObject({ ok: true, data: { idleTimeoutMinutes: 5 } });
    clock += 4 * 60_000;
    expect(await engine.api.call('wallets:list', {}, as(token))).toMatchObject({ ok: true });
    clock += 4 * 60_000; // 4 minutes since the last call: still inside the 5
    expect(await engine.api.call('system:status', {}, as(token))).toMatchObject({ ok: true });
    clock += 60_000; // status does not count as activity: 5 minutes idle now
    await engine.services.operators.expireIdleSessions();
    expect(engine.services.custody.unlocked()).toBe(false);
    expect(await engine.api.call('wallets:list', {}, as(token))).toMatchObject({ ok: false, error: { code: 'unauthenticated', message: expect.stringMatching(/session ended/) } });
    expect(auditActions(engine).some((r) => r.action === 'operator.session_expired')).toBe(true);
  });

  it('tells the window when the idle lock comes, and "stay signed in" moves it while a status read does not', async () => {
    const { engine } = await fresh();
    const token = await setUp(engine);
    await engine.api.call('system:security:update', { idleTimeoutMinutes: 5 }, as(token));
    const endOf = async (channel: string) => {
      const result = (await engine.api.call(channel, {}, as(token))) as { ok: true; data: { session: { idleEndsAt: string } } };
      return Date.parse(result.data.session.idleEndsAt);
    };
    const first = await endOf('system:session');
    clock += 4 * 60_000;
    expect(await endOf('system:session')).toBe(first);
    expect(await endOf('system:stayActive')).toBe(first + 4 * 60_000);
    clock += 4 * 60_000; // 8 minutes since sign-in, 4 since "stay signed in": still signed in
    expect(await engine.api.call('wallets:list', {}, as(token))).toMatchObject({ ok: true });
  });

  it('keeps the idle timeout across a restart', async () => {
    const { engine, home } = await fresh();
    const token = await setUp(engine);
    await engine.api.call('system:security:update', { idleTimeoutMinutes: 3 }, as(token));
    await engine.close();
    engines.splice(engines.indexOf(engine), 1);
    const again = await fresh({}, home);
    const signedIn = await signIn(again.engine, 'ana', ADMIN_PASS);
    expect(signedIn).toMatchObject({ ok: true, data: { session: { idleTimeoutSeconds: 180 } } });
  });
});

describe('operators managed by the admin', () => {
  it('a new officer signs in with seed access; a disabled one is signed out at once and refused', async () => {
    const { engine } = await fresh();
    const admin = await setUp(engine);
    const created = await engine.api.call('system:operators:create', { name: 'olga', role: 'officer', passphrase: OFFICER_PASS }, as(admin));
    expect(created).toMatchObject({ ok: true, data: { name: 'olga', role: 'officer', disabled: false, seedAccess: true, createdBy: 'ana' } });
    const olga = tokenOf(await signIn(engine, 'olga', OFFICER_PASS));
    expect(await engine.api.call('wallets:create', { chain: 'polygon', label: 'olga' }, as(olga))).toMatchObject({ ok: true });

    const id = (created as { data: { id: string } }).data.id;
    expect(await engine.api.call('system:operators:update', { operatorId: id, disabled: true }, as(admin))).toMatchObject({ ok: true, data: { operator: { disabled: true }, proposal: null } });
    expect(await engine.api.call('wallets:list', {}, as(olga))).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await signIn(engine, 'olga', OFFICER_PASS)).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/disabled/) } });
  });

  it('keeps one active admin: the last admin cannot be demoted or disabled', async () => {
    const { engine } = await fresh();
    const admin = await setUp(engine);
    const list = await engine.api.call('system:operators:list', {}, as(admin));
    const ana = (list as { data: Array<{ id: string }> }).data[0]!;
    expect(await engine.api.call('system:operators:update', { operatorId: ana.id, role: 'officer' }, as(admin))).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('a changed passphrase opens the seed; the old one no longer does', async () => {
    const { engine } = await fresh();
    const admin = await setUp(engine);
    expect(await engine.api.call('system:changePassphrase', { current: ADMIN_PASS, next: 'a brand new passphrase' }, as(admin))).toMatchObject({ ok: true });
    await engine.api.call('system:signOut', {}, as(admin));
    expect(await signIn(engine, 'ana', ADMIN_PASS)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await signIn(engine, 'ana', 'a brand new passphrase')).toMatchObject({ ok: true, data: { custody: { unlocked: true } } });
  });

  it('an admin reset gives a forgotten passphrase a new one with seed access', async () => {
    const { engine } = await fresh();
    const admin = await setUp(engine);
    const created = await engine.api.call('system:operators:create', { name: 'olga', role: 'officer', passphrase: OFFICER_PASS }, as(admin));
    const id = (created as { data: { id: string } }).data.id;
    await engine.api.call('system:operators:resetPassphrase', { operatorId: id, passphrase: 'olga fresh passphrase' }, as(admin));
    await engine.api.call('system:signOut', {}, as(admin));
    expect(await signIn(engine, 'olga', OFFICER_PASS)).toMatchObject({ ok: false });
    expect(await signIn(engine, 'olga', 'olga fresh passphrase')).toMatchObject({ ok: true, data: { custody: { unlocked: true } } });
  });

  it('a locked seed cannot be handed to a new operator', async () => {
    const { engine } = await fresh();
    const admin = await setUp(engine);
    await engine.api.call('system:lock', {}, as(admin));
    expect(await engine.api.call('system:operators:create', { name: 'late', role: 'auditor', passphrase: OFFICER_PASS }, as(admin))).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(await engine.api.call('system:unlock', { passphrase: ADMIN_PASS }, as(admin))).toMatchObject({ ok: true, data: { unlocked: true } });
    expect(await engine.api.call('system:operators:create', { name: 'late', role: 'auditor', passphrase: OFFICER_PASS }, as(admin))).toMatchObject({ ok: true });
  });
});

describe('the OS keychain wrap', () => {
  /** Stands in for Electron's safeStorage, which needs a running Electron: AES-GCM under a key only this "OS" holds. */
  function keychain(): SecretWrapper & { key: Buffer } {
    const key = randomBytes(32);
    return {
      key,
      encrypt(plain) {
        const iv = randomBytes(12);
        const cipher = createCipheriv('aes-256-gcm', key, iv);
        const body = Buffer.concat([cipher.update(plain), cipher.final()]);
        return Buffer.concat([iv, cipher.getAuthTag(), body]);
      },
      decrypt(wrapped) {
        const decipher = createDecipheriv('aes-256-gcm', key, wrapped.subarray(0, 12));
        decipher.setAuthTag(wrapped.subarray(12, 28));
        return Buffer.concat([decipher.update(wrapped.subarray(28)), decipher.final()]);
      },
    };
  }

  it('wraps each seed key again, and without that keychain the passphrase alone opens no seed', async () => {
    const os = keychain();
    const { engine, home } = await fresh({ osSecretWrapper: os });
    await setUp(engine);
    const row = engine.database.sqlite!.prepare('select vault_key, vault_key_os_wrapped from operators').get() as { vault_key: string; vault_key_os_wrapped: number };
    expect(row.vault_key_os_wrapped).toBe(1);
    expect(row.vault_key).not.toMatch(/^v1\./);
    await engine.close();
    engines.splice(engines.indexOf(engine), 1);

    const sameMachine = await fresh({ osSecretWrapper: os }, home);
    expect(await signIn(sameMachine.engine, 'ana', ADMIN_PASS)).toMatchObject({ ok: true, data: { custody: { unlocked: true } } });
    await sameMachine.engine.close();
    engines.splice(engines.indexOf(sameMachine.engine), 1);

    const copiedElsewhere = await fresh({ osSecretWrapper: keychain() }, home);
    const result = await signIn(copiedElsewhere.engine, 'ana', ADMIN_PASS);
    expect(result.ok).toBe(false);
    expect(copiedElsewhere.engine.services.custody.unlocked()).toBe(false);
  });
});
